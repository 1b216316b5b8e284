#!/usr/bin/env python3.11
"""Generates lib/source/codec_tables.inc from the codecs of CPython 3.11 (the encodings package).

ivyc decodes a file declared `# coding: NAME` as CPython 3.11's ast.parse does: NAME is looked up
as codecs.lookup looks it up (encodings.aliases, then the module name) and the file is decoded by
that codec. The tables hold, for every codec module of this Python:

  - its name (codecs.lookup(...).name) and the names that find it (aliases and module name);
  - what ivyc does with it: strict UTF-8 (utf_8 reached by a name the tokenizer does not normalize,
    such as "utf8"), a table codec, a codec that always fails (not a text encoding, "undefined":
    CPython's message is kept), or unsupported (stateful and transforming codecs: utf-16/32, utf-7,
    iso2022, hz, unicode_escape, idna, punycode, ...);
  - for a table codec, its byte sequences and what each decodes to, found by asking the codec
    itself: every single byte and every two-byte sequence, and the longer sequences of the few
    codecs that have them (gb18030's four-byte sequences, the three-byte JIS X 0212 sequences of
    the EUC-JP family, the eight-byte Hangul make-up sequences of euc_kr).

Table format (decoded by lib/source/codecs.cpp): a codec's table is a stream of records over an
index space: index b for a single byte, (b1 << 8) | b2 for a two-byte sequence, 0x10000 + i for the
i-th sequence of the codec's long box (mixed radix over the box's byte ranges). Each value is a
code point, 0x110000 + k for the k-th pair of code points (kPairs), or one of the markers LEAD (a
first byte that needs a second), LONG (the prefix of a long box sequence) and MAKEUP (euc_kr's
make-up prefix). A record is: gap (indices skipped since the end of the previous record), then
count * 2 + run; a run holds one value delta and count values rising by one, otherwise count
value deltas follow. Deltas are from the previous value, zigzag coded. Numbers are written as
little-endian groups of 5 bits, one base64 character per group, bit 5 set when a group follows.

Usage: tools/gen_codecs.py           rewrite the table file
       tools/gen_codecs.py --check   exit 1 when regenerating would change the file
"""

import ast
import codecs
import encodings
import encodings.aliases
import importlib
import pathlib
import pkgutil
import random
import sys

from generated_file import write_or_check

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "lib" / "source" / "codec_tables.inc"

BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
PAIR_BASE = 0x110000
LEAD = 0x120000
LONG = 0x120001
MAKEUP = 0x120002
BOX_BASE = 0x10000

# Codecs whose decoders read ahead: a prefix after which every next byte reads as "incomplete"
# (the decoder waits for the whole sequence before looking at it). For each, the byte ranges of
# the whole sequence; the prefix is how many leading bytes choose the box.
LONG_BOXES = {
    "gb18030": dict(prefix=2, dims=[(0x81, 0xFE), (0x30, 0x39), (0x81, 0xFE), (0x30, 0x39)]),
    "euc_jp": dict(prefix=1, dims=[(0x8F, 0x8F), (0xA1, 0xFE), (0xA1, 0xFE)]),
    "euc_jis_2004": dict(prefix=1, dims=[(0x8F, 0x8F), (0xA1, 0xFE), (0xA1, 0xFE)]),
    "euc_jisx0213": dict(prefix=1, dims=[(0x8F, 0x8F), (0xA1, 0xFE), (0xA1, 0xFE)]),
}
# euc_kr's KS X 1001:1998 Annex 3 make-up sequences: A4 D4 A4 c1 A4 c2 A4 c3, one Hangul syllable
# 0xAC00 + (cho * 21 + jung) * 28 + jong from the three tables below (probed from the codec).
MAKEUP_CODEC = "euc_kr"
MAKEUP_PREFIX = b"\xa4\xd4"


def fail(message):
    sys.exit(f"gen_codecs: {message}")


def normalize(name):
    """codecs.lookup's normalization: lower case, runs of other characters than ASCII
    alphanumerics and '.' become one '_' (dropped at the ends)."""
    out = []
    punct = False
    for c in name.lower():
        if (c.isascii() and c.isalnum()) or c == ".":
            if punct and out:
                out.append("_")
            out.append(c)
            punct = False
        else:
            punct = True
    return "".join(out)


