// prove.h -- the library behind `kthcheck prove` (the CLI owns flags and JSON framing).
//
// Contract:
// - variant "" (faithful): proves every invariant of model/invariants.def inductive for any
//   CPU count (one row for initiation, one per action, one for deadlock freedom; all
//   parametric), and, if `bmc`, runs a bounded search for any oracle violation with
//   min(max_cpus_hint, 2) CPUs as a cross-check of the same encoding.
// - variant V: runs BMC for V's oracle with the CPUs, hotplug cycles, work items and bound
//   from model/variants.def; finding the bug is the expected outcome ("violated").
// - RunProve prints one row per obligation (name, kind, result, parametric, seconds) and any
//   counterexample or unknown reason below it, and returns 0 (all proved), 1 (some
//   obligation violated: a bug trace or a counterexample to induction), 2 (unknown variant)
//   or 3 (some obligation unknown; never silently dropped).
#ifndef KTHCHECK_PROOFS_PROVE_H_
#define KTHCHECK_PROOFS_PROVE_H_

#include <ostream>
#include <string>
#include <vector>

#include "proofs/obligation.h"

namespace kthcheck::proofs {

struct ProveOptions {
  int max_cpus_hint = 4;
  std::string variant;  // "" = faithful
  bool bmc = true;
  unsigned timeout_ms = 60'000;  // per query
};

// Rows in the order RunProve prints them; *usage_error is set (and rows empty) for an
// unknown variant.
std::vector<ObligationResult> Prove(const ProveOptions& options, std::string* usage_error);
int ExitCode(const std::vector<ObligationResult>& rows);
void PrintTable(const std::vector<ObligationResult>& rows, std::ostream& out);
// {"obligations":[{"name","kind","result","parametric","seconds"}...]} (CLI contract).
void PrintJson(const std::vector<ObligationResult>& rows, std::ostream& out);

int RunProve(const ProveOptions& options, std::ostream& out);

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_PROVE_H_
