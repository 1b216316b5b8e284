# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# A file of comments only.
# CPython 3.11 (ast.parse): accepts this file
