// conformance_events.h -- hand-written protocol event sequences for the tests of the
// mapping's code-only rules (conformance_timed_test, conformance_wait_test): a plain
// kthread configuration with the driver as task 0 and its one thread as task 2.
#ifndef KTHCHECK_TESTS_KTHCHECK_CONFORMANCE_EVENTS_H_
#define KTHCHECK_TESTS_KTHCHECK_CONFORMANCE_EVENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "checker/cli/conformance.h"

namespace kt::testing {

constexpr TaskId kMain = 0, kThread = 2;

inline ProtoEvent Ev(ProtoEv kind, TaskId task, TaskId target = kNoTask, long arg = 0) {
  return {kind, task, target, arg};
}

// kthread_run() and the thread's way into its loop, up to its first kthread_should_stop().
inline std::vector<ProtoEvent> UpToTheLoop() {
  using E = ProtoEv;
  return {
      Ev(E::kKthreadCreated, kMain, kThread),
      Ev(E::kWakeIntent, kMain, kThread, kWakeRun),
      Ev(E::kTtwuStateMatch, kMain, kThread, 1),
      Ev(E::kTtwuDoWakeup, kMain, kThread),
      Ev(E::kKthreadTestShouldStop, kThread, kNoTask, 0),
      Ev(E::kParkmeSetParked, kThread),
      Ev(E::kParkmeTestShouldPark, kThread, kNoTask, 0),
      Ev(E::kParkmeSetRunning, kThread),
      Ev(E::kFnTestStop, kThread, kNoTask, 0),
  };
}

// Feeds the events; returns the first finding, with the index of its event.
inline std::optional<std::string> Feed(cli::ConformanceMapping& m,
                                       const std::vector<ProtoEvent>& ev,
                                       std::size_t* at = nullptr) {
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (std::optional<std::string> f = m.OnEvent(ev[i])) {
      if (at) *at = i;
      return f;
    }
  }
  return std::nullopt;
}

inline std::vector<ProtoEvent> Concat(std::vector<std::vector<ProtoEvent>> parts) {
  std::vector<ProtoEvent> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace kt::testing

#endif  // KTHCHECK_TESTS_KTHCHECK_CONFORMANCE_EVENTS_H_
