# ARGS: parse --python 3.11 --dump-ast %s
# A parse error (line 4), then a byte that is not UTF-8 in a name (line 5): CPython tokenizes
# the rest of the file after a parse error, and the codec's error (a UnicodeDecodeError, no line) wins.
# CPython 3.11 (ast.parse): UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte
x = 1 +
y = ÿ
