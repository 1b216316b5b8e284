class A(B, metaclass=M, **kw):
    """doc"""
    x: int = 0
    def __init__(self):
        super().__init__()
