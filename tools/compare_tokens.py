#!/usr/bin/env python3
"""Compares ivyc's token stream with CPython 3.12's tokenize module, file by file.

Usage:
  tools/compare_tokens.py [--ivyc BUILD/ivyc] [--python PYTHON3.12] [--roundtrip] [-v] PATH...

PATH is a file or a directory (searched for *.py). The script runs PYTHON (3.12 or newer: its
tokenize module is CPython's C tokenizer and emits PEP 701 f-string tokens) on each file, and
`ivyc parse --tokens` on the same files, and compares the two streams token by token: kind, start
(line and UTF-8 byte column, as ivyc prints them) and text. It reports each file that differs
with the first difference, and a summary. With --roundtrip it also checks that
`ivyc parse --roundtrip` gives back each file's bytes.

Known, intentional differences, normalized away before comparing:
  - tokenize splits FSTRING_MIDDLE at each doubled brace ({{ or }}) and gives the text with the
    brace halved; ivyc has one FStringMiddle over the source text. Consecutive FSTRING_MIDDLE
    tokens are merged and compared by the source text they cover.
  - ivyc classifies keywords (If, Def, ...); tokenize says NAME. Keywords compare as NAME.
  - tokenize emits an empty FSTRING_MIDDLE after a nested replacement field that ends a format
    spec (f"{x:{w}}"); ivyc emits no empty tokens. Empty FSTRING_MIDDLE tokens are dropped.
  - At the end of a file without a final line end, tokenize puts the DEDENT and ENDMARKER tokens
    on the line after the last; ivyc at the end of the text. Their positions are not compared.
  - ivyc's tokens are those of the compiler: it rejects what tokenize lets through but
    compile() rejects (0377, 1_if). Files that tokenize or compile() reject are only checked for
    an ivyc error as well (compile() errors only when they come from CPython's tokenizer; other
    syntax errors are counted, not compared).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile

PY312_DEFAULT = "/root/.pyenv/versions/3.12.1/bin/python3.12"

# Runs under Python 3.12: prints one JSON list per file of [kind, line, bytecol, text], or
# {"error": message} when tokenize fails.
ORACLE = r'''
import json, sys, tokenize

def byte_col(lines, line, col):
    if line - 1 >= len(lines):
        return col
    return len(lines[line - 1][:col].encode("utf-8", "surrogatepass"))

def split_lines(text):
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" or c == "\r":
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            out.append(text[start:i + 1])
            start = i + 1
        i += 1
    out.append(text[start:])
    return out

def offset_of(starts, lines, line, col):
    if line - 1 >= len(lines):
        return starts[-1] + sum(len(l) for l in lines[len(starts) - 1:])
    return starts[line - 1] + col

for path in sys.stdin.read().splitlines():
    try:
        with open(path, "rb") as f:
            data = f.read()
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(True)).__next__)
        text = data.decode(encoding)
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = split_lines(text)
        starts, pos = [], 0
        for l in lines:
            starts.append(pos)
            pos += len(l)
        toks = list(tokenize.tokenize(iter(data.splitlines(True)).__next__))
    except Exception as e:
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e), "stage": "tokenize"}))
        continue
    try:
        # tokenize checks less than the compiler (leading zeros, for one): the file must parse.
        compile(data, path, "exec", 0x400, dont_inherit=True)  # ast.PyCF_ONLY_AST
    except Exception as e:
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e), "stage": "compile",
                          "msg": getattr(e, "msg", "")}))
        continue
    out = []
    i = 0
    toks = [t for t in toks if t.type != tokenize.ENCODING]
    while i < len(toks):
        t = toks[i]
        kind = tokenize.tok_name[t.exact_type]
        line, col = t.start
        if kind == "FSTRING_MIDDLE" and t.string == "":
            i += 1  # tokenize's empty middle after a nested field of a format spec
            continue
        if kind == "FSTRING_MIDDLE":
            # Merge the pieces; the text is the source up to the next token.
            j = i
            while j + 1 < len(toks) and tokenize.tok_name[toks[j + 1].exact_type] == "FSTRING_MIDDLE":
                j += 1
            nxt = toks[j + 1]
            b = offset_of(starts, lines, line, col)
            e = offset_of(starts, lines, nxt.start[0], nxt.start[1])
            out.append([kind, line, byte_col(lines, line, col), text[b:e]])
            i = j + 1
            continue
        beyond = line > len(lines) or (kind in ("DEDENT", "ENDMARKER") and line == len(lines) + 1)
        if beyond or (kind in ("DEDENT", "ENDMARKER")):
            out.append([kind, None, None, t.string])
        else:
            out.append([kind, line, byte_col(lines, line, col), t.string])
        i += 1
    print(json.dumps(out))
'''

# The compiler's messages that come from its tokenizer.
LEXER_MESSAGES = (
    "unterminated", "invalid decimal", "invalid hexadecimal", "invalid octal", "invalid binary",
    "invalid digit", "invalid imaginary", "leading zeros", "unmatched", "closing parenthesis",
    "unexpected character after line", "unexpected EOF", "inconsistent use",
    "unindent does not", "too many", "invalid character", "invalid non-printable",
    "f-string: expecting '}'", "f-string: single", "f-string: unmatched",
    "f-string: expressions nested", "source code cannot contain null bytes",
)

KEYWORDS = {
    "False", "None", "True", "And", "As", "Assert", "Async", "Await", "Break", "Class",
    "Continue", "Def", "Del", "Elif", "Else", "Except", "Finally", "For", "From", "Global", "If",
    "Import", "In", "Is", "Lambda", "Nonlocal", "Not", "Or", "Pass", "Raise", "Return", "Try",
    "While", "With", "Yield",
}
SPECIAL = {
    "FStringStart": "FSTRING_START", "FStringMiddle": "FSTRING_MIDDLE",
    "FStringEnd": "FSTRING_END", "NonLogicalNewline": "NL", "EndOfFile": "ENDMARKER",
    "Error": "ERRORTOKEN",
}


def ivyc_kind(name):
    if name in KEYWORDS:
        return "NAME"
    return SPECIAL.get(name, name.upper())


def escape(text):
    return text.replace("\n", "\\n").replace("\r", "\\r")


def find_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith(".py"):
                        files.append(os.path.join(root, n))
        else:
            files.append(p)
    return files


def run_ivyc_tokens(ivyc, files):
    """ivyc's tokens per file: a list of [kind, line, col, text] or None where ivyc failed."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(files) + "\n")
        listing = f.name
    try:
        proc = subprocess.run([ivyc, "parse", "--tokens", "--files-from", listing],
                              capture_output=True)
    finally:
        os.unlink(listing)
    streams, current = [], []
    for raw in proc.stdout.split(b"\n"):
        if not raw:
            continue
        line = raw.decode("utf-8", "surrogateescape")
        pos, _, rest = line.partition(" ")
        kind, _, text = rest.partition(" ")
        ln, col = pos.split(":")
        current.append([kind, int(ln), int(col), text])
        if kind == "EndOfFile":
            streams.append(current)
            current = []
    if len(streams) != len(files):
        return None
    return streams


