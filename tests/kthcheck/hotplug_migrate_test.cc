// hotplug_migrate_test -- CPU hotplug moves a runnable regular kthread off the CPU that
// goes offline (impl/kernel/sched_hotplug.cc, balance_push()): the scenario
// hotplug_migrate run once with a trace, and searched exhaustively.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "checker/runtime/controlled_sys.h"
#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

// The search's default order: keep the running task while it can run, else the lowest.
class KeepRunning final : public rt::Strategy {
 public:
  TaskId Choose(const rt::ChoicePoint& cp) override {
    if (cp.previous != kNoTask && (cp.enabled >> cp.previous & 1)) return cp.previous;
    return static_cast<TaskId>(__builtin_ctz(cp.enabled));
  }
};

struct OneRun {
  rt::RunResult result;
  int migrate_line = -1;  // the trace line of the move
};

OneRun RunOnce(const std::string& variant) {
  explore::Program program = cli::MakeProgram(TargetFor("hotplug_migrate", variant));
  rt::ControlledSys runtime;
  KeepRunning strategy;
  OneRun run;
  run.result = runtime.Run(program.boot, strategy,
                           explore::RunOptionsFor(program, explore::Bounds{}, true));
  for (size_t k = 0; k < run.result.trace.size(); ++k)
    if (run.result.trace[k].text.find("migrates busy from CPU1 to CPU0") != std::string::npos)
      run.migrate_line = static_cast<int>(k);
  return run;
}

// busy is still spinning on CPU 1 when cpu_down(1) runs: the stopper moves it, and every
// step it takes afterwards, its smp_processor_id() test included, runs on CPU 0.
TEST(HotplugMigrateTest, RunnableKthreadEndsUpOnAnotherCpu) {
  OneRun run = RunOnce("");
  ASSERT_EQ(run.result.outcome, rt::Outcome::kComplete) << run.result.message;
  ASSERT_GE(run.migrate_line, 0) << "no migration in the trace";
  int after = 0;
  bool checked_cpu = false;
  for (size_t k = run.migrate_line + 1; k < run.result.trace.size(); ++k) {
    const rt::TraceLine& l = run.result.trace[k];
    if (run.result.task_names[l.task] != "busy") continue;
    ++after;
    EXPECT_EQ(l.cpu, 0) << "step " << l.step << ": " << l.fn << ": " << l.text;
    if (l.fn == "read_cpu_masks") checked_cpu = true;  // cpu_online(smp_processor_id())
  }
  EXPECT_GT(after, 0);
  EXPECT_TRUE(checked_cpu) << "busy never tested its CPU after the move";
}

// The variant takes the CPU down before sched_cpu_wait_empty(): busy is still queued there
// and sched_cpu_dying() WARNs, before any move.
TEST(HotplugMigrateTest, OfflineBeforeWaitEmptyIsCaughtBySchedCpuDying) {
  OneRun run = RunOnce("offline_before_wait_empty");
  EXPECT_EQ(run.result.oracle, "warn");
  EXPECT_NE(run.result.message.find("Dying CPU not properly vacated!"), std::string::npos)
      << run.result.message;
  EXPECT_LT(run.migrate_line, 0);
}

// Every interleaving: busy never runs on an offline CPU (wrong_cpu), cpu_down() never
// hangs and sched_cpu_dying() never WARNs.
TEST(HotplugMigrateTest, FaithfulPortHoldsExhaustively) {
  explore::Verdict v = explore::Explore(cli::MakeProgram(TargetFor("hotplug_migrate")),
                                        explore::Search::kDpor, explore::Bounds{});
  EXPECT_EQ(v.kind, explore::VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  std::printf("[ timing ] hotplug_migrate: %llu executions, %.2f s\n",
              static_cast<unsigned long long>(v.executions), v.seconds);
}

}  // namespace
}  // namespace kt::testing
