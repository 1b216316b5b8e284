# ARGS: parse --python 3.11 --dump-ast --include-attributes %s
# match statements: every pattern kind.
# CPython 3.11 (ast.parse): accepts this file
match command.split():
    case [action]:
        pass
    case [action, obj, *rest]:
        pass
    case Point(x=0, y=0) | Point(1, 2):
        pass
    case {'key': value, **others}:
        pass
    case (1 | 2 | -3.0 | 1 + 2j | 'a' 'b' | b'x' | None | True) as lit:
        pass
    case Color.RED | a.b.c:
        pass
    case [*_] if len(command) > 2:
        pass
    case {**rest}:
        pass
    case _:
        pass
match x,:
    case ():
        pass
