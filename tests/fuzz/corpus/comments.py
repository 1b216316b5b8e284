# top
x = 1  # trailing
    # misindented comment


def f():  # c
    pass
