# ARGS: parse --python 3.11 --dump-ast %s
# --dump-ast without --include-attributes.
# CPython 3.11 (ast.parse): accepts this file
import os.path as p
from . import (a, b as c)
x: list[int] = [i ** 2 for i in range(10) if i % 2]
with open(p) as f, g:
    del x[0], y.z
try:
    pass
except* (E, F) as e:
    raise X from e
else:
    pass
finally:
    pass
lambda x, *, y=1: (x, y)
global q
assert x, 'msg'
x = *a, *b
{**d, 'k': 1}
{1, 2}
a if b else c
not a and b or c
a < b <= c != d is not e in f not in g
