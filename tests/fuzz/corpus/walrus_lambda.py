if (n := len(a)) > 10:
    f = lambda x, *y, z=1, **w: (x, y, z, w)
[y := f(x), y**2]
