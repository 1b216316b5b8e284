# ARGS: parse --python 3.11 --dump-ast %s
# A Python 2 print statement.
# CPython 3.11 (ast.parse): SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (line 4, offset 1)
print 'hello'
