// check.h -- KT_CHECK: our own invariants, always on. A failure is an internal bug,
// kept apart from findings about the code under test, and aborts with file:line.
#ifndef KTHCHECK_CHECKER_RUNTIME_CHECK_H_
#define KTHCHECK_CHECKER_RUNTIME_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define KT_CHECK(cond, msg)                                                              \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "[internal bug] %s:%d: %s (%s)\n", __FILE__, __LINE__, msg, #cond); \
      std::exit(3);                                                                      \
    }                                                                                    \
  } while (0)

#endif  // KTHCHECK_CHECKER_RUNTIME_CHECK_H_
