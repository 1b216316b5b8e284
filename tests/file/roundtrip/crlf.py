# ARGS: parse --roundtrip %s
# CRLF line ends: printed back unchanged.
# CPython 3.11 (ast.parse): accepts this file
def f(x):
    return x + 1  # one

s = '''a
b'''
y = (1,
     2)
z = 1 + \
    2
