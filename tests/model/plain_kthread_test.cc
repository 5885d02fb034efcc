// plain_kthread_test -- the model's configurations of one plain kthread (model/state.h
// ThreadFn, Driver; steps in model/steps_threadfn.h), which the park scenarios of the
// catalog conform to: each holds every invariant and ends in its valid end state, with
// exact counts (STYLE.md 3.7); the controller's variants hang as the port's do; and the
// smpboot configuration never enables a plain-kthread step.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <deque>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "tests/model/plain_config.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::Verdict;

struct Golden {
  const char* scenario;  // the catalog scenario this configuration stands for
  ThreadFn thread_fn;
  Driver driver;
  std::uint64_t stored, transitions;
  int depth;
};

// Recorded 2026-11-27 (BFS, exact store), with kthread_stop()'s TIF_NOTIFY_SIGNAL step;
// wait_event_loop on 2026-11-28.
constexpr Golden kGolden[] = {
    {"stop_before_wakeup", ThreadFn::kStopLoop, Driver::kCreateStop, 8, 7, 7},
    {"park_before_wakeup", ThreadFn::kStopLoop, Driver::kSmpboot, 82, 129, 25},
    {"park_unpark_stop", ThreadFn::kParkableLoop, Driver::kRunParkUnparkStop, 172, 279, 27},
    {"park_stop", ThreadFn::kParkableLoop, Driver::kRunParkStop, 117, 176, 28},
    {"basic_loop, completion_sync, polling_loop", ThreadFn::kTimedLoop, Driver::kRunStop, 76, 146,
     15},
    {"event_loop, irq_event", ThreadFn::kEventLoop, Driver::kRunStop, 392, 889, 21},
    {"wait_event_loop", ThreadFn::kWaitEventLoop, Driver::kRunStop, 655, 1517, 26},
    // With the start handshake before the loop (model/steps_start.h): kthread_stop() can no
    // longer come before the thread's start, so fewer states than the loop alone.
    {"completion_sync (checked)", ThreadFn::kTimedLoop, Driver::kRunWaitStop, 70, 136, 19},
    // The driver's msleep() ends only while the thread sleeps (the port's virtual clock).
    {"polling_loop (checked)", ThreadFn::kTimedLoop, Driver::kRunSleepStop, 62, 116, 19},
    // The freezer (model/steps_freezer.h): set_freezable(), wait_event_freezable(), one
    // suspend/resume cycle with the work raised while frozen (recorded 2026-11-29).
    {"freezable (checked)", ThreadFn::kFreezableWaitLoop, Driver::kRunFreezeStop, 391, 739, 31},
    // A KTW_FREEZABLE kthread_worker (model/steps_worker.h): the freeze, a work queued while
    // frozen, the thaw, kthread_destroy_worker() (recorded 2026-11-29).
    {"freezable_worker (checked)", ThreadFn::kFreezableWorker, Driver::kRunWorkerFreezeStop, 355,
     646, 38},
    // A plain kthread_worker with an immediate work and a delayed work that requeues itself
    // once, cancelled and destroyed at exit (model/steps_delayed_work.h; recorded
    // 2026-11-29, a later session).
    {"kthread_worker (checked)", ThreadFn::kWorker, Driver::kRunWorkerDelayedExit, 1056, 2284, 45},
    // A regular kthread busy on a CPU that cpu_down() takes offline, pushed off it by
    // balance_push() (model/steps_migrate.h; recorded 2026-11-29, the same session).
    {"hotplug_migrate (checked)", ThreadFn::kBusyWait, Driver::kRunCpuDownStop, 28, 35, 19},
};

