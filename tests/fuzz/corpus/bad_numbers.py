a = 0x
b = 1__0
c = 012
d = 1e
e = 0b2
