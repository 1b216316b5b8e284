# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# vim: set fileencoding=euc-kr :
# Declared euc-kr (vim style).
# CPython 3.11 (ast.parse): accepts this file
x = '한글'; y = 2
