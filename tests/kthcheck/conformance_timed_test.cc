// conformance_timed_test -- the mapping rules of the timed-sleep loop (checker/cli/
// conformance.cc, model/steps_timed_sleep.h) that are code, not table rows, on event
// sequences written out by hand: a timer wakeup, an iteration that does not sleep, and
// the signal step of a plain kthread's kthread_stop() map to model steps (silent); a timer
// wakeup of a thread that is not in its timed sleep, and a schedule() outside it, are
// findings (firing). The broken-row tests of conformance_catalog_test cover the rows.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "checker/cli/conformance.h"
#include "tests/kthcheck/conformance_events.h"

namespace kt::testing {
namespace {

namespace model = ::kthcheck::model;
using E = ProtoEv;

model::Params TimedLoop() {
  model::Params p{1, 0, 0, model::Variant::kFaithful};
  p.thread_fn = model::ThreadFn::kTimedLoop;
  p.driver = model::Driver::kRunStop;
  return p;
}

// One msleep_interruptible() that its timer ends.
std::vector<ProtoEvent> TimerEndsASleep() {
  return {
      Ev(E::kTimedSleepSetState, kThread, kNoTask, model::kTaskInterruptible),
      Ev(E::kScheduleDecide, kThread, kNoTask, kSchedBlocks),
      Ev(E::kWakeIntent, kThread, kThread, kWakeTimeout),
      Ev(E::kTtwuStateMatch, kThread, kThread, 1),
      Ev(E::kTtwuDoWakeup, kThread, kThread),
      Ev(E::kTimedSleepReturn, kThread),
  };
}

// A sleep its timer ends, an iteration without a sleep (polling_loop with work), then
// kthread_stop() with its TIF_NOTIFY_SIGNAL before the thread's next sleep: the signal
// keeps that TASK_INTERRUPTIBLE schedule() from blocking, the stop's wakeup finds the
// thread running, and the thread exits. The model follows it to its end.
TEST(ConformanceTimedTest, TimerSkippedSleepAndStopSignalConform) {
  cli::ConformanceMapping m(TimedLoop(), cli::FaithfulMapping());
  std::optional<std::string> f = Feed(
      m, Concat({UpToTheLoop(),
                 TimerEndsASleep(),
                 {Ev(E::kFnTestStop, kThread, kNoTask, 0)},  // no sleep this time
                 {Ev(E::kFnTestStop, kThread, kNoTask, 0),
                  Ev(E::kStopSetBit, kMain, kThread), Ev(E::kUnparkTestBit, kMain, kThread, 0),
                  Ev(E::kStopSignal, kMain, kThread),
                  Ev(E::kTimedSleepSetState, kThread, kNoTask, model::kTaskInterruptible),
                  Ev(E::kScheduleDecide, kThread, kNoTask, kSchedSignalPending),
                  Ev(E::kWakeIntent, kMain, kThread, kWakeStop),
                  Ev(E::kTtwuStateMatch, kMain, kThread, 0),
                  Ev(E::kTimedSleepReturn, kThread),
                  Ev(E::kFnTestStop, kThread, kNoTask, 1), Ev(E::kExitComplete, kThread),
                  Ev(E::kStopWaitExited, kMain, kThread)}}));
  EXPECT_FALSE(f.has_value()) << *f;
  EXPECT_EQ(m.model_state().shared.ctl_op, model::kOpDone);
  EXPECT_EQ(m.model_state().cpu[0].pc, model::kTDead);
}

// A timer wakeup of a thread that is not blocked in its timed sleep: the model's timer
// is armed only there, so the mapped kTimerWake is refused.
TEST(ConformanceTimedTest, ATimerWakeupOutsideTheSleepIsAFinding) {
  cli::ConformanceMapping m(TimedLoop(), cli::FaithfulMapping());
  std::size_t at = 0;
  std::optional<std::string> f =
      Feed(m, Concat({UpToTheLoop(),
                      {Ev(E::kWakeIntent, kThread, kThread, kWakeTimeout),
                       Ev(E::kTtwuStateMatch, kThread, kThread, 1)}}),
           &at);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(at, UpToTheLoop().size() + 1);
  EXPECT_NE(f->find("process_timeout: wake_up_process(p)"), std::string::npos) << *f;
  EXPECT_NE(f->find("the model allows only:"), std::string::npos) << *f;
}

// A schedule() after the timed sleep returned, with no state store of its own: it is the
// plain loop's schedule() to the mapping, a step the timed loop does not have.
TEST(ConformanceTimedTest, AScheduleOutsideTheSleepIsAFinding) {
  cli::ConformanceMapping m(TimedLoop(), cli::FaithfulMapping());
  std::size_t at = 0;
  std::optional<std::string> f =
      Feed(m, Concat({UpToTheLoop(), TimerEndsASleep(),
                      {Ev(E::kScheduleDecide, kThread, kNoTask, kSchedBlocks)}}),
           &at);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(at, UpToTheLoop().size() + TimerEndsASleep().size());
  EXPECT_NE(f->find("threadfn: schedule()"), std::string::npos) << *f;
}

}  // namespace
}  // namespace kt::testing
