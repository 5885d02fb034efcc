// conformance_test -- the port conforms to model/ (checker/cli/conformance.h): on the
// scenarios the model covers, every explored execution maps to a model path; the mapping
// is not vacuous (a whole execution drives the model to its end state); and one altered
// row of the mapping table is a `conformance` finding that names the impl event and the
// steps the model allowed, with a token that replays it.
#include <gtest/gtest.h>

#include <algorithm>

#include <memory>
#include <string>
#include <vector>

#include "checker/cli/conformance.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"
#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

namespace model = ::kthcheck::model;
using explore::Bounds;
using explore::Search;
using explore::Verdict;
using explore::VerdictKind;

struct Config {
  int cpus, hotplug, work;
};

cli::Target SmpbootTarget(Config c, const std::string& variant = "") {
  std::string error;
  std::optional<cli::Target> t =
      cli::ResolveTarget("smpboot_hotplug", variant, c.cpus, &error, c.hotplug, c.work);
  EXPECT_TRUE(t.has_value()) << error;
  t->conformance = true;
  EXPECT_EQ(cli::CheckConformanceTarget(*t), "");
  return *t;
}

std::string Name(Config c) {
  return "N=" + std::to_string(c.cpus) + " H=" + std::to_string(c.hotplug) +
         " W=" + std::to_string(c.work);
}

// Which scenarios of the catalog the model covers: conformance_catalog_test.

// Port variants with a model counterpart map to it; the others are refused.
TEST(ConformanceTest, MapsOnlyVariantsTheModelHas) {
  std::string why;
  std::optional<model::Params> p =
      cli::ConformanceParams("smpboot_hotplug", "stop_without_unpark", 2, 1, 0, &why);
  ASSERT_TRUE(p.has_value()) << why;
  EXPECT_EQ(p->variant, model::Variant::kStopWithoutUnpark);
  p = cli::ConformanceParams("smpboot_hotplug", "smpboot_park_ignores_status", 2, 1, 0, &why);
  ASSERT_TRUE(p.has_value()) << why;
  EXPECT_EQ(p->variant, model::Variant::kSmpbootParkIgnoresStatus);
  // model/ has it too, but the port's thread escapes the lost stop wakeup through
  // TIF_NOTIFY_SIGNAL, which the model does not have (model/README.md).
  EXPECT_FALSE(cli::ConformanceParams("smpboot_hotplug", "smpboot_check_before_set_state", 2, 1,
                                      0, &why));
  EXPECT_NE(why.find("no counterpart in model/"), std::string::npos) << why;
  // One CPU: the driver has no CPU to take down, so the model gets no hotplug cycle.
  p = cli::ConformanceParams("smpboot_hotplug", "", 1, 2, 1, &why);
  ASSERT_TRUE(p.has_value()) << why;
  EXPECT_EQ(p->hotplug, 0);
}

// Not vacuous: the first execution of each configuration, followed event by event,
// takes the model from its initial state to its valid end (unregistered, every thread
// dead), with a nonzero number of steps.
TEST(ConformanceTest, AWholeExecutionDrivesTheModelToItsEnd) {
  for (Config c : {Config{1, 0, 1}, Config{2, 1, 0}, Config{2, 0, 2}, Config{2, 1, 1},
                   Config{3, 1, 1}}) {
    std::shared_ptr<cli::ConformanceRun> run;
    explore::Program program = cli::MakeProgram(SmpbootTarget(c), &run);
    ASSERT_NE(run, nullptr);
    Bounds b;
    b.max_executions = 1;
    Verdict v = explore::Explore(program, Search::kDfs, b);
    EXPECT_NE(v.kind, VerdictKind::kViolation) << Name(c) << ": " << v.message;
    const model::State& s = run->mapping().model_state();
    EXPECT_EQ(s.shared.ctl_op, model::kOpDone) << Name(c);
    for (int cpu = 0; cpu < c.cpus; ++cpu)
      EXPECT_EQ(s.cpu[cpu].pc, model::kTDead) << Name(c) << " cpu" << cpu;
    EXPECT_GT(run->mapping().model_steps(), 20) << Name(c);
  }
}

