songs = ["a", "b"]
print(f"{", ".join(songs)}")
print(f"{'\n'.join(songs)}")
