// solver.cc -- Check() and Guarded(); the only place that catches z3::exception.
#include "proofs/solver.h"

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace kthcheck::proofs {
namespace {

void MaybeDump(z3::solver& solver, const std::string& label) {
  const char* dir = std::getenv("KT_SMT_DUMP");
  if (dir == nullptr || *dir == '\0') return;
  std::string name = label;
  for (char& ch : name) {
    if (ch == ':' || ch == '@' || ch == ' ' || ch == '/') ch = '_';
  }
  std::ofstream(std::string(dir) + "/" + name + ".smt2") << solver.to_smt2();
}

}  // namespace

Outcome Check(z3::solver& solver, const std::string& label, unsigned timeout_ms) {
  z3::params p(solver.ctx());
  p.set("timeout", timeout_ms);
  solver.set(p);
  MaybeDump(solver, label);
  auto start = std::chrono::steady_clock::now();
  Outcome out;
  switch (solver.check()) {
    case z3::sat:
      out.result = SatResult::kSat;
      out.model = solver.get_model();
      break;
    case z3::unsat:
      out.result = SatResult::kUnsat;
      break;
    case z3::unknown:
      out.result = SatResult::kUnknown;
      out.reason = solver.reason_unknown() + " (timeout " + std::to_string(timeout_ms) + " ms)";
      break;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

Outcome Guarded(const std::string& label, const std::function<Outcome()>& body) {
  auto start = std::chrono::steady_clock::now();
  try {
    return body();
  } catch (const z3::exception& e) {
    Outcome out;
    out.result = SatResult::kUnknown;
    out.reason = label + ": z3 exception: " + e.msg();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }
}

const char* SatResultName(SatResult r) {
  switch (r) {
    case SatResult::kSat:
      return "sat";
    case SatResult::kUnsat:
      return "unsat";
    case SatResult::kUnknown:
      return "unknown";
  }
  return "?";
}

}  // namespace kthcheck::proofs
