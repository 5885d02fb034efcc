// conformance_wait_test -- the mapping rules of the wait-queue loop (checker/cli/
// conformance.cc, model/steps_wait_event.h) that are code, not table rows, on event
// sequences written out by hand: the condition's reads map to the fast path's step or the
// loop's by the model's position, and a wake_up_interruptible() maps to the model's wakeup
// whether __wake_up() found the thread's entry (a state match) or not (kWakeReturned)
// (silent); a wakeup that finds no entry of a thread the model has queued, and one that
// wakes a thread the model has not queued, are findings (firing). The broken-row test of
// conformance_catalog_test covers the rows.
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

model::Params WaitLoop() {
  model::Params p{1, 0, 1, model::Variant::kFaithful};
  p.thread_fn = model::ThreadFn::kWaitEventLoop;
  p.driver = model::Driver::kRunStop;
  return p;
}

// No work yet: the fast path's two reads, then the loop's prepare, its two reads and the
// sleep.
std::vector<ProtoEvent> WaitsAndSleeps() {
  return {
      Ev(E::kWaitCondWork, kThread, kNoTask, 0), Ev(E::kWaitCondStop, kThread, kNoTask, 0),
      Ev(E::kWaitPrepare, kThread, kNoTask, 0),  Ev(E::kWaitCondWork, kThread, kNoTask, 0),
      Ev(E::kWaitCondStop, kThread, kNoTask, 0), Ev(E::kScheduleDecide, kThread, kNoTask, kSchedBlocks),
  };
}

// The driver's work and its wake_up_interruptible(); `matched`: __wake_up() found the entry.
std::vector<ProtoEvent> DriverWakes(bool matched) {
  std::vector<ProtoEvent> ev = {Ev(E::kWorkRaised, kMain, kNoTask, 0),
                                Ev(E::kWakeIntent, kMain, kThread, kWakeQueue)};
  if (matched) {
    ev.push_back(Ev(E::kTtwuStateMatch, kMain, kThread, 1));
    ev.push_back(Ev(E::kTtwuDoWakeup, kMain, kThread));
  }
  ev.push_back(Ev(E::kWakeReturned, kMain, kThread));
  return ev;
}

// Woken (or never asleep), the loop finds the work, breaks, and the thread takes it.
std::vector<ProtoEvent> TakesTheWork(bool from_sleep) {
  std::vector<ProtoEvent> ev;
  if (from_sleep) ev.push_back(Ev(E::kWaitPrepare, kThread, kNoTask, 0));
  ev.push_back(Ev(E::kWaitCondWork, kThread, kNoTask, 1));
  if (from_sleep) ev.push_back(Ev(E::kWaitFinish, kThread));
  ev.push_back(Ev(E::kFnTestStop, kThread, kNoTask, 0));
  ev.push_back(Ev(E::kFnTakeWork, kThread));
  return ev;
}

TEST(ConformanceWaitTest, AQueueWakeupOfTheSleeperMapsToTheModelsWakeup) {
  cli::ConformanceMapping m(WaitLoop(), cli::FaithfulMapping());
  std::optional<std::string> f =
      Feed(m, Concat({UpToTheLoop(), WaitsAndSleeps(), DriverWakes(true), TakesTheWork(true)}));
  EXPECT_FALSE(f.has_value()) << *f;
  EXPECT_EQ(m.model_state().cpu[0].pc, model::kFTop);
  EXPECT_EQ(m.model_state().cpu[0].work, 0);
  EXPECT_FALSE(m.model_state().cpu[0].queued);
}

// The work comes before the thread's first wait: __wake_up() finds an empty queue, and the
// fast path's read of the work skips the wait.
TEST(ConformanceWaitTest, AWakeupOfAnEmptyQueueMapsToTheModelsWakeupOfNobody) {
  cli::ConformanceMapping m(WaitLoop(), cli::FaithfulMapping());
  std::optional<std::string> f =
      Feed(m, Concat({UpToTheLoop(), DriverWakes(false), TakesTheWork(false)}));
  EXPECT_FALSE(f.has_value()) << *f;
  EXPECT_EQ(m.model_state().shared.prod_pc, model::kProdIdle);
  EXPECT_EQ(m.model_state().cpu[0].pc, model::kFTop);
}

TEST(ConformanceWaitTest, AWakeupThatFindsNoEntryOfAQueuedThreadIsAFinding) {
  cli::ConformanceMapping m(WaitLoop(), cli::FaithfulMapping());
  std::vector<ProtoEvent> ev = Concat({UpToTheLoop(), WaitsAndSleeps(), DriverWakes(false)});
  std::size_t at = 0;
  std::optional<std::string> f = Feed(m, ev, &at);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(at, ev.size() - 1);
  EXPECT_NE(f->find("found no entry of the thread of cpu0, which in the model is queued"),
            std::string::npos)
      << *f;
}

TEST(ConformanceWaitTest, AQueueWakeupOfAThreadTheModelHasNotQueuedIsAFinding) {
  cli::ConformanceMapping m(WaitLoop(), cli::FaithfulMapping());
  std::vector<ProtoEvent> ev = Concat({UpToTheLoop(), DriverWakes(true)});
  std::size_t at = 0;
  std::optional<std::string> f = Feed(m, ev, &at);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(ev[at].kind, E::kTtwuStateMatch);
  EXPECT_NE(f->find("where the model has no entry of it"), std::string::npos) << *f;
}

}  // namespace
}  // namespace kt::testing
