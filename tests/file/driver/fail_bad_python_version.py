# ARGS: parse --python 3.10 --dump-ast %s
# An unsupported --python version.
x = 1
