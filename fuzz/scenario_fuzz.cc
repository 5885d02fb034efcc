#include "fuzz/scenario_fuzz.h"

#include <fuzzer/FuzzedDataProvider.h>
#include <sanitizer/asan_interface.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"
#include "checker/runtime/controlled_sys.h"
#include "fuzz/protocol_coverage.h"
#include "impl/modules/api_program.h"

namespace kt::fuzz {
namespace {

static_assert(rt::kMaxTasks == 32, "enabled masks are 32-bit: rotations below assume it");

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_FUZZ_ASAN 1
#endif
#endif

// Under ASan: the runtime reuses its fiber stacks from one execution to the next, and a
// fiber abandoned at the end of an execution (a task still blocked) never returns from
// its frames, so their redzones stay poisoned in the stack. A later task whose locals
// land there trips ASan: a false stack-buffer-overflow, seen after some thousands of
// executions that end in findings. The fuzzer learns each task's stack (a heap chunk)
// from the frames its strategy runs on, and before each execution unpoisons the part of
// it below the deepest such frame. checker/runtime/fiber.cc now unpoisons a whole stack
// when it starts a fiber on it, which covers this too; the scrubber stays until a
// campaign has confirmed that (switches are still not annotated with
// __sanitizer_*_switch_fiber).
class FiberStackScrubber {
 public:
  // In Choose(), on the stack of the task that reached the scheduling point.
  void Note(TaskId task) {
#ifdef KT_FUZZ_ASAN
    if (task < 0 || task >= rt::kMaxTasks) return;
    char* sp = static_cast<char*>(__builtin_frame_address(0));
    Stack& st = stacks_[task];
    if (!(sp >= st.lo && sp < st.hi)) {
      void* region = nullptr;
      size_t size = 0;
      char name[8];
      const char* kind = __asan_locate_address(sp, name, sizeof name, &region, &size);
      if (std::strcmp(kind, "heap") != 0 || !region) return;
      st = {static_cast<char*>(region), static_cast<char*>(region) + size, nullptr};
    }
    if (!st.deepest || sp < st.deepest) st.deepest = sp;
#else
    (void)task;
#endif
  }
  // Between executions: nothing runs on the fiber stacks.
  void Scrub() {
#ifdef KT_FUZZ_ASAN
    constexpr size_t kBelow = 32 * 1024;  // the switch frames below the deepest Choose
    for (Stack& st : stacks_) {
      if (!st.deepest) continue;
      char* lo = st.deepest - st.lo > static_cast<long>(kBelow) ? st.deepest - kBelow : st.lo;
      __asan_unpoison_memory_region(lo, static_cast<size_t>(st.hi - lo));
      st.deepest = nullptr;
    }
#endif
  }

 private:
  struct Stack {
    char* lo = nullptr;
    char* hi = nullptr;
    char* deepest = nullptr;
  };
  Stack stacks_[rt::kMaxTasks];
};

FiberStackScrubber& Scrubber() {
  static FiberStackScrubber scrubber;
  return scrubber;
}

// Picks among the enabled tasks with the next input byte (see scenario_fuzz.h).
class ByteStrategy final : public rt::Strategy {
 public:
  ByteStrategy(const std::vector<uint8_t>& bytes, bool fair, KernelCoverage* coverage,
               std::vector<Preemption>* preemptions)
      : bytes_(bytes), fair_(fair), coverage_(coverage), preemptions_(preemptions) {
    for (TaskId& t : on_cpu_) t = kNoTask;
  }

  TaskId Choose(const rt::ChoicePoint& cp) override {
    TaskId t = fair_ ? Starved(cp.enabled) : kNoTask;
    if (t == kNoTask) t = FromByte(cp);
    if (fair_) {  // tasks enabled but not chosen wait one point longer; others reset
      uint32_t now = cp.enabled & ~(uint32_t{1} << t);
      for (uint32_t m = waiting_ & ~now; m; m &= m - 1) waited_[__builtin_ctz(m)] = 0;
      for (uint32_t m = now; m; m &= m - 1) ++waited_[__builtin_ctz(m)];
      waiting_ = now;
    }
    Scrubber().Note(cp.previous);  // Choose runs on the stack of the task that ran last
    if (coverage_) coverage_->OnChoice(cp, t);
    if (preemptions_) Record(cp, t);
    return t;
  }

  size_t used() const { return next_; }

