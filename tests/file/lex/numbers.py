# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# Valid number forms: underscores, prefixes, floats, exponents, imaginary, and the
# numbers that touch a keyword (1if, 0x1for), which 3.11 still accepts.
# CPython 3.11 (ast.parse): accepts this file
a = [0, 00, 0_0, 1_000, 0x_1f, 0XAB, 0o17, 0O_7, 0b1_0, 0B1]
b = [1., .5, 1.5e10, 1E-3, 1_0.0_1e+1_0, 0e0, 00.5, 09.5, 1j, 1.5J, 0j, 1e5j]
c = 1if 1else 2
d = [0x1for x in y]
e = 1_2.3_4j