// A valid configuration that holds, with exactly these counts.
void ExpectHoldsWithCounts(const Params& p, std::uint64_t stored, std::uint64_t transitions,
                           int depth) {
  ASSERT_EQ(Validate(p), "");
  Result r = Explore(SmpbootSpec(p), Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_EQ(r.stats.states_stored, stored);
  EXPECT_EQ(r.stats.transitions, transitions);
  EXPECT_EQ(r.stats.depth, depth);
}

TEST(PlainKthreadTest, EachConfigurationHoldsWithGoldenCounts) {
  for (const Golden& g : kGolden) {
    SCOPED_TRACE(g.scenario);
    ExpectHoldsWithCounts(Plain(g.thread_fn, g.driver), g.stored, g.transitions, g.depth);
  }
}

// percpu: N bound threads in the parkable timed loop; the driver parks the last one, kicks
// every one with wake_up_process(), unparks it and stops them all. Holds for N = 1..3, with
// exact counts (recorded 2026-11-28).
TEST(PlainKthreadTest, PercpuConfigurationHoldsForEachCpuCount) {
  struct Row {
    int cpus;
    std::uint64_t stored, transitions;
    int depth;
  };
  const Row rows[] = {{1, 160, 283, 28}, {2, 2284, 6788, 38}, {3, 33533, 141287, 48}};
  for (const Row& row : rows) {
    SCOPED_TRACE(row.cpus);
    Params p = Plain(ThreadFn::kParkableTimedLoop, Driver::kPercpu);
    p.cpus = row.cpus;
    ExpectHoldsWithCounts(p, row.stored, row.transitions, row.depth);
  }
  // The per-CPU driver runs only that loop, and that loop only under it.
  EXPECT_NE(Validate(Plain(ThreadFn::kTimedLoop, Driver::kPercpu)), "");
  EXPECT_NE(Validate(Plain(ThreadFn::kParkableTimedLoop, Driver::kRunStop)), "");
}

// The port's park_stop variants, in the model: kthread_stop() without its unpark leaves
// the thread parked for ever; kthread_park() without its wakeup waits on a thread asleep
// in its loop. Both are hangs, as `kthcheck list` says of the port.
TEST(PlainKthreadTest, ControllerVariantsHangOnParkStop) {
  for (Variant v : {Variant::kStopWithoutUnpark, Variant::kParkWithoutWakeup}) {
    SCOPED_TRACE(VariantName(v));
    Params p = Plain(ThreadFn::kParkableLoop, Driver::kRunParkStop, v);
    ASSERT_EQ(Validate(p), "");
    Result r = Explore(SmpbootSpec(p), Options{});
    EXPECT_EQ(r.verdict, Verdict::kViolation);
    EXPECT_EQ(r.oracle, "hang") << r.detail;
  }
}

// The port's __kthread_parkme() variants of park_unpark_stop, in the model's configuration
// of that scenario. parkme_not_special is park_postcondition in the port; here
// special_state_exclusivity (a sleeper in __kthread_parkme() is TASK_PARKED) fails first,
// when the thread sleeps before kthread_park()'s wait_task_inactive() returns.
TEST(PlainKthreadTest, ParkmeVariantsOnParkUnparkStopGiveTheirOracles) {
  const std::pair<Variant, const char*> cases[] = {
      {Variant::kParkmeCompleteBeforeState, "invariant:park_postcondition"},
      {Variant::kParkmeCompleteAll, "invariant:completion_balance"},
      {Variant::kParkmeNotSpecial, "invariant:special_state_exclusivity"},
  };
  for (const auto& [v, oracle] : cases) {
    SCOPED_TRACE(VariantName(v));
    Params p = Plain(ThreadFn::kParkableLoop, Driver::kRunParkUnparkStop, v);
    ASSERT_EQ(Validate(p), "");
    Result r = Explore(SmpbootSpec(p), Options{});
    EXPECT_EQ(r.verdict, Verdict::kViolation);
    EXPECT_EQ(r.oracle, oracle) << r.detail;
  }
}

// The seed's lost wakeup, in the event loop's configuration: the work test before
// set_current_state() lets the producer's wakeup land before the sleep, which then
// sleeps with work pending once everybody else is idle. The shortest trace is pinned.
TEST(PlainKthreadTest, EventCheckBeforeSetStateLosesTheWakeupInTheEventLoop) {
  Params p = Plain(ThreadFn::kEventLoop, Driver::kRunStop, Variant::kEventCheckBeforeSetState);
  ASSERT_EQ(Validate(p), "");
  Result r = Explore(SmpbootSpec(p), Options{});
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.oracle, "lost_wakeup") << r.detail;
  EXPECT_EQ(r.trace.size(), 12u);
  // Another loop's variant is refused there, and this one elsewhere.
  EXPECT_NE(Validate(Plain(ThreadFn::kEventLoop, Driver::kRunStop, Variant::kUnparkBeforeRebind)),
            "");
  EXPECT_NE(
      Validate(Plain(ThreadFn::kTimedLoop, Driver::kRunStop, Variant::kEventCheckBeforeSetState)),
      "");
}

