# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# match, case and _ as ordinary names.
# CPython 3.11 (ast.parse): accepts this file
match = 1
case = 2
_ = 3
match(case)
match[_]
match.x = case
print(match, case, _)
