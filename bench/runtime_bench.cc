// runtime_bench -- how fast the controlled runtime (checker/runtime) schedules.
//
// 1. Scheduling points per second: a toy program of N tasks, each doing seam Loads and
//    Stores (every one a scheduling point), run as one execution under a trivial
//    Strategy:
//      - "keep":        the current task keeps running while it is enabled (no fiber
//                       switch except when a task exits);
//      - "round-robin": the next enabled task after the current one, every step (one
//                       fiber switch per scheduling point).
//    The runtime is single-threaded, so the rate is per core; it is also given per CPU
//    second (process CPU time), which does not depend on other load on the machine.
// 2. Exploration: executions/s and steps/s of Explore() (source-DPOR) on the
//    stop_before_wakeup and event_loop scenarios of the kernel port.
//
// The floor is 10 M scheduling points/s per core (issue 2).
//
// Usage: bazel run -c opt //bench:runtime_bench [-- --ops=N --reps=R --quick]
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "checker/explore/explorer.h"
#include "checker/runtime/controlled_sys.h"
#include "checker/runtime/strategy.h"
#include "impl/boot.h"
#include "impl/modules/scenario.h"
#include "impl/platform/seam.h"

namespace kt::bench {
namespace {

double WallNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
double CpuNow() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// --- Strategies -----------------------------------------------------------------------

// Keeps the previous task while it is enabled, else the lowest enabled one.
class KeepRunning final : public rt::Strategy {
 public:
  TaskId Choose(const rt::ChoicePoint& cp) override {
    if (cp.previous != kNoTask && (cp.enabled >> cp.previous & 1)) return cp.previous;
    return static_cast<TaskId>(__builtin_ctz(cp.enabled));
  }
};

// The next enabled task after the previous one, cyclically: a switch at every step.
class RoundRobin final : public rt::Strategy {
 public:
  TaskId Choose(const rt::ChoicePoint& cp) override {
    int start = cp.previous == kNoTask ? 0 : cp.previous + 1;
    uint32_t above = start >= 32 ? 0 : cp.enabled & ~((1u << start) - 1);
    uint32_t m = above ? above : cp.enabled;
    return static_cast<TaskId>(__builtin_ctz(m));
  }
};

// --- The toy program --------------------------------------------------------------------

struct Toy {
  int tasks = 2;
  uint64_t ops_per_task = 0;
  uint64_t words[rt::kMaxTasks * 8] = {};  // one cache line per task
};
Toy g_toy;

void ToyTask(void* arg) {
  uint64_t* w = static_cast<uint64_t*>(arg);
  Sys& s = sys();
  for (uint64_t i = 0; i < g_toy.ops_per_task; i += 2) {
    uint64_t v = s.Load(w, sizeof *w, Order::kOnce, "toy", "w");
    s.Store(w, sizeof *w, v + 1, Order::kOnce, "toy", "w");
  }
  s.Exit();
}

TaskId ToyBoot() {
  static TaskId ids[rt::kMaxTasks];
  TaskId root = kNoTask;
  for (int t = 0; t < g_toy.tasks; ++t) {
    g_toy.words[t * 8] = 0;
    TaskId id = sys().Spawn(ToyTask, &g_toy.words[t * 8], "toy", t % 2, &ids[t]);
    if (t == 0) root = id;
  }
  return root;
}

struct Rate {
  uint64_t points = 0;
  double wall = 0, cpu = 0;  // best of the repetitions
};

Rate RunToy(int tasks, uint64_t total_ops, rt::Strategy& strategy, int reps) {
  g_toy.tasks = tasks;
  g_toy.ops_per_task = total_ops / tasks;
  rt::ControlledSys runtime;
  rt::RunOptions options;
  options.max_steps = total_ops + 1000;
  Rate best;
  for (int r = 0; r < reps; ++r) {
    double w0 = WallNow(), c0 = CpuNow();
    const rt::RunResult& res = runtime.Run(ToyBoot, strategy, options);
    double wall = WallNow() - w0, cpu = CpuNow() - c0;
    if (res.outcome != rt::Outcome::kComplete) {
      std::fprintf(stderr, "runtime_bench: toy run ended with %s: %s\n",
                   rt::OutcomeName(res.outcome), res.message.c_str());
      std::exit(3);
    }
    if (r == 0 || wall < best.wall) best = Rate{res.steps.size(), wall, cpu};
  }
  return best;
}

// --- Exploration of a scenario ------------------------------------------------------------

explore::Program ScenarioProgram(const Scenario* scenario) {
  explore::Program p;
  p.boot = [scenario] {
    BootParams params;
    params.scenario = scenario;
    return kernel_boot(params);
  };
  return p;
}

struct ExploreRate {
  explore::Verdict verdict;
  uint64_t executions = 0, steps = 0;
  double wall = 0, cpu = 0;
  int runs = 0;
};

// Repeats the whole search until at least `min_seconds` have passed.
ExploreRate RunExplore(const char* name, double min_seconds) {
  const Scenario* s = FindScenario(name);
  if (!s) {
    std::fprintf(stderr, "runtime_bench: no scenario %s\n", name);
    std::exit(2);
  }
  ExploreRate out;
  double w0 = WallNow(), c0 = CpuNow();
  do {
    out.verdict = explore::Explore(ScenarioProgram(s), explore::Search::kDpor, explore::Bounds{});
    out.executions += out.verdict.executions;
    out.steps += out.verdict.steps;
    ++out.runs;
  } while (WallNow() - w0 < min_seconds);
  out.wall = WallNow() - w0;
  out.cpu = CpuNow() - c0;
  return out;
}

// "36.6 M/s", "64.2 k/s".
std::string RateText(double per_second) {
  char buf[32];
  if (per_second >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M/s", per_second / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1f k/s", per_second / 1e3);
  return buf;
}

// One row of the table. `floor` > 0 marks the row against that many points per CPU s.
void Row(const std::string& what, const char* unit, double count, double wall, double cpu,
         double floor) {
  const char* mark = "";
  if (floor > 0) mark = count / cpu >= floor ? "ok" : "BELOW FLOOR";
  std::printf("%-46s %12.0f %-6s %7.3f s %12s %12s  %s\n", what.c_str(), count, unit, wall,
              RateText(count / wall).c_str(), RateText(count / cpu).c_str(), mark);
}

}  // namespace

int Main(int argc, char** argv) {
  uint64_t ops = 1000000;
  int reps = 5;
  double explore_seconds = 2.0;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--ops=", 6) == 0) {
      ops = std::strtoull(argv[i] + 6, nullptr, 10);
    } else if (std::strncmp(argv[i], "--reps=", 7) == 0) {
      reps = std::atoi(argv[i] + 7);
    } else if (std::strcmp(argv[i], "--quick") == 0) {
      ops = 100000, reps = 2, explore_seconds = 0.2;
    } else {
      std::fprintf(stderr,
                   "runtime_bench: unknown argument '%s' (expected --ops=N, --reps=R, "
                   "--quick)\n",
                   argv[i]);
      return 2;
    }
  }
  if (ops < 16 || reps < 1) {
    std::fprintf(stderr, "runtime_bench: --ops must be >= 16 and --reps >= 1\n");
    return 2;
  }

  std::printf("kthcheck controlled runtime benchmark (single-threaded: rates are per core)\n");
  std::printf("toy: %llu seam ops (Load/Store pairs) per execution, best of %d\n\n",
              static_cast<unsigned long long>(ops), reps);
  std::printf("%-46s %12s %-6s %9s %12s %12s  %s\n", "measurement", "count", "unit", "wall",
              "per wall s", "per CPU s", "floor 10 M/s");
  bool below = false;
  for (int tasks : {2, 4}) {
    KeepRunning keep;
    RoundRobin rr;
    Rate a = RunToy(tasks, ops, keep, reps);
    Rate b = RunToy(tasks, ops, rr, reps);
    std::string n = std::to_string(tasks);
    Row("toy " + n + " tasks, keep running (few switches)", "points", a.points, a.wall, a.cpu,
        10e6);
    Row("toy " + n + " tasks, round-robin (switch every step)", "points", b.points, b.wall, b.cpu,
        10e6);
    below |= a.points / a.cpu < 10e6 || b.points / b.cpu < 10e6;
  }
  for (const char* name : {"stop_before_wakeup", "event_loop"}) {
    ExploreRate e = RunExplore(name, explore_seconds);
    std::string verdict = std::string(explore::VerdictName(e.verdict.kind)) +
                          (e.verdict.exhaustive ? ", exhaustive" : "");
    std::printf("explore %s (dpor): %s, %llu executions per search, %d searches\n", name,
                verdict.c_str(), static_cast<unsigned long long>(e.verdict.executions), e.runs);
    Row("  " + std::string(name) + ": executions", "execs", e.executions, e.wall, e.cpu, 0);
    Row("  " + std::string(name) + ": steps (scheduling points)", "steps", e.steps, e.wall, e.cpu,
        0);
  }
  std::printf("\n%s\n", below
                            ? "RESULT: below the 10 M scheduling points/s floor"
                            : "RESULT: every toy rate is above the 10 M scheduling points/s floor");
  return 0;
}

}  // namespace kt::bench

int main(int argc, char** argv) { return kt::bench::Main(argc, argv); }
