# ARGS: parse --python 3.11 --dump-ast .
# The path to parse is a directory (open() fails with IsADirectoryError): source_unreadable.
