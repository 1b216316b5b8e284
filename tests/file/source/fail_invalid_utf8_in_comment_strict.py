# ARGS: parse --python 3.11 --dump-ast %s
# coding: utf8
# 'utf8' is not a spelling CPython's tokenizer takes for utf-8: the codec decodes the whole file,
# so a byte that is not UTF-8 is an error even in a comment.
# CPython 3.11 (ast.parse): SyntaxError: 'utf-8' codec can't decode byte 0xff in position 339: invalid start byte
x = 1  # ÿ