// The faithful mapping is silent on a bounded DPOR search of small configurations
// (the exhaustive version is conformance_exhaustive_test).
TEST(ConformanceTest, FaithfulMappingIsSilent) {
  for (Config c : {Config{1, 0, 1}, Config{2, 1, 0}, Config{2, 0, 1}, Config{2, 1, 1}}) {
    Bounds b;
    b.max_executions = 1500;
    Verdict v = explore::Explore(cli::MakeProgram(SmpbootTarget(c)), Search::kDpor, b);
    EXPECT_NE(v.kind, VerdictKind::kViolation) << Name(c) << ": " << v.message;
    EXPECT_GT(v.executions, 100u) << Name(c);
  }
}

// One-CPU configurations map to model paths on a long DPOR search. (It was exhaustive
// -- N=1 H=0 W=0 in 7,121 executions -- until DPOR's sleep sets learnt that a task about
// to disable preemption or take a lock keeps the other tasks of its CPU from running:
// on one CPU that holds for almost every step, and the same search no longer ends in
// minutes. dpor.cc MayDisable; irq_context_test shows what the old rule missed.)
TEST(ConformanceTest, OneCpuExecutionsConformOnALongSearch) {
  Bounds b;
  b.max_executions = 20000;
  Verdict v = explore::Explore(cli::MakeProgram(SmpbootTarget({1, 0, 0})), Search::kDpor, b);
  EXPECT_NE(v.kind, VerdictKind::kViolation) << v.oracle << ": " << v.message;
  EXPECT_EQ(v.executions, 20000u);
}

#ifdef KT_CONFORMANCE_EXHAUSTIVE
// On one CPU every interleaving is a preemption, so a preemption bound makes the search
// end: every execution with at most three preemptions (up to the reordering of
// independent steps) conforms, with 0, 1 and 2 work items (384,824, 999,728 and 1,146,692
// executions, about 2.5 minutes in all).
TEST(ConformanceTest, OneCpuExecutionsUpToThreePreemptionsConform) {
  for (Config c : {Config{1, 0, 0}, Config{1, 0, 1}, Config{1, 0, 2}}) {
    Bounds b;
    b.max_preemptions = 3;
    Verdict v = explore::Explore(cli::MakeProgram(SmpbootTarget(c)), Search::kDpor, b);
    EXPECT_EQ(v.kind, VerdictKind::kBoundReached) << Name(c) << ": " << v.oracle << ": "
                                                  << v.message;
    EXPECT_EQ(v.bound, "max_preemptions=3") << Name(c);
    EXPECT_GT(v.executions, 300000u) << Name(c);
  }
}
#endif

// Random searches reach where a bounded DPOR search (which varies the end of the run
// first) does not: wakeups that match a thread still queued, batches of work, a CPU that
// goes down with work pending (which stays there until cpu_up, as in the model: before the
// park callback kept to its CPU, {2, 2, 2} gave a `conformance` finding within 3,000
// executions). Silent, and the rules were exercised.
TEST(ConformanceTest, FaithfulMappingIsSilentOnRandomSearches) {
  cli::ConformanceMapping::RuleCounts total;
  for (Config c : {Config{1, 0, 2}, Config{2, 2, 1}, Config{3, 1, 1}, Config{2, 0, 3},
                   Config{4, 2, 0}, Config{2, 2, 2}, Config{3, 2, 3}}) {
    std::shared_ptr<cli::ConformanceRun> run;
    explore::Program program = cli::MakeProgram(SmpbootTarget(c), &run);
    explore::SearchOptions o;
    o.search = Search::kRandom;
    o.executions = 1500;
    Verdict v = explore::Explore(program, o, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kBoundReached) << Name(c) << ": " << v.message;
    total.delayed_store += run->mapping().rule_counts().delayed_store;
    total.batch += run->mapping().rule_counts().batch;
  }
  EXPECT_GT(total.delayed_store, 0);
  EXPECT_GT(total.batch, 0);
}

