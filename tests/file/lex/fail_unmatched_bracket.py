# ARGS: parse --python 3.11 --dump-ast %s
# A closing parenthesis that nothing opened: lex_unmatched_bracket.
# CPython 3.11 (ast.parse): SyntaxError: unmatched ')' (line 5, offset 6)
x = 1
y = 2)
