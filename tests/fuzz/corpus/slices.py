a[1:2, ::3, ...]
a[b:c:d]
a[:, None]
a[*idx]
a[()] = 1