 private:
  // Fair mode: the task that has waited longest, once it has waited kPatience points.
  TaskId Starved(uint32_t enabled) const {
    TaskId t = kNoTask;
    for (uint32_t m = enabled; m; m &= m - 1) {
      TaskId u = __builtin_ctz(m);
      if (waited_[u] >= kPatience && (t == kNoTask || waited_[u] > waited_[t])) t = u;
    }
    return t;
  }

  TaskId FromByte(const rt::ChoicePoint& cp) {
    int n = __builtin_popcount(cp.enabled);
    if (n == 1) return __builtin_ctz(cp.enabled);
    if (run_left_ > 0 && (cp.enabled >> run_task_ & 1)) {
      --run_left_;
      return run_task_;
    }
    uint8_t b = next_ < bytes_.size() ? bytes_[next_++] : 0;
    int k = (b & 15) % n;
    // Rotation order from the previous task: the k-th enabled task at or after it.
    int start = cp.previous == kNoTask ? 0 : cp.previous;
    uint32_t m = std::rotr(cp.enabled, start);
    for (int i = 0; i < k; ++i) m &= m - 1;
    TaskId t = (__builtin_ctz(m) + start) % 32;
    run_task_ = t;
    run_left_ = b >> 4;
    return t;
  }

  // A preemption as the runtime counts it (RecordStep): the task that last ran on the
  // chosen task's CPU could have continued.
  void Record(const rt::ChoicePoint& cp, TaskId to) {
    int cpu = cp.rt->TaskCpu(to);
    if (cpu < 0 || cpu >= kCpus) return;
    TaskId running = on_cpu_[cpu];
    on_cpu_[cpu] = to;
    if (running == kNoTask || running == to || !(cp.enabled >> running & 1) ||
        cp.rt->TaskCpu(running) != cpu)
      return;
    auto name = [&](TaskId u) {
      return std::string(cp.rt->TaskName(u)) + ":" + cp.rt->Pending(u).fn;
    };
    preemptions_->push_back({name(running), name(to)});
  }

