// tracker.h -- follows one run of the model step by step: the model side of conformance
// checking (DESIGN.md "Conformance").
//
// Contract: a conformance checker maps each event of an impl execution to a model action
// instance (or to "stutter", for events the model abstracts away) and calls Advance().
// Advance() returns nullopt if the instance is enabled in the current state (and takes it),
// or the finding text: which step the impl took and which steps the model allowed here.
// The tracker never throws and never aborts on a mismatch: a mismatch is a finding value.
#ifndef KTHCHECK_MODEL_TRACKER_H_
#define KTHCHECK_MODEL_TRACKER_H_

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace kthcheck::model {

// Looks an action up by enum name ("kKthreadParkSetBit") or label
// ("kthread_park: set_bit(KTHREAD_SHOULD_PARK)").
std::optional<ActionId> ParseAction(const std::string& name);

class ModelTracker {
 public:
  explicit ModelTracker(const Params& p) : p_(p), state_(InitialState(p)) {}

  std::optional<std::string> Advance(ActionInstance a);
  std::vector<ActionInstance> Enabled() const;
  const State& state() const { return state_; }
  int steps() const { return steps_; }

 private:
  Params p_;
  State state_;
  int steps_ = 0;
};

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_TRACKER_H_
