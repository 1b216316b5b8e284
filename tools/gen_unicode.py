#!/usr/bin/env python3.11
"""Generates lib/base/unicode_tables.inc from CPython 3.11's unicodedata (Unicode 14.0.0).

The tables make ivyc agree with CPython code point for code point:
  - identifier classes: where chr(c).isidentifier() and ("a" + chr(c)).isidentifier() hold;
  - str.isprintable() (what repr() leaves unescaped);
  - NFKC data: canonical combining classes, full compatibility decompositions (Hangul syllables
    are algorithmic and left out), primary composites (canonical pairs that NFC recomposes);
  - names for \\N{...}: every unicodedata.name() except the algorithmic CJK UNIFIED IDEOGRAPH-X and
    HANGUL SYLLABLE X ones, plus the formal name aliases (NameAliases.txt, checked against
    unicodedata.lookup); named sequences are not part of \\N{...} and are left out.

Usage: tools/gen_unicode.py           rewrite the table file
       tools/gen_unicode.py --check   exit 1 when regenerating would change the file
"""

import pathlib
import sys
import unicodedata

from generated_file import write_or_check

UNICODE_VERSION = "14.0.0"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "lib" / "base" / "unicode_tables.inc"
MAX_CP = 0x110000
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
CJK_PREFIX = "CJK UNIFIED IDEOGRAPH-"
NAMES_PER_BLOCK = 16

