# ARGS: parse --python 3.11 --dump-ast %s
# Errors CPython reports when compiling, not when parsing: ast.parse accepts them.
# CPython 3.11 (ast.parse): accepts this file
return 1
await x
nonlocal y
def f(a, a): pass
f(a=1, a=2)
[x async for x in y]
break
