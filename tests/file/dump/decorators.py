# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# Decorators (PEP 614 expressions), async functions, classes, annotations, defaults.
# CPython 3.11 (ast.parse): accepts this file
import functools

@functools.lru_cache(maxsize=None)
@(lambda f: f)
@buttons[0].clicked.connect
def f(a, /, b: int = 1, *args: str, c, d=2, **kw) -> None:
    """Doc."""

@dataclass(frozen=True)
class C(Base, metaclass=Meta):
    x: int = 0

    @property
    async def g(self):
        async with a as b, c:
            await b
        async for i in c:
            yield i
