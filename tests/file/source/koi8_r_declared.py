# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# -*- coding: koi8-r -*-
# Declared koi8-r, one of Python's single-byte codecs (tools/gen_codecs.py): the string and the
# name are Cyrillic. Columns count UTF-8 bytes of the decoded text.
# CPython 3.11 (ast.parse): accepts this file
привет = 'Привет, мир'; y = 1
