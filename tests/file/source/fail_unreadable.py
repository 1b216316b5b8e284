# ARGS: parse --python 3.11 --dump-ast no_such_file.py
# The file to parse does not exist: source_unreadable.
