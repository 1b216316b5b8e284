// Reading a whole input file for the driver's commands.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace ivyc::driver {

// Reads a whole file ("-": standard input) into `bytes`; false when it cannot. A regular file is
// read in one call into a string of its size.
inline auto read_bytes(const std::string& path, std::string& bytes) -> bool {
  bytes.clear();
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) bytes.reserve(static_cast<size_t>(st.st_size) + 1);
  bool ok = true;
  char chunk[65536];
  for (;;) {
    size_t room = bytes.capacity() - bytes.size();
    if (room > 0 && room >= sizeof chunk / 4) {
      // Straight into the string's own storage.
      size_t old = bytes.size();
      bytes.resize(bytes.capacity());
      ssize_t n = ::read(fd, bytes.data() + old, room);
      bytes.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
      if (n < 0) ok = false;
      if (n <= 0) break;
      continue;
    }
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) ok = false;
    if (n <= 0) break;
    bytes.append(chunk, static_cast<size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return ok;
}

}  // namespace ivyc::driver
