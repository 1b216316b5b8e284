"""Writes a generated source file, or with --check tells whether it is stale (exit 1)."""
import argparse
import sys


def write_or_check(output, generate, root, script):
    """Command-line entry of a generator: `generate()` returns the file's text."""
    parser = argparse.ArgumentParser(description=f"regenerates {output.relative_to(root)}")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when regenerating would change the file")
    args = parser.parse_args()
    text = generate()
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print(f"{output.relative_to(root)} is stale: run {script}", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    return 0
