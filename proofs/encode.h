// encode.h -- the model's variables, steps and invariants as Z3 terms, and Z3 models decoded
// back into model::State (so counterexamples print with the model's own printer).
//
// Contract:
// - FreshShared/FreshCpu create one named constant per field of model/state.h's field lists,
//   named like "cpu1.pc@3" (field, owner, time frame) so dumped queries read like the spec.
// - Inv() is the conjunction of every row of invariants.def (lemmas included) for one CPU.
// - Everything here is built from the model's templates with SymbolicDomain; nothing
//   restates the protocol.
#ifndef KTHCHECK_PROOFS_ENCODE_H_
#define KTHCHECK_PROOFS_ENCODE_H_

#include <z3++.h>

#include <string>
#include <vector>

#include "model/model.h"
#include "model/state.h"
#include "model/steps.h"
#include "proofs/symbolic_domain.h"

namespace kthcheck::proofs {

using SShared = model::SharedT<SymbolicDomain>;
using SCpu = model::CpuT<SymbolicDomain>;
using SContext = model::StepContext<SymbolicDomain>;

SShared FreshShared(const SymbolicDomain& d, const std::string& frame);
SCpu FreshCpu(const SymbolicDomain& d, const std::string& owner, const std::string& frame);

SShared LiftShared(const SymbolicDomain& d, const model::Shared& s);
SCpu LiftCpu(const SymbolicDomain& d, const model::Cpu& t);

z3::expr Equal(const SShared& a, const SShared& b);
z3::expr Equal(const SCpu& a, const SCpu& b);

// The initial state (model::InitialState) with symbolic H and W in [0, kMax*].
SShared InitShared(const SymbolicDomain& d, const z3::expr& hotplug, const z3::expr& work);
SCpu InitCpu(const SymbolicDomain& d);

z3::expr Inv(const SContext& k, const z3::expr& c, const SShared& s, const SCpu& t);

model::Shared DecodeShared(const z3::model& m, const SShared& s);
model::Cpu DecodeCpu(const z3::model& m, const SCpu& t);
int DecodeInt(const z3::model& m, const z3::expr& e);

// Names of the invariants.def rows that `t` at index `c` violates in model `m` (CTI reports).
std::vector<std::string> FailingInvariants(const z3::model& m, const SContext& k, const z3::expr& c,
                                           const SShared& s, const SCpu& t);

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_ENCODE_H_