  const std::vector<uint8_t>& bytes_;
  bool fair_;
  KernelCoverage* coverage_;
  std::vector<Preemption>* preemptions_;
  size_t next_ = 0;
  TaskId run_task_ = kNoTask;
  int run_left_ = 0;  // choice points the run still keeps run_task_ (while it is enabled)
  static constexpr int kCpus = 64;
  TaskId on_cpu_[kCpus];  // the task that last ran a step on each CPU (preemptions only)
  uint32_t waiting_ = 0;             // fair mode: tasks with waited_ > 0
  int waited_[rt::kMaxTasks] = {};  // fair mode: choice points enabled without running
};

rt::ControlledSys& Runtime() {
  static rt::ControlledSys* runtime = new rt::ControlledSys;  // never destroyed
  return *runtime;
}

KernelCoverage& Coverage() {
  static KernelCoverage coverage;
  return coverage;
}

int ScenarioIndex(const Scenario* s) {
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  for (int i = 0; i < n; ++i)
    if (all[i] == s) return i;
  return -1;
}

const Scenario* ScenarioFor(uint8_t byte, const FuzzConfig& config) {
  if (config.only_scenario) return config.only_scenario;
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  return all[byte % n];
}

int CpusFor(uint8_t bits, int min_cpus, int max_cpus) {
  return min_cpus + (bits & 3) % (max_cpus - min_cpus + 1);
}

// The operation program of a programmed scenario (api_sequence): a count byte, then that
// many operation bytes, all from the end (scenario_fuzz.h), legalized for the CPU count.
// A program with no legal operation is the default one, which the token then names.
std::string ProgramFromInput(FuzzedDataProvider* in, int min_cpus, int max_cpus, uint8_t bits) {
  int n = in->ConsumeIntegral<uint8_t>() % (kMaxApiOps + 1);
  std::vector<ApiOp> ops;
  for (int i = 0; i < n && in->remaining_bytes() > 0; ++i)
    ops.push_back(ApiOpFromByte(in->ConsumeIntegral<uint8_t>()));
  std::string text = ApiProgramText(LegalizeApiProgram(ops, CpusFor(bits, min_cpus, max_cpus)));
  return text.empty() ? kDefaultApiProgram : text;
}

}  // namespace

std::optional<FuzzConfig> ConfigFromEnv(std::string* error) {
  FuzzConfig c;
  const char* variant = std::getenv("KT_FUZZ_VARIANT");
  const char* scenario = std::getenv("KT_FUZZ_SCENARIO");
  if (variant && *variant && std::string(variant) != "none") {
    std::optional<Variant> v = FindVariant(variant);
    if (!v) {
      *error = "KT_FUZZ_VARIANT=" + std::string(variant) + ": unknown (see `kthcheck list`)";
      return std::nullopt;
    }
    c.variant = *v;
    int n = 0;
    const VariantInfo* info = AllVariants(&n);
    for (int i = 0; i < n; ++i)
      if (info[i].id == *v) c.only_scenario = FindScenario(info[i].scenario);
  }
  if (const char* cpus = std::getenv("KT_FUZZ_CPUS"); cpus && *cpus) {
    int lo = 0, hi = 0;
    char dash = 0;
    int n = std::sscanf(cpus, "%d%c%d", &lo, &dash, &hi);
    if (n == 1) hi = lo;
    if (!(n == 1 || (n == 3 && dash == '-')) || lo < 1 || hi > 4 || lo > hi) {
      *error = "KT_FUZZ_CPUS=" + std::string(cpus) + ": expected N or LO-HI within 1-4";
      return std::nullopt;
    }
    c.min_cpus = lo;
    c.max_cpus = hi;
  }
  if (scenario && *scenario) {
    if (std::string(scenario) == "all") {
      c.only_scenario = nullptr;
    } else if (!(c.only_scenario = FindScenario(scenario))) {
      *error = "KT_FUZZ_SCENARIO=" + std::string(scenario) + ": unknown (see `kthcheck list`)";
      return std::nullopt;
    }
  }
  return c;
}

std::string FuzzRun::Token() const {
  explore::ScheduleToken token = cli::MakeToken(target, result->schedule);
  if (fair) token.params.emplace_back("livelock", std::to_string(kLivelockSteps));
  return explore::EncodeToken(token);
}

FuzzRun RunScenarioInput(const uint8_t* data, size_t size, const FuzzConfig& config,
                         const RunFlags& flags) {
  FuzzedDataProvider in(data, size);
  const Scenario* scenario = ScenarioFor(in.ConsumeIntegral<uint8_t>(), config);
  uint8_t bits = in.ConsumeIntegral<uint8_t>();
  std::string ops;
  if (scenario->programmed) ops = ProgramFromInput(&in, config.min_cpus, config.max_cpus, bits);
  std::vector<uint8_t> choices = in.ConsumeRemainingBytes<uint8_t>();

  FuzzRun run;
  run.target.scenario = scenario;
  run.target.variant = config.variant;
  run.target.cpus = CpusFor(bits, config.min_cpus, config.max_cpus);
  run.target.hotplug = bits >> 2 & 3;
  run.target.work = bits >> 4 & 3;
  run.fair = bits >> 6 & 1;
  run.target.ops = ops;

  explore::Bounds bounds;  // what `kthcheck replay` uses, so findings replay alike
  if (run.fair) bounds.livelock_steps = kLivelockSteps;
  explore::Program program = cli::MakeProgram(run.target);
  rt::RunOptions options = explore::RunOptionsFor(program, bounds, /*trace=*/false);
  options.format_value = nullptr;  // only used when tracing

  KernelCoverage* coverage = flags.coverage ? &Coverage() : nullptr;
  if (coverage) coverage->BeginRun(ScenarioIndex(scenario));
  if (coverage && scenario->programmed) coverage->OnProgram(ops);
  ByteStrategy strategy(choices, run.fair, coverage,
                        flags.record_preemptions ? &run.preemptions : nullptr);
  Scrubber().Scrub();
  run.result = &Runtime().Run(program.boot, strategy, options);
  if (coverage) coverage->EndRun(*run.result);
  run.choice_bytes_used = strategy.used();
  if (const char* o = rt::OutcomeOracle(run.result->outcome))
    run.oracle = run.result->oracle.empty() ? o : run.result->oracle;
  return run;
}

std::string DescribeFinding(const FuzzRun& run) {
  const rt::RunResult& r = *run.result;
  std::string token = run.Token();
  std::string s = "==kthcheck== finding: " + run.oracle + "\n";
  s += "==kthcheck== scenario: " + std::string(run.target.scenario->name) +
       " variant=" + VariantName(run.target.variant) + "\n";
  s += "==kthcheck== message: " + r.message + "\n";
  for (const std::string& d : r.details) s += "==kthcheck==   " + d + "\n";
  s += "==kthcheck== steps: " + std::to_string(r.steps.size()) +
       ", preemptions: " + std::to_string(r.preemptions) + "\n";
  s += "==kthcheck== token: " + token + "\n";
  s += "==kthcheck== replay: bazel run //checker/cli:kthcheck -- replay " + token + "\n";
  return s;
}

}  // namespace kt::fuzz
