# ARGS: parse --roundtrip %s
# -*- coding: latin-1 -*-
# A latin-1 file: printed back as latin-1 bytes.
# CPython 3.11 (ast.parse): accepts this file
def f(x):
    return x + 1  # one

s = '''a
b'''
y = (1,
     2)
z = 1 + \
    2
u = 'café'  # ©