// The port's kthread_exit(), module-exit and ttwu variants, each in the model
// configuration of a scenario that shows it: found with the port's oracle (for
// ttwu_matches_any_sleep, the model's name of the same rule, 18.7), and the faithful
// configuration holds (above).
TEST(PlainKthreadTest, ExitAndTtwuVariantsGiveTheirOracles) {
  const Case cases[] = {
      {ThreadFn::kStopLoop, Driver::kCreateStop, Variant::kExitBeforeResult,
       "invariant:result_before_exited"},
      {ThreadFn::kParkableLoop, Driver::kRunParkStop, Variant::kExitBeforeResult,
       "invariant:result_before_exited"},
      {ThreadFn::kTimedLoop, Driver::kRunStop, Variant::kExitWithoutStop, "lifetime"},
      {ThreadFn::kEventLoop, Driver::kRunStop, Variant::kExitWithoutStop, "lifetime"},
      {ThreadFn::kParkableLoop, Driver::kRunParkUnparkStop, Variant::kTtwuMatchesAnySleep,
       "invariant:special_state_exclusivity"},
      // The port's own scenario for it: percpu's kick meets the parked thread.
      {ThreadFn::kParkableTimedLoop, Driver::kPercpu, Variant::kTtwuMatchesAnySleep,
       "invariant:special_state_exclusivity"},
      {ThreadFn::kParkableTimedLoop, Driver::kPercpu, Variant::kExitWithoutStop, "lifetime"},
      // irq_event's: the event loop's early test, without its TASK_RUNNING store.
      {ThreadFn::kEventLoop, Driver::kRunStop, Variant::kEventTestUnderPreemptDisable,
       "lost_wakeup"},
  };
  for (const Case& c : cases) ExpectFound(c);
  // A driver whose kthread_stop() is not the module exit's has no exit_without_stop.
  EXPECT_NE(
      Validate(Plain(ThreadFn::kParkableLoop, Driver::kRunParkStop, Variant::kExitWithoutStop)),
      "");
}

// The port's memory-model variants (VARIANT_TSO/VARIANT_PSO), each in the configuration of
// its port scenario: the model, sequentially consistent, takes the order in which the
// late store drains after the loads it should precede, and finds the port's oracle.
// ttwu_no_barrier's trace has the producer's wakeup before its work store drains.
TEST(PlainKthreadTest, MemoryModelVariantsGiveThePortsOracles) {
  const Case cases[] = {
      {ThreadFn::kEventLoop, Driver::kRunStop, Variant::kEventLoopNoBarrier, "lost_wakeup"},
      {ThreadFn::kEventLoop, Driver::kRunStop, Variant::kTtwuNoBarrier, "lost_wakeup"},
      {ThreadFn::kParkableLoop, Driver::kRunParkStop, Variant::kParkableLoopNoBarrier, "hang"},
      {ThreadFn::kStopLoop, Driver::kCreateStop, Variant::kExitFlagWithoutRelease,
       "invariant:result_before_exited"},
  };
  for (const Case& c : cases) {
    Result r = ExpectFound(c);
    if (c.v != Variant::kTtwuNoBarrier) continue;
    std::vector<std::string> steps;
    for (const auto& step : r.trace) steps.push_back(step.action);
    auto wake = std::find_if(steps.begin(), steps.end(), [](const std::string& l) {
      return l.find("wake_up_process(tsk)") != std::string::npos;
    });
    auto raise = std::find_if(steps.begin(), steps.end(), [](const std::string& l) {
      return l.find("raise_softirq") != std::string::npos;
    });
    EXPECT_LT(wake - steps.begin(), raise - steps.begin());
  }
  // Each is refused where its loop is not.
  EXPECT_NE(Validate(Plain(ThreadFn::kStopLoop, Driver::kRunStop, Variant::kTtwuNoBarrier)), "");
  EXPECT_NE(
      Validate(Plain(ThreadFn::kEventLoop, Driver::kRunStop, Variant::kParkableLoopNoBarrier)), "");
}

