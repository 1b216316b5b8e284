a = b = c
a += 1
a.b: int
(a): int = 1
x[0] //= 2
a @= b
a >>= c
