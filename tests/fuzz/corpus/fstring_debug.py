x = 1
print(f"{x = }", f"{x=!s:^5}", f"{x!a}")
