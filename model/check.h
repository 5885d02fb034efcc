// check.h -- KTH_MODEL_CHECK: always-on internal assertion for model/ (STYLE.md 3.6).
//
// model/ depends on the standard library only, so it carries its own copy of the project's
// KT_CHECK: a failed check is our bug, never a finding, and aborts with file:line.
#ifndef KTHCHECK_MODEL_CHECK_H_
#define KTHCHECK_MODEL_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define KTH_MODEL_CHECK(cond, msg)                                                               \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      std::fprintf(stderr, "[internal bug] %s:%d: %s (%s)\n", __FILE__, __LINE__, (msg), #cond); \
      std::abort();                                                                              \
    }                                                                                            \
  } while (0)

#endif  // KTHCHECK_MODEL_CHECK_H_
