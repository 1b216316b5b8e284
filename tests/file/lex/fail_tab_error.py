# ARGS: parse --python 3.11 --dump-ast %s
# A tab indents one line of the block, eight spaces the next: lex_tab_error.
# CPython 3.11 (ast.parse): TabError: inconsistent use of tabs and spaces in indentation (line 6, offset 1)
if 1:
	x = 1
        y = 2
