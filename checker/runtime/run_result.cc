#include "checker/runtime/run_result.h"

namespace kt::rt {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kComplete: return "complete";
    case Outcome::kHang: return "hang";
    case Outcome::kLostWakeup: return "lost_wakeup";
    case Outcome::kFinding: return "finding";
    case Outcome::kStepBound: return "step_bound";
    case Outcome::kAbandoned: return "abandoned";
    case Outcome::kDiverged: return "diverged";
  }
  return "?";
}

const char* OutcomeOracle(Outcome o) {
  switch (o) {
    case Outcome::kHang: return "hang";
    case Outcome::kLostWakeup: return "lost_wakeup";
    case Outcome::kFinding: return "warn";
    default: return nullptr;
  }
}

}  // namespace kt::rt