// One row altered: kthread_should_park() in smpboot_thread_fn mapped to the model's
// status step. The first execution that reaches it is a `conformance` finding naming
// the impl event and the steps the model allowed, and its schedule replays it.
TEST(ConformanceTest, AlteredMappingRowIsAFinding) {
  auto broken = std::make_shared<std::vector<cli::MappingRow>>(cli::FaithfulMapping());
  int altered = 0;
  for (cli::MappingRow& row : *broken)
    if (row.event == ProtoEv::kLoopShouldPark) row.action = model::ActionId::kLoopStatus, ++altered;
  ASSERT_EQ(altered, 1);
  cli::Target t = SmpbootTarget({1, 0, 1});
  t.mapping = broken;
  explore::Program program = cli::MakeProgram(t);
  Verdict v = explore::Explore(program, Search::kDpor, Bounds{});
  ASSERT_EQ(v.kind, VerdictKind::kViolation);
  EXPECT_EQ(v.oracle, "conformance");
  EXPECT_NE(v.message.find("impl event `smpboot_thread_fn: kthread_should_park()`"),
            std::string::npos)
      << v.message;
  EXPECT_NE(v.message.find("the impl did `cpu0 smpboot_thread_fn: switch (td->status)"),
            std::string::npos)
      << v.message;
  EXPECT_NE(v.message.find("the model allows only:\n  cpu0 smpboot_thread_fn: "
                           "kthread_should_park(); ht->park()"),
            std::string::npos)
      << v.message;
  explore::Replayed rep = explore::Replay(program, v.schedule, Bounds{});
  EXPECT_EQ(rep.error, "");
  EXPECT_EQ(rep.verdict.oracle, "conformance");
  // The token carries the option, so `kthcheck replay` follows the model too.
  std::string error;
  std::optional<cli::Target> back = cli::TargetFromToken(cli::MakeToken(t, v.schedule), &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_TRUE(back->conformance);
}

// The mapping also checks what the port read: a model that disagrees about a flag
// (here: the tracker is fed a port event on a thread the model parked differently) is
// refused at the read, before any step. Exercised directly on the mapping.
TEST(ConformanceTest, AReadTheModelDisagreesWithIsAFinding) {
  model::Params p{1, 0, 0, model::Variant::kFaithful};
  cli::ConformanceMapping m(p, cli::FaithfulMapping());
  const TaskId kMain = 0, kThread = 3;
  EXPECT_FALSE(m.OnEvent({ProtoEv::kSmpbootThreadCreated, kMain, kThread, 0}));
  EXPECT_FALSE(m.OnEvent({ProtoEv::kParkSetBit, kMain, kThread, 0}));
  EXPECT_FALSE(m.OnEvent({ProtoEv::kWakeIntent, kMain, kThread, kWakePark}));
  EXPECT_FALSE(m.OnEvent({ProtoEv::kTtwuStateMatch, kMain, kThread, 1}));
  // The model set SHOULD_PARK; a port thread that read it clear does not conform.
  std::optional<std::string> f = m.OnEvent({ProtoEv::kKthreadTestShouldStop, kThread, kNoTask, 0});
  EXPECT_FALSE(f.has_value()) << *f;
  f = m.OnEvent({ProtoEv::kParkmeSetParked, kThread, kNoTask, 0});
  EXPECT_FALSE(f.has_value()) << *f;
  f = m.OnEvent({ProtoEv::kParkmeTestShouldPark, kThread, kNoTask, 0});
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->find("read 0, but the model's cpu0.should_park is 1"), std::string::npos) << *f;
}

// The rules beyond one-to-one rows, on event sequences written out by hand: the catalog's
// smpboot_hotplug lets the system go idle before it unregisters, so kthread_stop() never
// races with a running thread there, and these rules are not reached by its searches.
// One CPU, no hotplug, no work; task 0 is the driver, task 3 the smpboot thread.
constexpr TaskId kMain = 0, kThread = 3;

