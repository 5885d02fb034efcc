// tracker.cc -- see tracker.h.
#include "model/tracker.h"

namespace kthcheck::model {

std::optional<ActionId> ParseAction(const std::string& name) {
  for (int a = 0; a < kNumActions; ++a) {
    auto id = static_cast<ActionId>(a);
    if (name == ActionEnumName(id) || name == ActionLabel(id)) return id;
  }
  return std::nullopt;
}

std::vector<ActionInstance> ModelTracker::Enabled() const {
  std::vector<ActionInstance> out;
  ForEachStep(p_, state_, [&](ActionInstance a, const Shared&, const Cpu&) { out.push_back(a); });
  return out;
}

std::optional<std::string> ModelTracker::Advance(ActionInstance a) {
  if (std::optional<State> next = Apply(p_, state_, a)) {
    state_ = *next;
    ++steps_;
    return std::nullopt;
  }
  std::string msg = "conformance: after " + std::to_string(steps_) + " model steps the impl did `" +
                    PrintAction(a) + "`; the model allows only:";
  std::vector<ActionInstance> allowed = Enabled();
  if (allowed.empty()) msg += " nothing (the model is at an end state)";
  for (const ActionInstance& e : allowed) msg += "\n  " + PrintAction(e);
  msg += "\nmodel state:\n" + PrintState(p_, state_);
  return msg;
}

}  // namespace kthcheck::model
