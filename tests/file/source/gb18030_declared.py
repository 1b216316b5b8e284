# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# coding: gb18030
# Declared gb18030: two-byte sequences and four-byte ones (U+0080, and U+10000 beyond the BMP).
# CPython 3.11 (ast.parse): accepts this file
中文 = '中文  𐀀 􏿿'
