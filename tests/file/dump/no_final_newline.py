# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# No newline at the end of the file.
# CPython 3.11 (ast.parse): accepts this file
if x:
    y = 1