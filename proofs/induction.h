// induction.h -- inductive invariants of the faithful model for any number of CPUs.
//
// The argument (written out in proofs/README.md):
// - Inv(s) = for all CPUs c < N: L(s, cpu_c, c), where L is the conjunction of every row of
//   model/invariants.def (properties and lemmas) -- a per-CPU predicate over the shared
//   variables, one CPU's variables, its index and N.
// - Every step instance (a, j) reads and writes only the shared variables and CPU j
//   (model/steps.h's signature makes this structural: a step receives nothing else).
// - So for a step on CPU j, another CPU i keeps its variables and only sees the shared ones
//   change.  Hence Inv is inductive for every N iff, for symbolic N, i, j (0 <= i, j < N):
//     L(s,x,i) & L(s,y,j) & (i = j -> x = y) & Step_a(s,y,j -> s',y')
//       -> L(s',y',j) & (i != j -> L(s',x,i))
//   is valid -- a quantifier-free query over 32-bit vectors, one per action a.  Assuming L
//   only at i and j (rather than at all CPUs) is weaker, so unsat proves the claim.
// - Initiation: L(Init(H, W), init_cpu, i) for symbolic N, i, H in [0,7], W in [0,7].
// - Deadlock freedom: L at the indices ctl_cpu, prod_cpu and 0 plus "not a valid end" imply
//   that some step at one of those indices is enabled.
#ifndef KTHCHECK_PROOFS_INDUCTION_H_
#define KTHCHECK_PROOFS_INDUCTION_H_

#include <vector>

#include "model/ids.h"
#include "model/state.h"
#include "proofs/obligation.h"

namespace kthcheck::proofs {

ObligationResult ProveInitiation(unsigned timeout_ms);
// `variant` other than faithful is for tests: the invariant is the faithful model's, so a
// variant's steps are expected to break it somewhere (the proof has teeth).
ObligationResult ProveStep(model::ActionId a, unsigned timeout_ms,
                           model::Variant variant = model::Variant::kFaithful);
ObligationResult ProveDeadlockFreedom(unsigned timeout_ms);

// Initiation, one row per action, then deadlock freedom.
std::vector<ObligationResult> ProveAllInductive(unsigned timeout_ms);

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_INDUCTION_H_