constexpr TaskId kProducer = 5;

// Events that act on a task act on the smpboot thread.
ProtoEvent Ev(ProtoEv kind, TaskId task, long arg = 0) {
  using E = ProtoEv;
  bool targeted = kind == E::kSmpbootThreadCreated || kind == E::kWakeIntent ||
                  kind == E::kTtwuStateMatch || kind == E::kTtwuDoWakeup ||
                  kind == E::kParkSetBit || kind == E::kParkWaitParked ||
                  kind == E::kParkWaitInactive || kind == E::kUnparkTestBit ||
                  kind == E::kBindWaitInactive || kind == E::kUnparkClearBit ||
                  kind == E::kStopSetBit || kind == E::kStopSignal || kind == E::kStopWaitExited;
  return {kind, task, targeted ? kThread : kNoTask, arg};
}

// Registration (park, then unpark) and the thread's loop up to its schedule().
std::vector<ProtoEvent> UpToUnregister() {
  using E = ProtoEv;
  return {
      Ev(E::kSmpbootThreadCreated, kMain, 0), Ev(E::kParkSetBit, kMain),
      Ev(E::kWakeIntent, kMain, kWakePark), Ev(E::kTtwuStateMatch, kMain, 1),
      Ev(E::kTtwuDoWakeup, kMain),
      Ev(E::kKthreadTestShouldStop, kThread, 0), Ev(E::kParkmeSetParked, kThread),
      Ev(E::kParkmeTestShouldPark, kThread, 1), Ev(E::kParkmeComplete, kThread),
      Ev(E::kScheduleDecide, kThread, kSchedBlocks),
      Ev(E::kParkWaitParked, kMain), Ev(E::kParkWaitInactive, kMain),
      Ev(E::kUnparkTestBit, kMain, 1), Ev(E::kBindWaitInactive, kMain, model::kTaskParked),
      Ev(E::kUnparkClearBit, kMain), Ev(E::kWakeIntent, kMain, kWakeUnpark),
      Ev(E::kTtwuStateMatch, kMain, 1), Ev(E::kTtwuDoWakeup, kMain),
      Ev(E::kParkmeSetParked, kThread), Ev(E::kParkmeTestShouldPark, kThread, 0),
      Ev(E::kParkmeSetRunning, kThread),
      Ev(E::kLoopSetInterruptible, kThread), Ev(E::kLoopShouldStop, kThread, 0),
      Ev(E::kLoopShouldPark, kThread, 0), Ev(E::kLoopStatus, kThread, 0),
      Ev(E::kLoopSetInterruptible, kThread), Ev(E::kLoopShouldStop, kThread, 0),
      Ev(E::kLoopShouldPark, kThread, 0), Ev(E::kLoopStatus, kThread, 1),
      Ev(E::kLoopThreadShouldRun, kThread, 0),
      Ev(E::kSmpbootUnregister, kMain), Ev(E::kStopSetBit, kMain),
      Ev(E::kUnparkTestBit, kMain, 0), Ev(E::kStopSignal, kMain),
  };
}

// Feeds the events; returns the mapping's rule counts, failing on any finding.
cli::ConformanceMapping::RuleCounts Follow(const std::vector<ProtoEvent>& tail, int work = 0) {
  cli::ConformanceMapping m(model::Params{1, 0, work, model::Variant::kFaithful},
                            cli::FaithfulMapping());
  std::vector<ProtoEvent> events = UpToUnregister();
  events.insert(events.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::optional<std::string> f = m.OnEvent(events[i]);
    EXPECT_FALSE(f.has_value()) << "event " << i << ": " << *f;
    if (f) break;
  }
  EXPECT_EQ(m.model_state().shared.ctl_op, model::kOpDone);
  EXPECT_EQ(m.model_state().cpu[0].pc, model::kTDead);
  return m.rule_counts();
}

