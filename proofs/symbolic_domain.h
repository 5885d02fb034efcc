// symbolic_domain.h -- the symbolic value domain: the model's steps and invariants read as
// Z3 formulas (see model/domain.h for the domain contract).
//
// Every model integer is a bit-vector (`width` bits), so the kernel's task-state masks are
// exact (`state & TASK_PARKED` is bvand) and comparisons are the signed bit-vector ones
// z3++'s operators produce.  Model values are small and non-negative (at most 0x80).  The
// parametric proofs use 32 bits and constrain CPU indices and the CPU count to [0, 2^30), far
// above any NR_CPUS (8192 max), so nothing overflows; BMC with N <= 4 uses 9 bits (0x80 + 7
// still fits as a positive signed value), which keeps bit-blasting small, but for the
// freezer's configuration, whose TASK_FROZEN (0x8000) needs 17 (BmcWidth()).
// Never `using namespace z3;` here (STYLE.md 3.8.9).
#ifndef KTHCHECK_PROOFS_SYMBOLIC_DOMAIN_H_
#define KTHCHECK_PROOFS_SYMBOLIC_DOMAIN_H_

#include <z3++.h>

namespace kthcheck::proofs {

struct SymbolicDomain {
  using Bool = z3::expr;
  using Int = z3::expr;
  static constexpr unsigned kParametricWidth = 32;
  static constexpr unsigned kBmcWidth = 9;
  static constexpr unsigned kFreezerBmcWidth = 17;

  z3::context& ctx;
  unsigned width = kParametricWidth;

  Int Lit(int v) const { return ctx.bv_val(v, width); }
  Bool B(bool b) const { return ctx.bool_val(b); }
  Int Ite(const Bool& c, const Int& a, const Int& b) const { return z3::ite(c, a, b); }
  Bool IteB(const Bool& c, const Bool& a, const Bool& b) const { return z3::ite(c, a, b); }
};

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_SYMBOLIC_DOMAIN_H_
