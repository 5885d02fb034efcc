// bug.h -- WARN_ON / WARN_ON_ONCE / BUG_ON (include/asm-generic/bug.h).
//
// Under the checker a WARN is a finding (oracle `warn`), as syzbot treats it; the
// execution ends there. Under real threads it is printed and counted. BUG_ON is the
// same finding; the port never continues past a real BUG.
#ifndef KTHCHECK_IMPL_KERNEL_BUG_H_
#define KTHCHECK_IMPL_KERNEL_BUG_H_

#include "impl/platform/seam.h"

#define WARN_ON(cond)                                                 \
  ({                                                                  \
    bool __c = static_cast<bool>(cond);                               \
    if (__c) ::kt::sys().Warn(__FILE__, __LINE__, "WARN_ON(" #cond ")", __func__); \
    __c;                                                              \
  })
#define WARN_ON_ONCE(cond) WARN_ON(cond)
// WARN(cond, text): the kernel's format is a fixed text here.
#define WARN(cond, text)                                                  \
  ({                                                                      \
    bool __c = static_cast<bool>(cond);                                   \
    if (__c) ::kt::sys().Warn(__FILE__, __LINE__, "WARN: " text, __func__); \
    __c;                                                                  \
  })
#define BUG_ON(cond)                                                              \
  do {                                                                            \
    if (cond) ::kt::sys().Warn(__FILE__, __LINE__, "BUG_ON(" #cond ")", __func__); \
  } while (0)

// kt_invariant(name, cond): a protocol invariant of kernel-semantics.md section 18 that
// must hold here; a violation is the finding `invariant:<name>`. Not kernel code: the
// checker's assertion, placed where the invariant applies.
#define kt_invariant(name, cond)                                                       \
  do {                                                                                 \
    if (!(cond))                                                                       \
      ::kt::sys().Finding("invariant:" name, __FILE__, __LINE__, #cond " does not hold", \
                          __func__);                                                   \
  } while (0)

#endif  // KTHCHECK_IMPL_KERNEL_BUG_H_
