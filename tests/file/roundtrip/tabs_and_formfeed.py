# ARGS: parse --roundtrip %s
# Tabs, form feeds and trailing spaces.
# CPython 3.11 (ast.parse): accepts this file
if 1:
	x = 1  

	y = 2	# tab
