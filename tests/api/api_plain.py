"""A module that imports no framework: ivyc cannot tell what its functions are written for."""


def add_one(x):
    return x + 1
