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

namespace kt::testing {
namespace {

namespace model = ::kthcheck::model;
using E = ProtoEv;

// basic_loop's configuration; task 0 is the driver, task 2 the thread.
constexpr TaskId kMain = 0, kThread = 2;

model::Params TimedLoop() {
  model::Params p{1, 0, 0, model::Variant::kFaithful};
  p.thread_fn = model::ThreadFn::kTimedLoop;
  p.driver = model::Driver::kRunStop;
  return p;
}

ProtoEvent Ev(E kind, TaskId task, TaskId target = kNoTask, long arg = 0) {
  return {kind, task, target, arg};
}

// kthread_run() and the thread's way into its loop, up to its first kthread_should_stop():
// the model's thread is then at the top of its timeout loop.
std::vector<ProtoEvent> UpToTheLoop() {
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

// Feeds the events; returns the first finding, with the index of its event.
std::optional<std::string> Feed(cli::ConformanceMapping& m, const std::vector<ProtoEvent>& ev,
                                std::size_t* at = nullptr) {
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (std::optional<std::string> f = m.OnEvent(ev[i])) {
      if (at) *at = i;
      return f;
    }
  }
  return std::nullopt;
}

std::vector<ProtoEvent> Concat(std::vector<std::vector<ProtoEvent>> parts) {
  std::vector<ProtoEvent> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
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
