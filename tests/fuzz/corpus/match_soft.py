match = 1
case = match
_ = case
match(x)
match x, y:
    case (1, 2): ...
