// solver.h -- three-valued, labelled, timed Z3 queries (STYLE.md 3.6 and 3.8.9).
//
// Contract:
// - Check() runs one query with a timeout and returns kSat (with the model), kUnsat, or
//   kUnknown with Z3's reason.  `unknown` is a result, never an assertion failure.
// - Guarded() runs a whole obligation (building formulas and checking them); a z3::exception
//   anywhere inside becomes kUnknown with the exception text.  solver.cc is the only file
//   that catches z3 exceptions.
// - With KT_SMT_DUMP=<dir> set, every query is written to <dir>/<label>.smt2.
#ifndef KTHCHECK_PROOFS_SOLVER_H_
#define KTHCHECK_PROOFS_SOLVER_H_

#include <z3++.h>

#include <functional>
#include <optional>
#include <string>

namespace kthcheck::proofs {

enum class SatResult { kSat, kUnsat, kUnknown };

struct Outcome {
  SatResult result = SatResult::kUnknown;
  std::string reason;  // Z3's reason_unknown() or the exception text, for kUnknown
  double seconds = 0;
  std::optional<z3::model> model;  // for kSat
};

inline constexpr unsigned kDefaultTimeoutMs = 60'000;

Outcome Check(z3::solver& solver, const std::string& label, unsigned timeout_ms);

// Runs `body`; if it throws z3::exception, returns kUnknown naming `label` and the error.
Outcome Guarded(const std::string& label, const std::function<Outcome()>& body);

const char* SatResultName(SatResult r);

}  // namespace kthcheck::proofs

#endif  // KTHCHECK_PROOFS_SOLVER_H_
