"""A small torch package that tests/api converts as a library (test_library.py). Its __init__
imports no submodule, so that converting one file does not convert the others."""

VERSION = "1.0"
