# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# f-strings: conversions, format specs with nested fields, =, nesting, concatenation.
# CPython 3.11 (ast.parse): accepts this file
name, width, value = 'x', 10, 3.14159
a = f'{name}'
b = f'{name!r:>{width}} and {value:.2f}'
c = f'{value=}' f"{name = !s}" 'plain' f'{{literal}}'
d = f'''multi
{name}
line'''
e = rf'\d{name}' + fr"{width}\n" + F'{"inner"}'
f = f'{f"{name}"}' + f'{ {1: 2}[1] }' + f'{(lambda: 1)}'[:0] + f'{(yield)}' if 0 else 0
g = f'' + f'{name}' 'tail' if 0 else u'u' f'{name:{width}.{width}}'
gb = b'a' B'b' rb'\c' Br'd'
h = f'café {name} €' + f'\N{BULLET} {name}'
