# ARGS: parse --python 3.12 --dump-ast %s
# The same 3.12 syntax, accepted under --python 3.12.
type Vector = list[float]
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: int, *Ts, **P]:
    pass
names = ['a']
x = f"{", ".join(names)}"
y = f'{"\n".join(names)}'
