@property
@functools.lru_cache(maxsize=None)
@(lambda f: f)
@a.b[c]
def f(a, /, b=2, *args, c, d=4, **kw) -> int:
    return a
