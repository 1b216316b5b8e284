# ARGS: parse --roundtrip %s
# -*- coding: cp932 -*-
# A cp932 file: printed back as its own bytes, even where two sequences decode to one character
# (NEC's and IBM's copies of U+7E8A).
# CPython 3.11 (ast.parse): accepts this file
x = '纊纊日本語'