# Formal name aliases of Unicode 14.0 (NameAliases.txt): code point, then its aliases. The
# variation selector abbreviations VS1..VS256 follow from a rule below.
ALIASES = """\
0000;NULL;NUL
0001;START OF HEADING;SOH
0002;START OF TEXT;STX
0003;END OF TEXT;ETX
0004;END OF TRANSMISSION;EOT
0005;ENQUIRY;ENQ
0006;ACKNOWLEDGE;ACK
0007;ALERT;BEL
0008;BACKSPACE;BS
0009;CHARACTER TABULATION;HORIZONTAL TABULATION;HT;TAB
000A;LINE FEED;NEW LINE;END OF LINE;EOL;LF;NL
000B;LINE TABULATION;VERTICAL TABULATION;VT
000C;FORM FEED;FF
000D;CARRIAGE RETURN;CR
000E;SHIFT OUT;LOCKING-SHIFT ONE;SO
000F;SHIFT IN;LOCKING-SHIFT ZERO;SI
0010;DATA LINK ESCAPE;DLE
0011;DEVICE CONTROL ONE;DC1
0012;DEVICE CONTROL TWO;DC2
0013;DEVICE CONTROL THREE;DC3
0014;DEVICE CONTROL FOUR;DC4
0015;NEGATIVE ACKNOWLEDGE;NAK
0016;SYNCHRONOUS IDLE;SYN
0017;END OF TRANSMISSION BLOCK;ETB
0018;CANCEL;CAN
0019;END OF MEDIUM;EOM
001A;SUBSTITUTE;SUB
001B;ESCAPE;ESC
001C;INFORMATION SEPARATOR FOUR;FILE SEPARATOR;FS
001D;INFORMATION SEPARATOR THREE;GROUP SEPARATOR;GS
001E;INFORMATION SEPARATOR TWO;RECORD SEPARATOR;RS
001F;INFORMATION SEPARATOR ONE;UNIT SEPARATOR;US
0020;SP
007F;DELETE;DEL
0080;PADDING CHARACTER;PAD
0081;HIGH OCTET PRESET;HOP
0082;BREAK PERMITTED HERE;BPH
0083;NO BREAK HERE;NBH
0084;INDEX;IND
0085;NEXT LINE;NEL
0086;START OF SELECTED AREA;SSA
0087;END OF SELECTED AREA;ESA
0088;CHARACTER TABULATION SET;HORIZONTAL TABULATION SET;HTS
0089;CHARACTER TABULATION WITH JUSTIFICATION;HORIZONTAL TABULATION WITH JUSTIFICATION;HTJ
008A;LINE TABULATION SET;VERTICAL TABULATION SET;VTS
008B;PARTIAL LINE FORWARD;PARTIAL LINE DOWN;PLD
008C;PARTIAL LINE BACKWARD;PARTIAL LINE UP;PLU
008D;REVERSE LINE FEED;REVERSE INDEX;RI
008E;SINGLE SHIFT TWO;SINGLE-SHIFT-2;SS2
008F;SINGLE SHIFT THREE;SINGLE-SHIFT-3;SS3
0090;DEVICE CONTROL STRING;DCS
0091;PRIVATE USE ONE;PRIVATE USE-1;PU1
0092;PRIVATE USE TWO;PRIVATE USE-2;PU2
0093;SET TRANSMIT STATE;STS
0094;CANCEL CHARACTER;CCH
0095;MESSAGE WAITING;MW
0096;START OF GUARDED AREA;START OF PROTECTED AREA;SPA
0097;END OF GUARDED AREA;END OF PROTECTED AREA;EPA
0098;START OF STRING;SOS
0099;SINGLE GRAPHIC CHARACTER INTRODUCER;SGC
009A;SINGLE CHARACTER INTRODUCER;SCI
009B;CONTROL SEQUENCE INTRODUCER;CSI
009C;STRING TERMINATOR;ST
009D;OPERATING SYSTEM COMMAND;OSC
009E;PRIVACY MESSAGE;PM
009F;APPLICATION PROGRAM COMMAND;APC
00A0;NBSP
00AD;SHY
01A2;LATIN CAPITAL LETTER GHA
01A3;LATIN SMALL LETTER GHA
034F;CGJ
061C;ALM
0709;SYRIAC SUBLINEAR COLON SKEWED LEFT
0CDE;KANNADA LETTER LLLA
0E9D;LAO LETTER FO FON
0E9F;LAO LETTER FO FAY
0EA3;LAO LETTER RO
0EA5;LAO LETTER LO
0FD0;TIBETAN MARK BKA- SHOG GI MGO RGYAN
11EC;HANGUL JONGSEONG YESIEUNG-KIYEOK
11ED;HANGUL JONGSEONG YESIEUNG-SSANGKIYEOK
11EE;HANGUL JONGSEONG SSANGYESIEUNG
11EF;HANGUL JONGSEONG YESIEUNG-KHIEUKH
180B;FVS1
180C;FVS2
180D;FVS3
180E;MVS
180F;FVS4
200B;ZWSP
200C;ZWNJ
200D;ZWJ
200E;LRM
200F;RLM
202A;LRE
202B;RLE
202C;PDF
202D;LRO
202E;RLO
202F;NNBSP
205F;MMSP
2060;WJ
2066;LRI
2067;RLI
2068;FSI
2069;PDI
2118;WEIERSTRASS ELLIPTIC FUNCTION
2448;MICR ON US SYMBOL
2449;MICR DASH SYMBOL
2B7A;LEFTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
2B7C;RIGHTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
A015;YI SYLLABLE ITERATION MARK
AA6E;MYANMAR LETTER KHAMTI LLA
FE18;PRESENTATION FORM FOR VERTICAL RIGHT WHITE LENTICULAR BRACKET
FEFF;BYTE ORDER MARK;BOM;ZWNBSP
122D4;CUNEIFORM SIGN NU11 TENU
122D5;CUNEIFORM SIGN NU11 OVER NU11 BUR OVER BUR
16E56;MEDEFAIDRIN CAPITAL LETTER H
16E57;MEDEFAIDRIN CAPITAL LETTER NG
16E76;MEDEFAIDRIN SMALL LETTER H
16E77;MEDEFAIDRIN SMALL LETTER NG
1B001;HENTAIGANA LETTER E-1
1D0C5;BYZANTINE MUSICAL SYMBOL FTHORA SKLIRON CHROMA VASIS
"""


def aliases():
    result = []
    for line in ALIASES.splitlines():
        cp, *names = line.split(";")
        result.extend((name, int(cp, 16)) for name in names)
    result.extend((f"VS{i + 1}", 0xFE00 + i) for i in range(16))
    result.extend((f"VS{i + 17}", 0xE0100 + i) for i in range(240))
    for name, cp in result:
        found = unicodedata.lookup(name)
        if found != chr(cp):
            sys.exit(f"gen_unicode: alias {name!r} is {found!r} in unicodedata, not U+{cp:04X}")
    return result


