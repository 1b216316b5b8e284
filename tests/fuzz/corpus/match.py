match command.split():
    case [action]:
        pass
    case [action, obj] if obj:
        pass
    case Point(x=0, y=0) | {"k": [1, *rest]}:
        pass
    case str() as s:
        pass
    case _:
        pass
