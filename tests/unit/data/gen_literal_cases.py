#!/usr/bin/env python3.11
"""Writes the literal test cases of literals_test.cpp, with the expected values computed by
CPython 3.11 (repr(ast.literal_eval(source)), or the SyntaxError message), never by ivyc.

Files (one case a line: SOURCE <tab> EXPECTED; SOURCE is percent-encoded: %, tab, line ends and
other control characters as %XX; EXPECTED is a repr, or "error: " and CPython's message):
  floats.txt         float and imaginary literals -> repr
  ints.txt           integer literals in all bases -> repr
  strings.txt        str, bytes and f-string literals (no replacement fields) -> repr
  string_errors.txt  str and bytes literals CPython rejects -> the SyntaxError message

Usage: tests/unit/data/gen_literal_cases.py   (deterministic: a fixed seed)
"""

import ast
import pathlib
import random
import struct
import sys
import unicodedata
import warnings

HERE = pathlib.Path(__file__).resolve().parent
rng = random.Random(20240611)


def encode(source):
    out = []
    for ch in source:
        if ch == "%" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("%%%02X" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def evaluate(source):
    """repr of the literal's value, or ('error', message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as e:
            return ("error", e.msg)
    node = tree.body
    if isinstance(node, ast.JoinedStr):
        if not node.values:
            return repr("")
        assert len(node.values) == 1 and isinstance(node.values[0], ast.Constant), source
        return repr(node.values[0].value)
    assert isinstance(node, ast.Constant), source
    # repr of the value without the limit on str(int) (ast.dump would stop there; the parse does
    # not).
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return repr(node.value)
    finally:
        sys.set_int_max_str_digits(limit)


def write(name, cases):
    seen = set()
    lines = []
    for source in cases:
        if source in seen:
            continue
        seen.add(source)
        result = evaluate(source)
        is_error = isinstance(result, tuple)
        if is_error != (name == "string_errors.txt") and not (is_error and name == "ints.txt"):
            sys.exit(f"gen_literal_cases: {source!r} gives {result!r}, unexpected for {name}")
        expected = "error: " + result[1] if is_error else result
        assert "\n" not in expected and "\t" not in expected
        lines.append(f"{encode(source)}\t{expected}\n")
    (HERE / name).write_text("".join(lines), encoding="utf-8", newline="\n")
    print(f"{name}: {len(lines)} cases")


# --- floats ---

def random_double():
    while True:
        bits = rng.getrandbits(64) & ~(1 << 63)
        x = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if x == x and x != float("inf"):
            return x


def float_cases():
    cases = []
    edges = [0.0, 5e-324, 1e-323, 2.2250738585072009e-308, 2.2250738585072014e-308,
             1.7976931348623157e308, 1e16, 1e15, 9999999999999998.0, 1e17, 1e-4, 1e-5, 0.0001,
             0.00012345, 1.5, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e22, 1e23, 9007199254740993.0,
             123456789012345678.0, 0.5, 100.0, 1234567890123456.7]
    for x in edges:
        cases += [repr(x), "%.17g" % x, "%.25e" % x]
    for k in range(-330, 310):
        cases.append(f"1e{k}")
        cases.append(f"9.999999999999999e{k}")
        cases.append(f"{rng.randint(1, 9)}.{rng.randint(0, 10**6)}E{k:+d}")
    for _ in range(6000):
        x = random_double()
        form = rng.randrange(4)
        if form == 0:
            cases.append(repr(x))
        elif form == 1:
            cases.append("%.17e" % x)
        elif form == 2:
            cases.append("%.*e" % (rng.randint(0, 25), x))
        else:
            cases.append("%.*g" % (rng.randint(1, 20), x))
    for _ in range(3000):  # random decimal digits, positional and with exponents
        ip = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 25))).lstrip("0")
        fp = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 25)))
        if not ip and not fp:
            ip = "0"
        s = f"{ip}.{fp}" if rng.random() < 0.8 or not ip else ip
        if rng.random() < 0.5 or "." not in s:
            s += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 340))
        cases.append(s)
    for _ in range(500):  # halfway cases: exact midpoints between neighbours
        x = random_double()
        m, e = x.hex(), 0
        y = float.fromhex(m)
        mid = (y + (y + abs(y) * 2.220446049250313e-16)) / 2
        cases.append("%.40e" % mid)
    # underscores, leading dots, trailing dots, long mantissas, overflow and underflow
    cases += ["1_000.000_1", "1_0e1_0", ".5", "5.", "0.", "00.5", "1e500", "1e-400", "2e-324",
              "3e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "0e0", "0.0e-999",
              "1" * 400 + ".0", "0." + "0" * 400 + "1", "1" * 5000 + "e-4990", "0" * 500 + ".25"]
    # imaginary
    for _ in range(1500):
        x = random_double()
        cases.append(rng.choice([repr(x), "%.17e" % x, "%.3g" % x]) + rng.choice("jJ"))
    cases += ["1j", "0j", "00j", "10j", "1e16j", "1e15j", "1.5j", "1_0j", "1e500j", ".5J", "5.j",
              "1e-5j", "0.0001j", "123456789012345678j"]
    return cases


def int_cases():
    cases = ["0", "00", "0_0", "000_000", "1", "9", "10", "4294967296", "18446744073709551616",
             "0x0", "0X_0", "0o0", "0b0", "0x_f", "0xDEAD_beef", "0o777", "0O1_2", "0b1_0", "0B1",
             "9" * 4300, "1" * 4301, "1_" * 4300 + "1",
             "0x" + "f" * 4000, "0o" + "7" * 3000, "0b" + "1" * 5000,
             "0x" + "0" * 50 + "1", "0b" + "0" * 100]
    for _ in range(800):
        n = rng.getrandbits(rng.randint(1, 700))
        base = rng.choice([2, 8, 10, 16])
        if base == 10:
            s = str(n)
        else:
            prefix = {2: "0b", 8: "0o", 16: "0x"}[base]
            s = prefix + (format(n, {2: "b", 8: "o", 16: "x"}[base]))
            if rng.random() < 0.3:
                s = s.upper() if base == 16 else s
        if rng.random() < 0.3 and len(s) > 3:  # underscores between digits
            head, body = (s[:2], s[2:]) if base != 10 else ("", s)
            body = "_".join(body[i:i + rng.randint(1, 4)] for i in range(0, len(body), 4))
            s = head + ("_" if head and rng.random() < 0.5 else "") + body
        cases.append(s)
    return cases


# --- strings ---

def sample_chars():
    """Non-ASCII characters of many kinds: printable or not, combining, astral, private use,
    unassigned, line separators."""
    chars = [0x80, 0x85, 0x9F, 0xA0, 0xAD, 0xFF, 0x100, 0x300, 0x34F, 0x378, 0x600, 0x61C, 0x85F,
             0x200B, 0x200E, 0x2028, 0x2029, 0x2060, 0x3000, 0xD7FF, 0xE000, 0xF8FF, 0xFEFF,
             0xFFF9, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600, 0x1F9FF, 0x20000, 0x2FFFF, 0xE0001,
             0xE0100, 0xF0000, 0x10FFFD, 0x10FFFF, 0x1D173, 0xE9, 0x4E00, 0xAC00, 0x1100]
    for _ in range(300):
        chars.append(rng.randrange(0x80, 0x110000))
    for _ in range(200):
        chars.append(rng.randrange(0x80, 0x3000))
    return [c for c in chars if not 0xD800 <= c <= 0xDFFF]


CHARS = sample_chars()
NAMES = ["LATIN SMALL LETTER A", "latin small letter a", "Latin Capital Letter A With Grave",
         "EM DASH", "LINE FEED", "lf", "BOM", "NULL", "SNOWMAN", "HANGUL SYLLABLE GAG",
         "HANGUL SYLLABLE A", "HANGUL SYLLABLE HIH", "CJK UNIFIED IDEOGRAPH-4E00",
         "CJK UNIFIED IDEOGRAPH-2A6DF", "CJK UNIFIED IDEOGRAPH-03400", "CJK COMPATIBILITY IDEOGRAPH-F900",
         "TIBETAN MARK BKA- SHOG GI MGO RGYAN", "VS256", "GRINNING FACE", "DIGIT ZERO",
         "HYPHEN-MINUS", "space", "ZERO WIDTH SPACE", "MEDEFAIDRIN CAPITAL LETTER H",
         "BYZANTINE MUSICAL SYMBOL FTHORA SKLIRON CHROMA VASIS", "NUSHU CHARACTER-1B170"]


def str_piece(quote, triple, raw):
    k = rng.randrange(14)
    if k == 0:
        return rng.choice("abcXYZ 019!#$%&()*+,-./:;<=>?@[]^_`{|}~")
    if k == 1:
        return chr(rng.choice(CHARS))
    if k == 2 and not raw:
        return "\\" + rng.choice("\\'\"abfnrtv")
    if k == 3 and not raw:
        return "\\" + "".join(rng.choice("01234567") for _ in range(rng.randint(1, 3)))
    if k == 4 and not raw:
        return "\\x%02x" % rng.randrange(256) if rng.random() < 0.5 else "\\x%02X" % rng.randrange(256)
    if k == 5 and not raw:
        return "\\u%04x" % rng.randrange(0x10000)
    if k == 6 and not raw:
        return "\\U%08x" % rng.randrange(0x110000)
    if k == 7 and not raw:
        return "\\N{%s}" % rng.choice(NAMES)
    if k == 8:
        return "\\" + rng.choice("qzcdeghijklmopswyQ89 {}" + "é€😀")
    if k == 9:
        return "\\\n" if not raw else "\\\\"
    if k == 10 and triple:
        return rng.choice(["\n", "\r\n", "\r", "\t", "\\\r\n"])
    if k == 11:
        return "'" if quote == '"' or triple else "\\'"
    if k == 12:
        return '"' if quote == "'" or triple else '\\"'
    return rng.choice(["\t", "\x01", "\x7f", "\x0c", "\x1b"])


def make_str(prefix, pieces_fn, n):
    quote = rng.choice(["'", '"'])
    triple = rng.random() < 0.4
    raw = "r" in prefix.lower()
    body = quote * 3
    while quote * 3 in body:
        body = "".join(pieces_fn(quote, triple, raw) for _ in range(n))
    q = quote * 3 if triple else quote
    if triple and body.endswith(quote):
        body += "x"
    if raw and body.endswith("\\") and not body.endswith("\\\\"):
        body += "x"
    return prefix + q + body + q


def bytes_piece(quote, triple, raw):
    k = rng.randrange(10)
    if k == 0:
        return rng.choice("abcXYZ 019!#$%&()*+,-./:;<=>?@[]^_`{|}~")
    if k == 1 and not raw:
        return "\\" + rng.choice("\\'\"abfnrtv")
    if k == 2 and not raw:
        return "\\" + "".join(rng.choice("01234567") for _ in range(rng.randint(1, 3)))
    if k == 3 and not raw:
        return "\\x%02x" % rng.randrange(256)
    if k == 4:
        return "\\" + rng.choice("uUNqz89{ ")
    if k == 5:
        return "\\\n"
    if k == 6 and triple:
        return rng.choice(["\n", "\r\n", "\r"])
    if k == 7:
        return "'" if quote == '"' or triple else "\\'"
    if k == 8:
        return '"' if quote == "'" or triple else '\\"'
    return rng.choice(["\t", "\x01", "\x7f"])


def fstring_piece(quote, triple, raw):
    if rng.random() < 0.25:
        return rng.choice(["{{", "}}", "{{}}", "a{{b", "\\N{EM DASH}"] if not raw else ["{{", "}}"])
    piece = str_piece(quote, triple, raw)
    while "{" in piece or "}" in piece or "\\N" in piece:
        piece = str_piece(quote, triple, raw)
    return piece


def string_cases():
    cases = []
    # every simple escape alone, each octal length, each hex width
    for e in "\\'\"abfnrtv":
        cases += ["'\\%s'" % e, "b'\\%s'" % e]
    for v in [0, 7, 8, 0o77, 0o100, 0o377, 0o400, 0o777]:
        for fmt in ["\\%o", "\\%03o"]:
            cases += ["'" + fmt % v + "'", "b'" + fmt % v + "'"]
    cases += ["'\\0009'", "'\\1234'", "b'\\1234'", "'\\x41\\u0041\\U00000041\\N{LATIN SMALL LETTER A}'",
              "'\\ud800'", "'\\udfff\\ud800'", "'\\U0010ffff'", "'\\U0001F600'", "'a\\\nb'",
              "'''a\\\r\nb'''", "'''a\r\nb\rc'''", "r'''a\r\nb'''", "rb'''a\r\nb'''", "b'''a\r\nb'''",
              "''", "b''", "r''", "'\"'", "\"'\"", "'\\'\"'", "b'\"'", "b\"'\"", "b'\\'\"'",
              "'\\q'", "'\\8\\9'", "b'\\u1234'", "b'\\N{EM DASH}'", "'\\é'", "'\\😀'",
              "r'\\n\\x'", "R'\\\\'", "Rb'\\x'", "bR'\\n'", "U'x'", "u'\\n'", "f''", "f'{{'",
              "f'}}'", "f'\\{{'", "f'\\}}'", "rf'\\{{'", "F'a{{b}}c'", "f'\\N{LEFT CURLY BRACKET}'",
              "'\\N{LATIN SMALL LETTER A}\\N{latin small letter a}\\N{HANGUL SYLLABLE GAG}'",
              "'\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{CJK UNIFIED IDEOGRAPH-04E00}'"]
    for c in CHARS:  # each sample character, in repr and through its escape
        cases.append("'" + chr(c) + "'")
        cases.append("'\\U%08x'" % c)
        if c <= 0xFFFF:
            cases.append("'\\u%04X'" % c)
        name = unicodedata.name(chr(c), None)
        if name:
            cases.append("'\\N{%s}'" % name)
    for c in list(range(0x20)) + list(range(0x7F, 0x100)):
        cases += ["'\\x%02x'" % c, "b'\\x%02x'" % c]
    for _ in range(2500):
        prefix = rng.choice(["", "", "", "r", "R", "u", "U"])
        cases.append(make_str(prefix, str_piece, rng.randint(1, 12)))
    for _ in range(1200):
        prefix = rng.choice(["b", "B", "b", "rb", "Rb", "bR", "BR"])
        cases.append(make_str(prefix, bytes_piece, rng.randint(1, 12)))
    for _ in range(800):
        prefix = rng.choice(["f", "F", "rf", "fR"])
        cases.append(make_str(prefix, fstring_piece, rng.randint(1, 10)))
    return cases


def error_cases():
    cases = []
    for prefix in ["", "é", "\\é", "😀x", "a\\\n", "'''\r\n"]:
        for bad in ["\\x", "\\x1", "\\xg1", "\\x1g", "\\u", "\\u123", "\\u12g4", "\\U0010fff",
                    "\\U00110000", "\\Uffffffff", "\\U0000004g", "\\N", "\\Nx", "\\N{", "\\N{}",
                    "\\N{foo}", "\\N{LATIN SMALL LETTER A", "\\N{hangul syllable ga}",
                    "\\N{HANGUL SYLLABLE GAA}", "\\N{CJK UNIFIED IDEOGRAPH-4e00}",
                    "\\N{CJK UNIFIED IDEOGRAPH-4DC0}", "\\N{CJK UNIFIED IDEOGRAPH-4E0}",
                    "\\N{é}", "\\N{\\é}", "\\N{ LATIN SMALL LETTER A}", "\\N{SPACE }",
                    "\\N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}", "\\N{TANGUT IDEOGRAPH-17000}"]:
            if prefix.startswith("'''"):
                cases.append("'''" + prefix[3:] + bad + "'''")
            else:
                cases.append("'" + prefix + bad + "'")
    for bad in ["\\x", "\\x1", "\\xg0", "\\x0g"]:
        for prefix in ["", "ab", "\\n", "'''\r\n"]:
            if prefix.startswith("'''"):
                cases.append("b'''" + prefix[3:] + bad + "'''")
            else:
                cases.append("b'" + prefix + bad + "'")
    cases += ["b'é'", "rb'é'", "b'abc\\x00€'", "f'\\x1'", "f'{{\\x1'", "f'ab{{é\\x1'",
              "f'a}}\\N{foo}'", "f'\\{{\\x'"]
    return cases


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("gen_literal_cases: run with python3.11")
    write("floats.txt", float_cases())
    write("ints.txt", int_cases())
    write("strings.txt", string_cases())
    write("string_errors.txt", error_cases())


if __name__ == "__main__":
    main()
