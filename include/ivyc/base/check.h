// Invariant checks that stay on in release builds: a broken invariant is a bug in ivyc, and the
// program stops with the place and the condition rather than writing wrong output.
#pragma once

#include <cstdio>
#include <cstdlib>

#define IVYC_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) [[unlikely]] {                                                            \
      std::fprintf(stderr, "ivyc: internal error: %s:%d: check failed: %s\n", __FILE__,    \
                   __LINE__, #cond);                                                       \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