def roundtrip_all(ivyc, files):
    if not files:
        return b""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(files) + "\n")
        listing = f.name
    try:
        return subprocess.run([ivyc, "parse", "--roundtrip", "--files-from", listing],
                              capture_output=True).stdout
    finally:
        os.unlink(listing)


def compare(py, ours):
    """The first difference between the oracle's stream and ours, or None."""
    ours = [[ivyc_kind(k), ln, col, text] for k, ln, col, text in ours]
    n = max(len(py), len(ours))
    for i in range(n):
        if i >= len(py):
            return "ivyc has extra token %s" % (ours[i],)
        if i >= len(ours):
            return "ivyc lacks token %s" % (py[i],)
        pk, pl, pc, pt = py[i]
        ok, ol, oc, ot = ours[i]
        if pk != ok or (pl is not None and (pl, pc) != (ol, oc)) or escape(pt) != ot:
            ctx = py[max(0, i - 2):i]
            return "token %d: python %s, ivyc %s (after %s)" % (i, py[i], ours[i], ctx)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--ivyc", default="build-lex/ivyc")
    ap.add_argument("--python", default=PY312_DEFAULT)
    ap.add_argument("--roundtrip", action="store_true")
    ap.add_argument("--chunk", type=int, default=200)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    files = find_files(args.paths)
    agree = differ = both_reject = only_py_rejects = parser_rejects = unreadable = rt_ok = rt_bad = 0
    for c in range(0, len(files), args.chunk):
        chunk = files[c:c + args.chunk]
        proc = subprocess.run([args.python, "-c", ORACLE], input="\n".join(chunk),
                              capture_output=True, text=True)
        oracle = [json.loads(l) for l in proc.stdout.splitlines()]
        if len(oracle) != len(chunk):
            sys.exit("oracle failed: " + proc.stderr[-2000:])
        ours = run_ivyc_tokens(args.ivyc, chunk)
        readable = []  # the files ivyc decodes, for the round trip
        for i, path in enumerate(chunk):
            if ours is not None:
                mine = ours[i]
            else:
                single = run_ivyc_tokens(args.ivyc, [path])
                mine = single[0] if single else None
            if mine is not None:
                readable.append(path)
            expected = oracle[i]
            if isinstance(expected, dict):
                if expected["stage"] == "compile" and \
                        not expected["msg"].startswith(LEXER_MESSAGES):
                    parser_rejects += 1  # a syntax error: the parser's business
                    continue
                rejected = mine is None or any(t[0] == "Error" for t in mine) or \
                    subprocess.run([args.ivyc, "parse", "--tokens", path],
                                   capture_output=True).stderr != b""
                if rejected:
                    both_reject += 1
                else:
                    only_py_rejects += 1
                    print("%s: python rejects (%s), ivyc does not" % (path, expected["error"]))
                continue
            if mine is None:
                unreadable += 1  # an encoding ivyc does not read (it says which)
                print("%s: ivyc could not decode the file" % path)
                continue
            diff = compare(expected, mine)
            if diff is None:
                agree += 1
                if args.verbose:
                    print("%s: ok" % path)
            else:
                differ += 1
                print("%s: %s" % (path, diff))
        if args.roundtrip:
            # One run for the chunk: its output is the files' bytes one after the other.
            datas = []
            for path in readable:
                with open(path, "rb") as f:
                    datas.append(f.read())
            rt = roundtrip_all(args.ivyc, readable)
            if rt == b"".join(datas):
                rt_ok += len(readable)
            else:
                for path, data in zip(readable, datas):
                    if roundtrip_all(args.ivyc, [path]) == data:
                        rt_ok += 1
                    else:
                        rt_bad += 1
                        print("%s: roundtrip differs" % path)
    print("files: %d, same tokens: %d, different: %d, rejected by both: %d, "
          "rejected by python only: %d, syntax errors (not compared): %d, not decoded by ivyc: %d"
          % (len(files), agree, differ, both_reject, only_py_rejects, parser_rejects, unreadable))
    if args.roundtrip:
        print("roundtrip: %d identical, %d different" % (rt_ok, rt_bad))
    return 0 if differ == 0 and only_py_rejects == 0 and rt_bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
