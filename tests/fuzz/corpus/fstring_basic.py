name = "x"
print(f"hello {name!r:>10} {3.14159:.2f} {{literal}}")
