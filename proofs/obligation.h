// obligation.h -- one row of `kthcheck prove`: a named proof obligation and its result.
//
// kind: "inductive" (a step preserves the invariant, initiation, or deadlock freedom, for
// any CPU count: parametric = true) or "bmc" (bounded search with a fixed CPU count).
// result: "proved" (unsat), "violated" (a counterexample: a CTI for inductive rows, a bug
// trace for bmc rows; `detail` holds it printed with the model's printer), or "unknown"
// (`detail` holds Z3's reason).
#ifndef KTHCHECK_PROOFS_OBLIGATION_H_
#define KTHCHECK_PROOFS_OBLIGATION_H_

#include <string>

namespace kthcheck::proofs {

struct ObligationResult {
  std::string name;
  std::string kind;
  std::string result;
  bool parametric = false;
  double seconds = 0;
  std::string detail;
};

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_OBLIGATION_H_
