// delayed_work_test -- the kthread_worker module's configuration (model/steps_delayed_work.h;
// ThreadFn::kWorker, Driver::kRunWorkerDelayedExit): the faithful model reaches each race
// window its four variants open, and holds there (its golden counts are
// plain_kthread_test's row); each variant is found with its oracle, by the trace that
// shows its bug.
#include <gtest/gtest.h>

#include <string>

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "tests/model/plain_config.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::Verdict;

Params WorkerParams(Variant v = Variant::kFaithful) {
  return Plain(ThreadFn::kWorker, Driver::kRunWorkerDelayedExit, v);
}

// The faithful exit goes through the windows the variants need, and holds there.
TEST(DelayedWorkTest, FaithfulWorkerHoldsThroughEachRaceWindow) {
  ASSERT_EQ(Validate(WorkerParams()), "");
  // The timer fired while the cancel held `canceling`, and dropped the work.
  bool timer_dropped_while_canceling = false;
  // The delayed work ran while the cancel flushed it: the flush work went first on
  // work_list (the work was on no list).
  bool flush_at_head = false;
  // delayed_work_func()'s requeue found `canceling` and queued nothing.
  bool requeue_blocked = false;
  // The timer fired with a flush work queued: only after kthread_flush_worker() could it,
  // and the faithful exit has cancelled the work by then.
  bool timer_after_destroy_flush = false;
  ObservedSpec spec(WorkerParams(), [&](const State& before, ActionId a, const State& after) {
    if (a == ActionId::kDelayedWorkTimerFn && before.shared.canceling)
      timer_dropped_while_canceling |= after.shared.dwork == kDworkIdle;
    if (a == ActionId::kDelayedWorkTimerFn && before.cpu[0].flush_queued)
      timer_after_destroy_flush = true;
    if (a == ActionId::kFlushWorkInsert)
      flush_at_head |= after.shared.flush_first && before.cpu[0].current_work == kWorkDelayed;
    if (a == ActionId::kWorkerRequeue && before.shared.canceling)
      requeue_blocked |= after.shared.dwork == kDworkIdle && !after.shared.dwork_timer;
  });
  Result r = Explore(spec, Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_TRUE(timer_dropped_while_canceling);
  EXPECT_TRUE(flush_at_head);
  EXPECT_TRUE(requeue_blocked);
  EXPECT_FALSE(timer_after_destroy_flush);
}

Result Find(Variant v, const char* oracle) {
  return ExpectFound({ThreadFn::kWorker, Driver::kRunWorkerDelayedExit, v, oracle});
}

// Does some step of the trace, from step `from` on, contain `text`? Returns its index or -1.
int StepWith(const Result& r, const std::string& text, int from = 0) {
  for (int i = from; i < static_cast<int>(r.trace.size()); ++i)
    if (r.trace[i].action.find(text) != std::string::npos) return i;
  return -1;
}

// flush_on_delayed_list: the exit's kthread_flush_work() finds the work on
// delayed_work_list (the timer has not fired) and links its flush work there.
TEST(DelayedWorkTest, FlushOnDelayedListLinksTheFlushWorkWhereNoTimerMovesIt) {
  Result r = Find(Variant::kFlushOnDelayedList, "invariant:worker_list");
  ASSERT_FALSE(r.trace.empty());
  EXPECT_NE(r.trace.back().action.find("kthread_flush_work: link fwork"), std::string::npos)
      << r.trace.back().action;
  EXPECT_EQ(StepWith(r, "kthread_delayed_work_timer_fn"), -1);
}

// timer_fn_ignores_canceling: the timer fires between the cancel's canceling++ and its
// timer_delete_sync(), and inserts the work anyway.
TEST(DelayedWorkTest, TimerFnIgnoresCancelingInsertsWhileCanceling) {
  Result r = Find(Variant::kTimerFnIgnoresCanceling, "invariant:worker_list");
  ASSERT_FALSE(r.trace.empty());
  const int mark = StepWith(r, "work->canceling++");
  ASSERT_GE(mark, 0);
  EXPECT_NE(r.trace.back().action.find("kthread_delayed_work_timer_fn"), std::string::npos);
  EXPECT_EQ(StepWith(r, "timer_delete_sync", mark), -1);
}

// destroy_with_pending_delayed: no cancel; kthread_destroy_worker() returns with the work
// still on delayed_work_list and its timer armed.
TEST(DelayedWorkTest, DestroyWithPendingDelayedLeavesTheTimerArmed) {
  Result r = Find(Variant::kDestroyWithPendingDelayed, "invariant:worker_destroy");
  ASSERT_FALSE(r.trace.empty());
  EXPECT_EQ(StepWith(r, "canceling"), -1);
  EXPECT_NE(r.trace.back().action.find("kthread_stop: wait_for_completion(&exited)"),
            std::string::npos)
      << r.trace.back().action;
}

// cancel_sync_without_canceling: the work runs when the cancel takes it off the lists, and
// with no `canceling` its requeue succeeds while the cancel flushes it.
TEST(DelayedWorkTest, CancelSyncWithoutCancelingLetsTheRunningWorkRequeue) {
  Result r = Find(Variant::kCancelSyncWithoutCanceling, "invariant:worker_list");
  const int cancel = StepWith(r, "__kthread_cancel_work_sync: lock; canceling--");
  ASSERT_GE(cancel, 0);
  EXPECT_GT(StepWith(r, "delayed_work_func: kthread_queue_delayed_work", cancel), cancel);
}

// The four variants change the kthread_worker module's code: the model checks them in its
// configuration only, and that driver runs only the plain worker.
TEST(DelayedWorkTest, ValidateKeepsTheVariantsInTheirConfiguration) {
  EXPECT_NE(Validate(Plain(ThreadFn::kFreezableWorker, Driver::kRunWorkerFreezeStop,
                           Variant::kTimerFnIgnoresCanceling)),
            "");
  Params mismatched = WorkerParams();
  mismatched.thread_fn = ThreadFn::kFreezableWorker;
  EXPECT_NE(Validate(mismatched), "");
  mismatched = WorkerParams();
  mismatched.driver = Driver::kRunStop;
  EXPECT_NE(Validate(mismatched), "");
}

}  // namespace
}  // namespace kthcheck::model
