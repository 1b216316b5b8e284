a = [x for x in y if x for z in x]
b = {k: v for k, v in d.items()}
c = {x async for x in y}
d = (x for x in y)
