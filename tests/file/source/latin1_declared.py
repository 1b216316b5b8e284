# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# -*- coding: latin-1 -*-
# Declared latin-1 (Emacs style); the string holds é and ÿ as latin-1 bytes. Columns
# are counted in UTF-8 bytes of the decoded text, as CPython does.
# CPython 3.11 (ast.parse): accepts this file
s = 'café ÿ'; t = 1
