# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# A UTF-8 BOM: columns do not count it.
# CPython 3.11 (ast.parse): accepts this file
def f(x):
    return x + 1  # one

s = '''a
b'''
y = (1,
     2)
z = 1 + \
    2
u = 'café'