def classify(data, decode):
    """('ok', text) / ('incomplete',) / ('illegal',) for `data` decoded strictly."""
    try:
        text, n = decode(data)
    except UnicodeDecodeError as e:
        return ("incomplete",) if e.reason.startswith(("incomplete", "unexpected end")) else ("illegal",)
    if n != len(data):
        return ("illegal",)
    return ("ok", text)


def error_of(decode, data):
    try:
        decode(data)
    except UnicodeDecodeError as e:
        return e.encoding, e.reason
    return None


class Table:
    """A table codec: index -> value (code point, pair, marker)."""

    def __init__(self):
        self.values = {}
        self.pairs = []
        self.box = None  # (prefix, dims)
        self.makeup = None  # (cho, jung, jong) tables of 256 entries, -1 for none


def value_of(text, pairs):
    if len(text) == 1:
        return ord(text)
    if len(text) == 2:
        if text not in pairs:
            pairs.append(text)
        return PAIR_BASE + pairs.index(text)
    fail(f"a sequence decodes to {text!r}")


def probe_makeup(decode):
    def syllable(c1, c2, c3):
        r = classify(bytes([0xA4, 0xD4, 0xA4, c1, 0xA4, c2, 0xA4, c3]), decode)
        return ord(r[1]) - 0xAC00 if r[0] == "ok" and len(r[1]) == 1 else None

    # A valid syllable to vary one position of: the first found.
    base = next((c1, c2, c3) for c1 in range(256) for c2 in range(256) for c3 in (0xD4,)
                if syllable(c1, c2, c3) is not None)
    tables = []
    for pos in range(3):
        table = []
        for b in range(256):
            c = list(base)
            c[pos] = b
            s = syllable(*c)
            if s is None:
                table.append(-1)
            else:
                table.append([s // 588, s // 28 % 21, s % 28][pos])
        tables.append(table)
    rng = random.Random(1)
    for _ in range(3000):
        c = [rng.randrange(256) for _ in range(3)]
        ok = all(tables[i][c[i]] >= 0 for i in range(3))
        s = syllable(*c)
        want = (tables[0][c[0]] * 21 + tables[1][c[1]]) * 28 + tables[2][c[2]] if ok else None
        if s != want:
            fail(f"euc_kr make-up {c}: {s} != {want}")
    return tables


def probe_table(name):
    """The decoding of every sequence of a stateless table codec, asked of the codec."""
    decode = codecs.getdecoder(name)
    t = Table()
    lookahead = []
    for b1 in range(256):
        r = classify(bytes([b1]), decode)
        if r[0] == "ok":
            t.values[b1] = value_of(r[1], t.pairs)
            continue
        if r[0] == "illegal":
            continue
        lead = False
        for b2 in range(256):
            s = bytes([b1, b2])
            r2 = classify(s, decode)
            if r2[0] == "ok":
                t.values[b1 << 8 | b2] = value_of(r2[1], t.pairs)
                lead = True
            elif r2[0] == "incomplete":
                lookahead.append(s)
        if lead:
            t.values[b1] = LEAD
    if not lookahead:
        return t
    # Prefixes after which the decoder reads ahead: they need a box (or are euc_kr's make-up).
    if name == MAKEUP_CODEC:
        if lookahead != [MAKEUP_PREFIX]:
            fail(f"{name}: unexpected read-ahead prefixes {lookahead[:4]}")
        t.values[0xA4 << 8 | 0xD4] = MAKEUP
        t.makeup = probe_makeup(decode)
        return t
    box = LONG_BOXES.get(name)
    if box is None:
        fail(f"{name}: the decoder reads ahead after {lookahead[:4]}; add it to LONG_BOXES")
    prefix, dims = box["prefix"], box["dims"]
    t.box = (prefix, dims)
    for s in lookahead:
        p = s[:prefix]
        if prefix == 1:
            if t.values.get(p[0]) not in (None, LEAD, LONG):
                fail(f"{name}: box prefix {p!r} decodes alone")
            t.values[p[0]] = LONG
        else:
            t.values[p[0] << 8 | p[1]] = LONG
            t.values.setdefault(p[0], LEAD)
    # Every sequence of the box, then a sample of sequences outside it (all must be illegal).
    sizes = [hi - lo + 1 for lo, hi in dims]
    rng = random.Random(2)

    def walk(i, prefix_bytes, index):
        if i == len(dims):
            r = classify(prefix_bytes, decode)
            if r[0] == "ok":
                t.values[BOX_BASE + index] = value_of(r[1], t.pairs)
            elif r[0] == "incomplete":
                fail(f"{name}: {prefix_bytes!r} is incomplete")
            return
        lo, hi = dims[i]
        for b in range(lo, hi + 1):
            walk(i + 1, prefix_bytes + bytes([b]), index * sizes[i] + (b - lo))

    walk(0, b"", 0)
    n = len(dims)
    for s in lookahead:
        for _ in range(300):
            seq = bytearray(s[:prefix])
            while len(seq) < n:
                seq.append(rng.randrange(256))
            inside = all(lo <= b <= hi for b, (lo, hi) in zip(seq, dims))
            r = classify(bytes(seq), decode)
            if not inside and r[0] == "ok":
                fail(f"{name}: {bytes(seq)!r} decodes but lies outside the box")
    return t


def varint(n, out):
    while True:
        group = n & 31
        n >>= 5
        out.append(BASE64[group | (32 if n else 0)])
        if not n:
            return


def zigzag(n):
    return n * 2 if n >= 0 else -n * 2 - 1


def encode_stream(values):
    """The record stream of index -> value (see the module docstring)."""
    out = []
    items = sorted(values.items())
    prev_end = 0
    prev_value = 0
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1][0] == items[j][0] + 1:
            j += 1
        # Within the consecutive indices i..j: rising runs of 4 or more are run records.
        k = i
        while k <= j:
            r = k
            while r + 1 <= j and items[r + 1][1] == items[r][1] + 1:
                r += 1
            if r - k + 1 >= 4:
                varint(items[k][0] - prev_end, out)
                varint((r - k + 1) * 2 + 1, out)
                varint(zigzag(items[k][1] - prev_value), out)
                prev_value = items[r][1]
                prev_end = items[r][0] + 1
                k = r + 1
                continue
            # A literal record up to the next rising run of 4.
            e = k
            while e <= j:
                r2 = e
                while r2 + 1 <= j and items[r2 + 1][1] == items[r2][1] + 1:
                    r2 += 1
                if r2 - e + 1 >= 4:
                    break
                e = r2 + 1
            varint(items[k][0] - prev_end, out)
            varint((e - k) * 2, out)
            for m in range(k, e):
                varint(zigzag(items[m][1] - prev_value), out)
                prev_value = items[m][1]
            prev_end = items[e - 1][0] + 1
            k = e
        i = j + 1
    return "".join(out)


def decode_stream(text):
    """The inverse of encode_stream, to check it."""
    pos = 0

    def read():
        nonlocal pos
        n = 0
        shift = 0
        while True:
            v = BASE64.index(text[pos])
            pos += 1
            n |= (v & 31) << shift
            shift += 5
            if not v & 32:
                return n

    def unzig(n):
        return n // 2 if n % 2 == 0 else -(n + 1) // 2

    values = {}
    index = 0
    value = 0
    while pos < len(text):
        index += read()
        header = read()
        count = header // 2
        if header % 2:
            value += unzig(read())
            for m in range(count):
                values[index + m] = value + m
            value += count - 1
        else:
            for m in range(count):
                value += unzig(read())
                values[index + m] = value
        index += count
    return values


def codec_modules():
    names = sorted(m.name for m in pkgutil.iter_modules(encodings.__path__))
    found = {}
    for m in names:
        try:
            info = codecs.lookup(m)
        except LookupError:
            continue  # mbcs, oem (Windows), aliases (not a codec)
        mod = importlib.import_module("encodings." + m)
        if getattr(mod, "getregentry", None) is None:
            continue
        found[m] = info
    return found


def describe_codec(module, info):
    """(kind, error_name, message, table) for one codec module."""
    if not info._is_text_encoding:
        return "NotText", "", "'{}' is not a text encoding; use codecs.decode() to handle arbitrary codecs", None
    try:
        info.decode(b"x")
    except UnicodeDecodeError:
        pass
    except Exception:  # noqa: BLE001 - a codec that always fails ("undefined")
        try:
            ast.parse(b"# coding: " + module.encode() + b"\n")
        except SyntaxError as e:
            message = e.msg.replace(f"'{module}'", "'{}'")
            if "{}" not in message:
                fail(f"{module}: cannot template {e.msg!r}")
            return "Fails", "", message, None
        fail(f"{module}: the codec fails but ast.parse accepts")
    if module == "utf_8":
        return "Utf8", "utf-8", "", None
    if module == "utf_8_sig":
        return "Utf8Sig", "utf-8", "", None
    mod = importlib.import_module("encodings." + module)
    table_codec = isinstance(getattr(mod, "decoding_table", None), str) or module in (
        "ascii", "latin_1", "charmap")
    multibyte = hasattr(mod, "codec") and module not in ("hz",) and not module.startswith("iso2022")
    if not (table_codec or multibyte):
        return "Unsupported", "", "", None
    table = probe_table(module)
    # The codec's name and reason in its errors: from an undefined byte, or a first byte followed
    # by a line end (never a second byte).
    err = None
    for b in range(256):
        err = error_of(info.decode, bytes([b, 0x0A]))
        if err:
            break
    if err is None:  # every byte decodes: a message is never needed
        err = ("charmap", "")
    if table_codec and len(table.values) > 256:
        fail(f"{module}: a single-byte codec with longer sequences")
    # Line ends must stay themselves and never continue a sequence.
    for b in (0x0A, 0x0D):
        for lead in [k for k, v in table.values.items() if v in (LEAD,)]:
            if (lead << 8 | b) in table.values:
                fail(f"{module}: {lead:#x} {b:#x} is a sequence")
    return "Table", err[0], err[1], table


def generate():
    if sys.version_info[:2] != (3, 11):
        fail("needs python3.11 (its codecs are the reference)")
    modules = codec_modules()
    entries = []
    for module, info in modules.items():
        kind, error_name, message, table = describe_codec(module, info)
        entries.append(dict(module=module, name=info.name, kind=kind, error_name=error_name,
                            message=message, table=table))
    index = {e["module"]: i for i, e in enumerate(entries)}

    # Alias keys whose codec can be found (encodings.search_function: aliases first, then the
    # normalized name as a module name).
    aliases = {}
    for key, target in encodings.aliases.aliases.items():
        if target in index:
            aliases[key] = index[target]
        else:
            try:
                codecs.lookup(key)
            except LookupError:
                continue
            fail(f"alias {key} -> {target} finds a codec another way")
    # Check the lookup ivyc does against codecs.lookup on every key and a few spellings.
    def ivyc_lookup(name):
        norm = normalize(name)
        hit = aliases.get(norm)
        if hit is None:
            hit = aliases.get(norm.replace(".", "_"))
        if hit is None and "." not in norm:
            hit = index.get(norm)
        return hit

    spellings = set(aliases) | set(index)
    for key in list(spellings):
        spellings.add(key.upper())
        spellings.add(key.replace("_", "-"))
        spellings.add("-" + key.replace("_", " ") + "--")
    for s in sorted(spellings):
        try:
            want = codecs.lookup(s).name
        except LookupError:
            want = None
        got = ivyc_lookup(s)
        got_name = entries[got]["name"] if got is not None else None
        if got_name != want:
            fail(f"lookup of {s!r}: ivyc would find {got_name}, Python finds {want}")

    pairs = []
    makeup = None
    out = []
    out.append("// @generated by tools/gen_codecs.py; do not edit.")
    out.append(f"// The codecs of Python {sys.version_info.major}.{sys.version_info.minor}'s encodings "
               "package as ivyc decodes source files with them.")
    out.append("// Included by codecs.cpp, which defines the row types; the table format is described in")
    out.append("// tools/gen_codecs.py.")
    out.append("")
    streams = []
    table_rows = []
    for e in entries:
        t = e["table"]
        if t is None:
            e["table_index"] = -1
            continue
        values = dict(t.values)
        for k, v in values.items():
            if PAIR_BASE <= v < LEAD:
                text = t.pairs[v - PAIR_BASE]
                if text not in pairs:
                    pairs.append(text)
                values[k] = PAIR_BASE + pairs.index(text)
        stream = encode_stream(values)
        if decode_stream(stream) != values:
            fail(f"{e['module']}: the stream does not decode back")
        e["table_index"] = len(table_rows)
        box = t.box
        if box:
            prefix, dims = box
            dims_c = ", ".join(f"{{0x{lo:02X}, 0x{hi:02X}}}" for lo, hi in dims)
            box_c = f"{prefix}, {len(dims)}, {{{dims_c}}}"
        else:
            box_c = "0, 0, {}"
        flat = 65536 if any(k >= 0x100 for k in values) else 256
        table_rows.append((e["module"], len(streams), flat, box_c, t.makeup is not None))
        streams.append((e["module"], stream))
        if t.makeup is not None:
            makeup = t.makeup

    out.append("// Codecs, one per module of the encodings package that codecs.lookup finds: name "
               "(codecs.lookup(...).name),")
    out.append("// kind, the codec's name and reason in a UnicodeDecodeError (or CPython's message, "
               "'{}' for the")
    out.append("// declared name), table (kTables) or -1.")
    out.append("constexpr CodecEntry kCodecEntries[] = {")
    for e in entries:
        out.append(f'    {{"{e["name"]}", CodecKind::{e["kind"]}, "{e["error_name"]}", '
                   f'"{e["message"]}", {e["table_index"]}}},  // {e["module"]}')
    out.append("};")
    out.append("")
    out.append("// encodings.aliases (normalized keys) whose codec exists: key, codec; sorted.")
    out.append("constexpr CodecName kCodecAliases[] = {")
    items = [f'{{"{k}", {v}}}' for k, v in sorted(aliases.items())]
    for i in range(0, len(items), 4):
        out.append("    " + " ".join(x + "," for x in items[i:i + 4]))
    out.append("};")
    out.append("")
    out.append("// Module names: name, codec; sorted.")
    out.append("constexpr CodecName kCodecModules[] = {")
    items = [f'{{"{m}", {i}}}' for m, i in sorted(index.items())]
    for i in range(0, len(items), 4):
        out.append("    " + " ".join(x + "," for x in items[i:i + 4]))
    out.append("};")
    out.append("")
    out.append("// Sequences that decode to two code points (value 0x110000 + index).")
    out.append("constexpr char32_t kPairs[][2] = {")
    for text in pairs:
        out.append(f"    {{0x{ord(text[0]):04X}, 0x{ord(text[1]):04X}}},")
    if not pairs:
        out.append("    {0, 0},")
    out.append("};")
    out.append("")
    out.append("// euc_kr's make-up sequences A4 D4 A4 c1 A4 c2 A4 c3: choseong, jungseong and "
               "jongseong index of")
    out.append("// each byte c1, c2, c3; -1 where the codec rejects it.")
    if makeup is None:
        fail(f"no make-up tables ({MAKEUP_CODEC})")
    out.append("constexpr int8_t kMakeup[3][256] = {")
    for table in makeup:
        out.append("    {")
        for i in range(0, 256, 16):
            out.append("        " + " ".join(f"{v}," for v in table[i:i + 16]))
        out.append("    },")
    out.append("};")
    out.append("")
    out.append("// Table streams, one per table codec.")
    for module, stream in streams:
        lines = [stream[i:i + 96] for i in range(0, len(stream), 96)] or [""]
        out.append(f"constexpr char kStream_{module}[] =")
        out.append("\n".join(f'    "{line}"' for line in lines) + ";")
    out.append("")
    out.append("// Table codecs: stream, size of the flat table (256: single bytes only), the long "
               "box (prefix")
    out.append("// length, sequence length, byte ranges), whether it has euc_kr's make-up sequences.")
    out.append("constexpr TableEntry kTables[] = {")
    for module, _, flat, box_c, has_makeup in table_rows:
        out.append(f"    {{kStream_{module}, sizeof kStream_{module} - 1, {flat}, {box_c}, "
                   f"{'true' if has_makeup else 'false'}}},")
    out.append("};")
    out.append("")
    return "\n".join(out)


def main():
    return write_or_check(OUTPUT, generate, ROOT, "tools/gen_codecs.py")


if __name__ == "__main__":
    sys.exit(main())