def ranges(predicate):
    """Maximal runs [first, last] of code points where predicate holds."""
    out = []
    start = None
    for cp in range(MAX_CP):
        if predicate(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, MAX_CP - 1))
    return out


def combining_ranges():
    out = []
    for cp in range(MAX_CP):
        ccc = unicodedata.combining(chr(cp))
        if not ccc:
            continue
        if out and out[-1][1] == cp - 1 and out[-1][2] == ccc:
            out[-1][1] = cp
        else:
            out.append([cp, cp, ccc])
    return out


def decompositions():
    """(cp, full compatibility decomposition) for every code point that NFKD changes."""
    out = []
    for cp in range(MAX_CP):
        if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
            continue
        d = unicodedata.normalize("NFKD", chr(cp))
        if d != chr(cp):
            out.append((cp, [ord(c) for c in d]))
    return out


def compositions():
    """(first, second, composite) for every primary composite, sorted."""
    out = []
    for cp in range(MAX_CP):
        decomp = unicodedata.decomposition(chr(cp)).split()
        if len(decomp) != 2 or decomp[0].startswith("<"):
            continue
        first, second = (int(x, 16) for x in decomp)
        if unicodedata.combining(chr(first)) != 0:
            continue  # a non-starter decomposition
        if unicodedata.normalize("NFC", chr(cp)) != chr(cp):
            continue  # a composition exclusion
        out.append((first, second, cp))
    return sorted(out)


def names():
    """(NAME, cp) for all names \\N{...} looks up in its table, sorted by name; and the code point
    ranges of the algorithmic CJK UNIFIED IDEOGRAPH-XXXX names."""
    table = {}
    cjk = []
    for cp in range(MAX_CP):
        name = unicodedata.name(chr(cp), None)
        if name is None:
            continue
        if name.startswith(CJK_PREFIX):
            if name != f"{CJK_PREFIX}{cp:X}":
                sys.exit(f"gen_unicode: unexpected name {name!r} for U+{cp:04X}")
            cjk.append(cp)
            continue
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            continue
        table[name] = cp
    for name, cp in aliases():
        if name in table:
            sys.exit(f"gen_unicode: alias {name!r} is also a character name")
        table[name] = cp
    cjk_ranges = []
    for cp in cjk:
        if cjk_ranges and cjk_ranges[-1][1] == cp - 1:
            cjk_ranges[-1][1] = cp
        else:
            cjk_ranges.append([cp, cp])
    return sorted(table.items()), cjk_ranges


def encode_names(entries):
    """Front-coded names in blocks of NAMES_PER_BLOCK; see lookup_name in unicode.cpp.

    Entry: one byte, the length of the prefix shared with the previous name of the block (0 for a
    block's first name); the rest of the name (ASCII A-Z 0-9 space hyphen); the code point in three
    bytes 0x80 | cp >> 14, cp >> 7 & 0x7F, cp & 0x7F (the high bit ends the name)."""
    data = bytearray()
    blocks = []
    prev = ""
    for i, (name, cp) in enumerate(entries):
        if i % NAMES_PER_BLOCK == 0:
            blocks.append(len(data))
            prev = ""
        shared = 0
        while shared < min(len(name), len(prev)) and name[shared] == prev[shared]:
            shared += 1
        assert shared < 0x80 and all(c.isupper() or c.isdigit() or c in " -" for c in name)
        data.append(shared)
        data += name[shared:].encode("ascii")
        data += bytes([0x80 | cp >> 14, cp >> 7 & 0x7F, cp & 0x7F])
        prev = name
    return bytes(data), blocks


def c_string(data, width=100):
    """A C++ string literal (split into adjacent literals) holding `data` exactly."""
    lines = []
    line = ""
    for b in data:
        ch = chr(b)
        if 0x20 <= b < 0x7F and ch not in '"\\?':
            piece = ch
        else:
            piece = "\\%03o" % b
        if len(line) + len(piece) > width:
            lines.append('    "' + line + '"')
            line = ""
        line += piece
    lines.append('    "' + line + '"')
    return "\n".join(lines)


