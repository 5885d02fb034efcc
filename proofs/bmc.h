// bmc.h -- bounded model checking of the model for a fixed CPU count.
//
// Contract: RunBmc() unrolls Trans (plus stuttering) `bound` steps from
// model::InitialState(p) and asks, in one labelled, timed query, for a run that violates
// `oracle` ("hang", "lost_wakeup", "invariant:<name>", or "any": all but the lemmas) at some
// depth <= bound.  (One query for the whole bound: the depth-by-depth loop spent minutes
// proving the shallow depths unsat.)  A satisfying run is "violated", with the trace in
// `detail`: each step is named by the concrete action instance that reproduces it, so the
// trace prints with the model's printer and doubles as a concrete/symbolic agreement check
// (a step no concrete action reproduces is reported "unknown", naming the drift).  The run
// is not necessarily the shortest (BFS in the explicit engine gives that).  No violation up
// to the bound is "proved" (bounded: parametric = false).
#ifndef KTHCHECK_PROOFS_BMC_H_
#define KTHCHECK_PROOFS_BMC_H_

#include <string>

#include "model/state.h"
#include "proofs/obligation.h"

namespace kthcheck::proofs {

ObligationResult RunBmc(const model::Params& p, const std::string& oracle, int bound,
                        unsigned timeout_ms);

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_BMC_H_
