# ARGS: parse --python 3.11 --dump-ast %s
# A dedent to no outer level on the line where the parser fails: the tokenizer meets it before
# the line's first token, so it is reported.
# CPython 3.11 (ast.parse): IndentationError: unindent does not match any outer indentation level (line 7, offset 20)
try:
        import a
    from b import c
except ImportError:
    pass