// The wait-queue loop's variant (variants.def VARIANT_PLAIN), in its own configuration:
// the hand-rolled wait takes the work on its first pass and queues again, and the
// producer's wakeup, sent for that work, ends the next sleep, which returns with no work
// pending to the WARN (wait_condition). The trace has the consume before the wakeup. The
// configurations that do not run the wait-queue loop refuse the variant.
TEST(PlainKthreadTest, HandRolledWaitReturnsFromAStaleWakeup) {
  Result r = ExpectFound({ThreadFn::kWaitEventLoop, Driver::kRunStop,
                          Variant::kHandRolledWaitWithoutLoop, "invariant:wait_condition"});
  std::vector<std::string> steps;
  for (const auto& step : r.trace) steps.push_back(step.action);
  auto first = [&](const char* label) {
    return std::find_if(steps.begin(), steps.end(),
                        [&](const std::string& l) { return l.find(label) != std::string::npos; }) -
           steps.begin();
  };
  auto consume = first("WARN_ON(!work)");
  auto wake = first("wake_up_process(tsk)");
  ASSERT_LT(consume, static_cast<long>(steps.size()));
  ASSERT_LT(wake, static_cast<long>(steps.size()));
  EXPECT_LT(consume, wake);
  // The faithful loop's fast-path test is not in the hand-rolled wait.
  EXPECT_EQ(first("the fast path"), static_cast<long>(steps.size()));
  Params smpboot{1, 0, 1, Variant::kHandRolledWaitWithoutLoop};
  EXPECT_NE(Validate(smpboot).find("--variant=hand_rolled_wait_without_loop"), std::string::npos);
  EXPECT_NE(
      Validate(Plain(ThreadFn::kEventLoop, Driver::kRunStop, Variant::kHandRolledWaitWithoutLoop)),
      "");
}

// The model without kSpuriousWake: only the wakeups the module sends.
class WithoutSpuriousWakeups : public SmpbootSpec {
 public:
  using SmpbootSpec::SmpbootSpec;
  template <class F>
  void ForEachSuccessor(const Packed& s, F&& f) const {
    SmpbootSpec::ForEachSuccessor(s, [&](std::uint32_t id, const Packed& n) {
      if (DecodeInstance(id).action != ActionId::kSpuriousWake) f(id, n);
    });
  }
};

// completion_sync's start handshake (variants.def VARIANT_PLAIN): the creator's hand-rolled
// wait sleeps before the thread ran at all, and a spurious wakeup returns it to its WARN
// with `initialised` still 0 (start_condition). As in the port, the one wakeup the thread
// sends cannot do it: without spurious wakeups the variant holds (126 states, recorded
// 2026-11-29; its wait has more positions than wait_for_completion()'s one step).
// basic_loop's configuration, whose driver waits for no start, refuses the variant.
TEST(PlainKthreadTest, StartFlagReturnsFromASpuriousWakeupOnly) {
  Result r = ExpectFound({ThreadFn::kTimedLoop, Driver::kRunWaitStop,
                          Variant::kStartFlagWithoutLoop, "invariant:start_condition"});
  ASSERT_FALSE(r.trace.empty());
  bool spurious = false, flag = false;
  for (const auto& step : r.trace) {
    spurious |= step.action.find("a spurious wakeup") != std::string::npos;
    flag |= step.action.find("WRITE_ONCE(initialised, 1)") != std::string::npos;
  }
  EXPECT_TRUE(spurious);
  EXPECT_FALSE(flag);
  Params p = Plain(ThreadFn::kTimedLoop, Driver::kRunWaitStop, Variant::kStartFlagWithoutLoop);
  Result quiet = Explore(WithoutSpuriousWakeups(p), Options{});
  EXPECT_EQ(quiet.verdict, Verdict::kHolds) << quiet.oracle << " " << quiet.detail;
  EXPECT_EQ(quiet.stats.states_stored, 126u);
  EXPECT_NE(Validate(Plain(ThreadFn::kTimedLoop, Driver::kRunStop, Variant::kStartFlagWithoutLoop)),
            "");
  EXPECT_NE(Validate(Plain(ThreadFn::kStopLoop, Driver::kRunWaitStop)), "");
}

