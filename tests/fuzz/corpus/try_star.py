try:
    pass
except* ValueError as e:
    raise RuntimeError() from e
else:
    pass
finally:
    del e
