# ARGS: parse --python 3.11 --dump-ast %s
# A character that cannot start a token: lex_invalid_character.
# CPython 3.11 (ast.parse): SyntaxError: invalid character '€' (U+20AC) (line 4, offset 7)
x = 1 € 2