def c_array(items, per_line):
    rows = []
    for i in range(0, len(items), per_line):
        rows.append("    " + " ".join(item + "," for item in items[i:i + per_line]))
    return "\n".join(rows)


def generate():
    if unicodedata.unidata_version != UNICODE_VERSION:
        sys.exit(f"gen_unicode: needs Unicode {UNICODE_VERSION} (python3.11); this Python has "
                 f"{unicodedata.unidata_version}")
    xid_start = ranges(lambda cp: chr(cp).isidentifier())
    xid_continue = ranges(lambda cp: ("a" + chr(cp)).isidentifier())
    printable = ranges(lambda cp: chr(cp).isprintable())
    ccc = combining_ranges()
    decomps = decompositions()
    comps = compositions()
    name_entries, cjk = names()
    name_data, name_blocks = encode_names(name_entries)

    def range_items(rs):
        return [f"{{0x{a:X}, 0x{b:X}}}" for a, b in rs]

    pool = []
    decomp_items = []
    for cp, d in decomps:
        assert len(d) < 32
        decomp_items.append(f"{{0x{cp:X}, {len(pool)}, {len(d)}}}")
        pool.extend(d)

    out = []
    out.append("// @generated by tools/gen_unicode.py; do not edit.")
    out.append(f"// Unicode {UNICODE_VERSION}, from the unicodedata module of Python "
               f"{sys.version_info.major}.{sys.version_info.minor}. Included by unicode.cpp, which "
               "defines the row types.")
    out.append("")
    out.append("// chr(c).isidentifier(): XID_Start and '_'.")
    out.append(f"constexpr Range kXidStart[] = {{\n{c_array(range_items(xid_start), 6)}\n}};")
    out.append("// (\"a\" + chr(c)).isidentifier(): XID_Continue.")
    out.append(f"constexpr Range kXidContinue[] = {{\n{c_array(range_items(xid_continue), 6)}\n}};")
    out.append("// chr(c).isprintable().")
    out.append(f"constexpr Range kPrintable[] = {{\n{c_array(range_items(printable), 6)}\n}};")
    out.append("// Canonical combining classes other than 0.")
    items = [f"{{0x{a:X}, 0x{b:X}, {c}}}" for a, b, c in ccc]
    out.append(f"constexpr CombiningRange kCombining[] = {{\n{c_array(items, 5)}\n}};")
    out.append("// Full compatibility decompositions (NFKD of one code point), Hangul syllables aside:")
    out.append("// code point, offset in kDecompositionData, length.")
    out.append(f"constexpr Decomposition kDecompositions[] = {{\n{c_array(decomp_items, 5)}\n}};")
    items = [f"0x{c:X}" for c in pool]
    out.append(f"constexpr char32_t kDecompositionData[] = {{\n{c_array(items, 10)}\n}};")
    out.append("// Primary composites: first, second, composite; sorted by (first, second).")
    items = [f"{{0x{a:X}, 0x{b:X}, 0x{c:X}}}" for a, b, c in comps]
    out.append(f"constexpr Composition kCompositions[] = {{\n{c_array(items, 4)}\n}};")
    out.append("// Code points named CJK UNIFIED IDEOGRAPH-XXXX.")
    out.append(f"constexpr Range kUnifiedIdeographs[] = {{\n{c_array(range_items(cjk), 6)}\n}};")
    out.append(f"// {len(name_entries)} character names and aliases, sorted, front-coded in blocks of "
               f"{NAMES_PER_BLOCK} (see tools/gen_unicode.py encode_names).")
    out.append(f"constexpr int kNamesPerBlock = {NAMES_PER_BLOCK};")
    out.append(f"constexpr uint32_t kNameCount = {len(name_entries)};")
    items = [str(b) for b in name_blocks]
    out.append(f"constexpr uint32_t kNameBlocks[] = {{\n{c_array(items, 12)}\n}};")
    out.append(f"constexpr char kNameData[] =\n{c_string(name_data)};")
    out.append("")
    return "\n".join(out)


def main():
    return write_or_check(OUTPUT, generate, ROOT, "tools/gen_unicode.py")


if __name__ == "__main__":
    sys.exit(main())