// TIF_NOTIFY_SIGNAL ends the thread's schedule() before kthread_stop()'s wakeup: the
// model's stop wakeup is taken then, and the late state match stutters.
TEST(ConformanceRulesTest, SignalBeforeStopWakeupIsTheStopWakeup) {
  using E = ProtoEv;
  cli::ConformanceMapping::RuleCounts k = Follow({
      Ev(E::kScheduleDecide, kThread, kSchedSignalPending),
      Ev(E::kLoopSetInterruptible, kThread), Ev(E::kLoopShouldStop, kThread, 1),
      Ev(E::kWakeIntent, kMain, kWakeStop), Ev(E::kTtwuStateMatch, kMain, 0),
      Ev(E::kExitComplete, kThread), Ev(E::kStopWaitExited, kMain),
  });
  EXPECT_EQ(k.signal_stop_wake, 1);
}

// The stop wakeup matched a thread still queued (its store pending); the signal then
// ends the sleep, which lands that store early; the real store stutters.
TEST(ConformanceRulesTest, SignalAfterStopWakeupLandsItsStore) {
  using E = ProtoEv;
  cli::ConformanceMapping::RuleCounts k = Follow({
      Ev(E::kWakeIntent, kMain, kWakeStop), Ev(E::kTtwuStateMatch, kMain, 1),
      Ev(E::kScheduleDecide, kThread, kSchedSignalPending),
      Ev(E::kTtwuDoWakeup, kMain),
      Ev(E::kLoopSetInterruptible, kThread), Ev(E::kLoopShouldStop, kThread, 1),
      Ev(E::kExitComplete, kThread), Ev(E::kStopWaitExited, kMain),
  });
  EXPECT_EQ(k.signal_store, 1);
}

// A wakeup pending when the thread exits (the producer's, here): mapped before the
// exit step, and its store stutters when it lands.
TEST(ConformanceRulesTest, StorePendingAtExitIsMappedBeforeIt) {
  using E = ProtoEv;
  cli::ConformanceMapping::RuleCounts k = Follow(
      {
          Ev(E::kScheduleDecide, kThread, kSchedSignalPending),
          Ev(E::kLoopSetInterruptible, kThread),
          Ev(E::kWorkRaised, kProducer, 0), Ev(E::kWakeIntent, kProducer, kWakeWork),
          Ev(E::kTtwuStateMatch, kProducer, 1),
          Ev(E::kLoopShouldStop, kThread, 1), Ev(E::kExitComplete, kThread),
          Ev(E::kTtwuDoWakeup, kProducer),
          Ev(E::kWakeIntent, kMain, kWakeStop), Ev(E::kTtwuStateMatch, kMain, 0),
          Ev(E::kStopWaitExited, kMain),
      },
      /*work=*/1);
  EXPECT_EQ(k.signal_stop_wake, 1);
  EXPECT_EQ(k.exit_store, 1);
}

// A wakeup of a smpboot thread that no call site announced (kWakeIntent) has no model
// step: the model's wakeups are the steps of their call sites. It is a finding that says
// so, not a stutter (the thread's task state would silently drift from the model's).
TEST(ConformanceRulesTest, UnannouncedWakeupIsAFinding) {
  cli::ConformanceMapping m(model::Params{1, 0, 1, model::Variant::kFaithful},
                            cli::FaithfulMapping());
  ASSERT_FALSE(m.OnEvent(Ev(ProtoEv::kSmpbootThreadCreated, kMain, 0)));
  std::optional<std::string> f = m.OnEvent(Ev(ProtoEv::kTtwuStateMatch, kMain, 1));
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->find("has no model step: a wakeup of the smpboot thread of cpu0 from a call "
                    "site the model does not have"),
            std::string::npos)
      << *f;
  EXPECT_NE(f->find("the model allows only:\n  cpu0 kthread_park: set_bit"), std::string::npos)
      << *f;
}

}  // namespace
}  // namespace kt::testing
