// Reading a whole input file for the driver's commands.
#pragma once

#include <cstdio>
#include <string>

namespace ivyc::driver {

// Reads a whole file ("-": standard input) into `bytes`; false when it cannot.
inline auto read_bytes(const std::string& path, std::string& bytes) -> bool {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  bytes.clear();
  char chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.append(chunk, n);
  bool ok = !std::ferror(f);
  if (f != stdin) std::fclose(f);
  return ok;
}

}  // namespace ivyc::driver
