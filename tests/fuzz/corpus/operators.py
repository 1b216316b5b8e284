x = a + b - c * d / e // f % g ** h @ i << j >> k & l | m ^ n
y = not a or b and c is not d not in e < f <= g != h
z = ~a if b else -c
