def f():
    """Doc
    string."""
    r"""raw"""