// polling_loop's hog_loop (variants.def VARIANT_PLAIN): the loop polls without sleeping, so
// its kthread_should_stop() test changes nothing, and the driver's msleep() cannot end
// while the thread runs. The state where that test is the only step is a livelock (not a
// hang: the run can go on, by that step alone). The faithful loop, which sleeps, holds
// with its golden counts above; the driver that does not sleep refuses the variant.
TEST(PlainKthreadTest, HogLoopSpinsAndStarvesItsDriver) {
  Result r =
      ExpectFound({ThreadFn::kTimedLoop, Driver::kRunSleepStop, Variant::kHogLoop, "livelock"});
  EXPECT_NE(r.detail.find("while (!kthread_should_stop()) spins"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("in msleep(5)"), std::string::npos) << r.detail;
  EXPECT_NE(Validate(Plain(ThreadFn::kTimedLoop, Driver::kRunStop, Variant::kHogLoop)), "");
  EXPECT_NE(Validate(Plain(ThreadFn::kEventLoop, Driver::kRunSleepStop)), "");
}

// Bad combinations are one line each (exit 2 in a CLI), never a silent model.
TEST(PlainKthreadTest, ValidateRejectsMixedConfigurations) {
  Params p = Plain(ThreadFn::kStopLoop, Driver::kSmpboot);
  p.cpus = 2;
  EXPECT_NE(Validate(p).find("N=1 H=0 W=0"), std::string::npos);
  p = Plain(ThreadFn::kSmpboot, Driver::kCreateStop);
  EXPECT_NE(Validate(p).find("plain threadfn"), std::string::npos);
  p = Plain(ThreadFn::kStopLoop, Driver::kCreateStop, Variant::kParkmePlainStateStore);
  EXPECT_NE(Validate(p).find("controller's variants"), std::string::npos);
}

// The smpboot configuration (proofs/, golden counts, promela/) has no plain-kthread step:
// on every reachable state of a small configuration (a BFS of its own, over the same
// successor function the engine uses), no plain step's guard holds.
TEST(PlainKthreadTest, SmpbootNeverEnablesAPlainStep) {
  Params p{2, 1, 1, Variant::kFaithful};
  const int first_plain = static_cast<int>(ActionId::kKthreadRunWake);
  std::set<decltype(Packed::w)> seen;
  std::deque<State> queue = {InitialState(p)};
  seen.insert(Pack(queue.front()).w);
  while (!queue.empty()) {
    State s = queue.front();
    queue.pop_front();
    ForEachSuccessor(p, s, [&](ActionInstance a, const State& n) {
      EXPECT_LT(static_cast<int>(a.action), first_plain) << PrintAction(a);
      if (seen.insert(Pack(n).w).second) queue.push_back(n);
    });
  }
  EXPECT_EQ(seen.size(), 66809u);  // model_golden_test's N=2 H=1 W=1 row
}

// The faithful freezer model keeps the wakeup that comes while the thread is frozen: some
// reachable state has the thread frozen in place in its wait (TASK_FROZEN at the wait's
// sleep) with the driver's wake_up() recorded in saved_state (TASK_RUNNING), and, as the
// configuration holds (golden row above), the thaw runs it. A state of the refrigerator's
// own sleep is reachable too: both ways of freezing are explored.
TEST(PlainKthreadTest, FreezerKeepsTheWakeupThatComesWhileFrozen) {
  bool woken_while_frozen = false, in_refrigerator = false;
  ObservedSpec spec(Plain(ThreadFn::kFreezableWaitLoop, Driver::kRunFreezeStop),
                    [&](const State&, ActionId, const State& after) {
                      const Cpu& t = after.cpu[0];
                      woken_while_frozen |= t.pc == kFSleep && t.task_state == kTaskFrozen &&
                                            t.saved_state == kTaskRunning;
                      in_refrigerator |= t.pc == kZFrozenSleep;
                    });
  Result r = Explore(spec, Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_TRUE(woken_while_frozen);
  EXPECT_TRUE(in_refrigerator);
}

// thaw_loses_stop_wakeup (variants.def VARIANT_PLAIN): __thaw_task() puts back the
// TASK_RUNNING that the refrigerator (or a wakeup while frozen) left in saved_state, and
// the thread sleeps on with __state == TASK_RUNNING: kthread_stop()'s wakeup matches
// nothing and it waits for `exited` forever.
TEST(PlainKthreadTest, ThawLosesStopWakeupHangsKthreadStop) {
  Result r = ExpectFound({ThreadFn::kFreezableWaitLoop, Driver::kRunFreezeStop,
                          Variant::kThawLosesStopWakeup, "hang"});
  EXPECT_NE(r.detail.find("wait_for_completion(&exited)"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("[TASK_RUNNING]; nobody will wake it"), std::string::npos) << r.detail;
  EXPECT_NE(
      Validate(Plain(ThreadFn::kWaitEventLoop, Driver::kRunStop, Variant::kThawLosesStopWakeup)),
      "");
}

// thaw_before_unfreezing: __thaw_task() runs while pm_nosig_freezing still holds, and its
// WARN_ON_ONCE(freezing(p)) is the invariant thaw_condition. Only the freezable driver runs
// the freezable loop, and the other way round.
TEST(PlainKthreadTest, ThawBeforeUnfreezingFindsItsTaskFreezing) {
  Result r = ExpectFound({ThreadFn::kFreezableWaitLoop, Driver::kRunFreezeStop,
                          Variant::kThawBeforeUnfreezing, "invariant:thaw_condition"});
  ASSERT_FALSE(r.trace.empty());
  bool unfreeze = false;
  for (const auto& step : r.trace)
    unfreeze |= step.action.find("pm_nosig_freezing = false") != std::string::npos;
  EXPECT_FALSE(unfreeze);
  EXPECT_NE(Validate(Plain(ThreadFn::kFreezableWaitLoop, Driver::kRunStop)), "");
  EXPECT_NE(Validate(Plain(ThreadFn::kWaitEventLoop, Driver::kRunFreezeStop)), "");
}

// The freezable worker sleeps in TASK_INTERRUPTIBLE, which the freezer cannot freeze in
// place: freeze_task() wakes it, and it freezes itself in the refrigerator between works.
// worker_sleeps_while_freezing (variants.def VARIANT_PLAIN) leaves out the TASK_RUNNING
// store of that path, and try_to_freeze()'s might_sleep() finds TASK_INTERRUPTIBLE: the
// trace has no schedule() of the worker (it never slept) and ends at try_to_freeze(). The
// faithful worker holds with its golden counts above; the freezable thread's driver refuses
// the variant.
TEST(PlainKthreadTest, WorkerSleepsWhileFreezingReachesTryToFreezeInterruptible) {
  Result r = ExpectFound({ThreadFn::kFreezableWorker, Driver::kRunWorkerFreezeStop,
                          Variant::kWorkerSleepsWhileFreezing, "invariant:might_sleep"});
  ASSERT_FALSE(r.trace.empty());
  bool slept = false;
  for (const auto& step : r.trace)
    slept |= step.action.find("threadfn: schedule()") != std::string::npos;
  EXPECT_FALSE(slept);
  EXPECT_NE(r.trace.back().action.find("else if (!freezing(current))"), std::string::npos)
      << r.trace.back().action;
  EXPECT_NE(Validate(Plain(ThreadFn::kFreezableWaitLoop, Driver::kRunFreezeStop,
                           Variant::kWorkerSleepsWhileFreezing)),
            "");
  EXPECT_NE(Validate(Plain(ThreadFn::kFreezableWorker, Driver::kRunFreezeStop)), "");
}

}  // namespace
}  // namespace kthcheck::model
