#!/usr/bin/env python3.11
"""Writes unicode_cases.txt for unicode_test.cpp, the expected values computed by CPython 3.11's
unicodedata and str methods (not by ivyc or by its table generator).

One case a line, tab-separated:
  xid_start FIRST LAST      chr(c).isidentifier() holds for FIRST..LAST (hex), and nowhere else
  xid_continue FIRST LAST   ("a" + chr(c)).isidentifier()
  printable FIRST LAST      chr(c).isprintable()
  nfkc IN OUT               unicodedata.normalize("NFKC", IN) == OUT, both as hex code points
                            joined by spaces; every single code point that NFKC changes is listed
  name NAME CP              "\\N{NAME}" is chr(CP) (CP in hex), or "-" when it is an error

Usage: tests/unit/data/gen_unicode_cases.py   (deterministic: a fixed seed)
"""

import ast
import pathlib
import random
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
rng = random.Random(3131)
MAX_CP = 0x110000


def hexes(s):
    return " ".join("%X" % ord(c) for c in s)


def ranges(pred):
    out, start = [], None
    for cp in range(MAX_CP + 1):
        if cp < MAX_CP and pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def escape_name(name):
    """What \\N{name} gives in a 3.11 string literal: the code point, or None."""
    try:
        value = ast.literal_eval('"\\N{' + name + '}"')
    except SyntaxError:
        return None
    assert len(value) == 1
    return ord(value)


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("gen_unicode_cases: run with python3.11")
    lines = []
    for kind, pred in [("xid_start", lambda c: chr(c).isidentifier()),
                       ("xid_continue", lambda c: ("a" + chr(c)).isidentifier()),
                       ("printable", lambda c: chr(c).isprintable())]:
        for a, b in ranges(pred):
            lines.append(f"{kind}\t{a:X}\t{b:X}")

    # NFKC: every code point it changes, then random sequences of characters that interact.
    combining, firsts, seconds, compat = [], set(), set(), []
    for cp in range(MAX_CP):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c:
            lines.append(f"nfkc\t{hexes(c)}\t{hexes(n)}")
            compat.append(cp)
        if unicodedata.combining(c):
            combining.append(cp)
        d = unicodedata.decomposition(c).split()
        if len(d) == 2 and not d[0].startswith("<"):
            firsts.add(int(d[0], 16))
            seconds.add(int(d[1], 16))
    jamo = list(range(0x1100, 0x1113)) + list(range(0x1161, 0x1176)) + list(range(0x11A7, 0x11C3))
    syllables = [rng.randrange(0xAC00, 0xD7A4) for _ in range(200)]
    pools = [combining, sorted(firsts), sorted(seconds), compat, jamo, syllables,
             [ord(c) for c in "aeouAEOU ._"], [0x0300, 0x0301, 0x0308, 0x0323, 0x0327, 0x0345]]
    seen = set()
    for _ in range(8000):
        s = "".join(chr(rng.choice(rng.choice(pools))) for _ in range(rng.randint(2, 8)))
        if s in seen:
            continue
        seen.add(s)
        lines.append(f"nfkc\t{hexes(s)}\t{hexes(unicodedata.normalize('NFKC', s))}")

    # Names: a sample of character names (and in lower case), aliases, the algorithmic names,
    # and names that are not accepted.
    names = []
    for cp in range(MAX_CP):
        name = unicodedata.name(chr(cp), None)
        if name and not name.startswith("CJK UNIFIED IDEOGRAPH-"):
            names.append(name)
    queries = set(names[::7]) | {n.lower() for n in names[::97]}
    queries |= {n.title() for n in names[::101]}
    queries |= {"NULL", "NUL", "LINE FEED", "lf", "BOM", "ZWNBSP", "VS1", "VS256", "vs17",
                "LATIN CAPITAL LETTER GHA", "TIBETAN MARK BKA- SHOG GI MGO RGYAN", "FVS4",
                "HENTAIGANA LETTER E-1", "BYZANTINE MUSICAL SYMBOL FTHORA SKLIRON CHROMA VASIS",
                "SINGLE-SHIFT-2", "PRIVATE USE-1", "KANNADA LETTER LLLA", "SP", "del"}
    for s in range(0xAC00, 0xD7A4, 13):
        queries.add(unicodedata.name(chr(s)))
    queries |= {"HANGUL SYLLABLE A", "HANGUL SYLLABLE GA", "HANGUL SYLLABLE GAG",
                "HANGUL SYLLABLE HIH", "HANGUL SYLLABLE GAA", "HANGUL SYLLABLE  GA",
                "HANGUL SYLLABLE", "HANGUL SYLLABLE ", "HANGUL SYLLABLE X", "hangul syllable ga",
                "HANGUL SYLLABLE ga", "HANGUL SYLLABLE GAGG", "HANGUL SYLLABLE GGAGG"}
    for cp in [0x3400, 0x4DBF, 0x4DC0, 0x4E00, 0x9FFF, 0xA000, 0x20000, 0x2A6DF, 0x2A6E0,
               0x2B738, 0x2B739, 0x30000, 0x3134A, 0x3134B, 0xF900, 0x17000, 0x1B170]:
        queries.add("CJK UNIFIED IDEOGRAPH-%X" % cp)
        queries.add("CJK UNIFIED IDEOGRAPH-%05X" % cp)
        queries.add("CJK UNIFIED IDEOGRAPH-%x" % cp)
        queries.add("cjk unified ideograph-%X" % cp)
    queries |= {"CJK UNIFIED IDEOGRAPH-", "CJK UNIFIED IDEOGRAPH-004E00", "CJK COMPATIBILITY IDEOGRAPH-F900",
                "TANGUT IDEOGRAPH-17000", "NUSHU CHARACTER-1B170", "KHITAN SMALL SCRIPT CHARACTER-18B00",
                "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE", "LATIN SMALL LETTER A ",
                " LATIN SMALL LETTER A", "LATIN  SMALL LETTER A", "LATIN_SMALL_LETTER_A",
                "LATIN SMALL LETTER", "A", "AAAAAA", "ZZZZ", "0", "-", "SPACE", "space", "SPACF",
                "LATIN SMALL LETTER Á", "latin small letter ſ", "EM DASH\t", "ZZZZZZZZZZZZZZ"}
    for q in sorted(queries):
        cp = escape_name(q)
        lines.append(f"name\t{q}\t{'-' if cp is None else '%X' % cp}")

    (HERE / "unicode_cases.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"unicode_cases.txt: {len(lines)} cases")


if __name__ == "__main__":
    main()
