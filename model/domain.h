// domain.h -- the concrete value domain: the model's steps and invariants evaluated on
// bool and int, for the explicit-state engine.
//
// A value domain D provides:
//   D::Bool, D::Int              value types (operators ==, !=, <, <=, >, >=, +, -, &, &&,
//                                ||, ! behave as on bool/int for the small values the model uses)
//   d.Lit(int) -> Int            a literal
//   d.B(bool) -> Bool            a literal
//   d.Ite(Bool, x, y) -> Int     if-then-else on ints (x, y may be Int or int)
//   d.IteB(Bool, x, y) -> Bool   if-then-else on bools (x, y may be Bool or bool)
// The symbolic twin is proofs/symbolic_domain.h (z3::expr, 32-bit bit-vectors).  Steps
// must be written with Ite/IteB instead of C++ `if` on domain values, so that both readings
// compute the same function; C++ `if` is allowed only on parameters (variant, CPU count).
#ifndef KTHCHECK_MODEL_DOMAIN_H_
#define KTHCHECK_MODEL_DOMAIN_H_

namespace kthcheck::model {

struct ConcreteDomain {
  using Bool = bool;
  using Int = int;
  Int Lit(int v) const { return v; }
  Bool B(bool b) const { return b; }
  Int Ite(Bool c, Int a, Int b) const { return c ? a : b; }
  Bool IteB(Bool c, Bool a, Bool b) const { return c ? a : b; }
};

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_DOMAIN_H_
