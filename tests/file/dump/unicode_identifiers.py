# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# Non-ASCII identifiers: stored NFKC-normalized; columns count UTF-8 bytes.
# CPython 3.11 (ast.parse): accepts this file
café = 1
π = 3.14
ﬁle = 'ligature fi'
Ⅷ = 8  # ROMAN NUMERAL EIGHT, NFKC 'VIII'
変数 = café + π
def 函数(参数=µ): return 参数
x = 'é' + éé  # é
