# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# -*- coding: latin-1 -*-
# A latin-1 file: columns count UTF-8 bytes of the decoded text.
# CPython 3.11 (ast.parse): accepts this file
def f(x):
    return x + 1  # one

s = '''a
b'''
y = (1,
     2)
z = 1 + \
    2
u = 'café'; v = 2  # ©
