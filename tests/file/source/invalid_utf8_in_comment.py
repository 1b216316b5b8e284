# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# ast.parse(bytes) decodes comments lazily: a byte that is not UTF-8 in a comment is
# accepted (the file form, python3.11 FILE, would reject it).
# CPython 3.11 (ast.parse): accepts this file
x = 1  # café ÿ
# Ã
y = 2
