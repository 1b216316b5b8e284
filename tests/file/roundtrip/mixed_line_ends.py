# ARGS: parse --roundtrip %s
# LF, CRLF and CR line ends mixed; no newline at the end.
# CPython 3.11 (ast.parse): accepts this file
a = 1
b = 2c = 3
d = (4,
5)
e = 5