a, *b = c
print(*a, **b)
x = *a, *b
for *x, y in z: pass
