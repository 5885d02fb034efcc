#include "checker/explore/explorer.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "checker/explore/bounded_search.h"
#include "checker/explore/dpor.h"
#include "checker/explore/fair_search.h"
#include "checker/explore/pct_search.h"
#include "checker/explore/random_search.h"
#include "checker/explore/replay.h"
#include "checker/runtime/check.h"

namespace kt::explore {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Fills the finding part of a verdict from a run that ended in one.
void SetFinding(const rt::RunResult& r, Verdict* v) {
  v->kind = VerdictKind::kViolation;
  v->oracle = r.oracle;
  v->message = r.message;
  v->details = r.details;
  v->schedule = r.schedule;
  v->preemptions = r.preemptions;
}

int SplitLevels(const SearchOptions& o) {
  if (o.split_levels >= 0) return o.split_levels;
  return o.shard_count > 1 ? kSplitLevels : 0;
}

DporOptions DporOptionsFor(const SearchOptions& o, const Bounds& b) {
  DporOptions d;
  d.reduce = o.search != Search::kDfs;
  d.max_preemptions = b.max_preemptions;
  d.bpor = b.max_preemptions >= 0;  // keeps DPOR sound under the bound (dpor.h)
  d.split_levels = SplitLevels(o);
  d.shard_index = o.shard_index;
  d.shard_count = o.shard_count;
  d.count_traces = o.count_traces;
  return d;
}

}  // namespace

std::unique_ptr<SearchStrategy> MakeSearch(const SearchOptions& o, const Bounds& b) {
  Shard shard{o.shard_index, o.shard_count};
  switch (o.search) {
    case Search::kDpor:
    case Search::kDfs:
      return std::make_unique<DporStrategy>(DporOptionsFor(o, b));
    case Search::kBounded:
      return std::make_unique<BoundedSearch>(b.max_preemptions, DporOptionsFor(o, b));
    case Search::kRandom:
      return std::make_unique<RandomSearch>(o.seed, o.executions, shard);
    case Search::kPct:
      return std::make_unique<PctSearch>(o.seed, o.executions, o.pct_depth, shard);
    case Search::kFair:
      return std::make_unique<FairSearch>(o.seed, o.executions, shard);
  }
  KT_CHECK(false, "unknown search");
  return nullptr;
}

namespace {

// Resident set size of this process, in bytes (Linux /proc/self/statm), 0 if unknown.
uint64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * 4096ull : 0;
}

// The search loop and what it keeps between executions.
class Runner {
 public:
  // Runs `search`, or else the search `o` names.
  Runner(const Program& p, const SearchOptions& o, const Bounds& b, const ProgressFn& progress,
         SearchStrategy* search = nullptr)
      : program_(p),
        o_(o),
        b_(b),
        progress_(progress),
        owned_(search ? nullptr : MakeSearch(o, b)),
        search_(search ? search : owned_.get()) {
    if (o.search == Search::kFair && b_.livelock_steps == 0)
      b_.livelock_steps = kDefaultLivelockSteps;
    if (o.search != Search::kFair) b_.livelock_steps = 0;  // the oracle needs fairness
    options_ = RunOptionsFor(program_, b_, false);
  }

  Verdict Run();

 private:
  void Resume(const Checkpoint& c);
  void SaveCheckpoint();
  bool MemoryExceeded();
  void Report(int depth);

  const Program& program_;
  const SearchOptions& o_;
  Bounds b_;
  const ProgressFn& progress_;
  std::unique_ptr<SearchStrategy> owned_;
  SearchStrategy* search_;
  rt::RunOptions options_;
  rt::ControlledSys runtime_;
  Verdict v_;
  Clock::time_point t0_ = Clock::now();
  double resumed_seconds_ = 0;
  double next_report_ = 1.0;
  double next_checkpoint_ = 0;
};

void Runner::Resume(const Checkpoint& c) {
  auto* dpor = dynamic_cast<DporStrategy*>(search_);
  KT_CHECK(dpor, "a checkpoint can only resume a tree search");
  dpor->Restore(c.dpor);
  v_.executions = c.executions;
  v_.steps = c.steps;
  v_.sleep_blocked = c.sleep_blocked;
  v_.other_shard = c.other_shard;
  v_.bound = c.step_bound;
  v_.message = c.step_message;
  resumed_seconds_ = c.seconds;
}

void Runner::SaveCheckpoint() {
  auto* dpor = dynamic_cast<DporStrategy*>(search_);
  if (o_.checkpoint.empty() || !dpor) return;
  Checkpoint c;
  c.key = KeyFor(o_, b_);
  c.executions = v_.executions;
  c.steps = v_.steps;
  c.sleep_blocked = v_.sleep_blocked;
  c.other_shard = v_.other_shard;
  c.seconds = resumed_seconds_ + Since(t0_);
  c.step_bound = v_.bound;
  c.step_message = v_.message;
  c.dpor = dpor->State();
  c.dpor.started = false;  // the prefix on the stack has not run yet
  std::string error;
  if (!explore::SaveCheckpoint(o_.checkpoint, c, &error))
    std::fprintf(stderr, "kthcheck: checkpoint not saved: %s\n", error.c_str());
  next_checkpoint_ = Since(t0_) + o_.checkpoint_seconds;
}

bool Runner::MemoryExceeded() {
  if (b_.max_memory_mb == 0) return false;
  uint64_t rss = ResidentBytes();
  if (rss <= b_.max_memory_mb << 20) return false;
  v_.bound = "max_memory_mb=" + std::to_string(b_.max_memory_mb);
  v_.message = "the checker's resident memory reached " + std::to_string(rss >> 20) +
               " MB; raise --max-memory-mb (a search holds O(max_steps) memory: lower "
               "--max-steps to need less)";
  return true;
}

void Runner::Report(int depth) {
  if (!progress_ || Since(t0_) < next_report_) return;
  Progress p{v_.executions, v_.steps, resumed_seconds_ + Since(t0_), depth, search_->Fraction()};
  progress_(p);
  next_report_ = Since(t0_) + 1.0;
}

Verdict Runner::Run() {
  if (o_.resume) Resume(*o_.resume);
  bool cut_by_limit = false;
  while (search_->Next()) {
    if (v_.executions >= b_.max_executions) {
      SaveCheckpoint();  // resumable with a higher bound
      v_.bound = "max_executions=" + std::to_string(b_.max_executions);
      v_.message = "the search was cut after max_executions executions; raise --max-executions";
      cut_by_limit = true;
      break;
    }
    if (!o_.checkpoint.empty() && Since(t0_) >= next_checkpoint_) SaveCheckpoint();
    const rt::RunResult& r = runtime_.Run(program_.boot, *search_, options_);
    RunKind kind = search_->Done(r);
    if (kind == RunKind::kOtherShard) {
      ++v_.other_shard;
      continue;
    }
    ++v_.executions;
    v_.steps += r.steps.size();
    if (kind == RunKind::kSleepBlocked) ++v_.sleep_blocked;
    if (rt::OutcomeOracle(r.outcome)) {
      SetFinding(r, &v_);
      v_.notes = search_->FindingNotes();
      break;
    }
    KT_CHECK(r.outcome != rt::Outcome::kDiverged, "the search strategy diverged");
    if (r.outcome == rt::Outcome::kStepBound) {
      v_.bound = "max_steps=" + std::to_string(b_.max_steps);
      v_.message = r.message;
    }
    if ((v_.executions & 255) == 1 && MemoryExceeded()) {  // every 256 executions
      cut_by_limit = true;
      break;
    }
    Report(static_cast<int>(r.steps.size()));
  }
  if (v_.kind != VerdictKind::kViolation && !cut_by_limit && v_.bound.empty()) {
    v_.bound = search_->Cut();
    if (!v_.bound.empty()) v_.message = search_->Guarantee();
  }
  if (v_.kind != VerdictKind::kViolation && !v_.bound.empty()) v_.kind = VerdictKind::kBoundReached;
  v_.exhaustive = v_.kind != VerdictKind::kViolation && v_.bound.empty();
  if (auto* dpor = dynamic_cast<DporStrategy*>(search_)) {
    v_.traces = dpor->traces();
    v_.memory_traces = dpor->memory_traces();
  }
  v_.seconds = resumed_seconds_ + Since(t0_);
  return v_;
}

}  // namespace

const char* VerdictName(VerdictKind k) {
  switch (k) {
    case VerdictKind::kHolds: return "holds";
    case VerdictKind::kViolation: return "violation";
    case VerdictKind::kBoundReached: return "bound_reached";
  }
  return "?";
}

const char* SearchName(Search s) {
  switch (s) {
    case Search::kDpor: return "dpor";
    case Search::kDfs: return "dfs";
    case Search::kBounded: return "bounded";
    case Search::kRandom: return "random";
    case Search::kPct: return "pct";
    case Search::kFair: return "fair";
  }
  return "?";
}

std::optional<Search> ParseSearch(std::string_view name) {
  for (Search s : {Search::kDpor, Search::kDfs, Search::kBounded, Search::kRandom, Search::kPct,
                   Search::kFair})
    if (name == SearchName(s)) return s;
  return std::nullopt;
}

CheckpointKey KeyFor(const SearchOptions& o, const Bounds& b) {
  CheckpointKey k;
  k.program = o.program_id;
  k.search = SearchName(o.search);
  k.max_steps = b.max_steps;
  k.max_preemptions = b.max_preemptions;
  k.hung_task_timeout = b.hung_task_timeout;
  k.shard_index = o.shard_index;
  k.shard_count = o.shard_count;
  k.split_levels = SplitLevels(o);
  return k;
}

rt::RunOptions RunOptionsFor(const Program& program, const Bounds& bounds, bool trace) {
  rt::RunOptions o;
  o.max_steps = bounds.max_steps;
  o.hung_task_timeout = bounds.hung_task_timeout;
  o.livelock_steps = bounds.livelock_steps;
  o.trace = trace;
  o.format_value = program.format_value;
  o.memory_model = program.memory_model;
  o.stray_wakeups = program.stray_wakeups;
  o.hardirq = program.hardirq;
  return o;
}

Verdict Explore(const Program& program, const SearchOptions& options, const Bounds& bounds,
                const ProgressFn& progress) {
  if (bounds.max_executions == 0) {
    Verdict v;
    v.kind = VerdictKind::kBoundReached;
    v.bound = "max_executions=0";
    v.message = "no execution was allowed; raise --max-executions";
    return v;
  }
  Runner runner(program, options, bounds, progress);
  return runner.Run();
}

Verdict ExploreWith(const Program& program, SearchStrategy& search, const SearchOptions& options,
                    const Bounds& bounds, const ProgressFn& progress) {
  KT_CHECK(!options.resume, "a caller-made search cannot resume a checkpoint");
  Runner runner(program, options, bounds, progress, &search);
  return runner.Run();
}

Verdict Explore(const Program& program, Search search, const Bounds& bounds,
                const ProgressFn& progress) {
  SearchOptions o;
  o.search = search;
  return Explore(program, o, bounds, progress);
}

std::string CheckpointFits(const Program& program, const Checkpoint& c, const Bounds& bounds) {
  std::vector<TaskId> choices;
  std::vector<uint32_t> enabled;
  for (const DporNode& n : c.dpor.stack) {
    if (n.chosen < 0 || n.chosen >= 32 || !(n.enabled >> n.chosen & 1))
      return "step " + std::to_string(choices.size()) + " chose a task that was not runnable";
    choices.push_back(n.chosen);
    enabled.push_back(n.enabled);
  }
  if (choices.empty()) return "";
  rt::ControlledSys runtime;
  ReplayStrategy strategy(choices, enabled);
  runtime.Run(program.boot, strategy, RunOptionsFor(program, bounds, false));
  const std::string& d = strategy.divergence();
  // The prefix is only the start of an execution: running out of it is a fit.
  return d.rfind("the schedule ends after", 0) == 0 ? "" : d;
}

Replayed Replay(const Program& program, const std::vector<TaskId>& schedule,
                const Bounds& bounds) {
  rt::ControlledSys runtime;
  ReplayStrategy strategy(schedule);
  const rt::RunResult& r = runtime.Run(program.boot, strategy, RunOptionsFor(program, bounds, true));
  Replayed out;
  out.verdict.executions = 1;
  out.verdict.steps = r.steps.size();
  out.trace = r.trace;
  out.task_names = r.task_names;
  if (!strategy.divergence().empty()) {
    out.error = strategy.divergence();
    return out;
  }
  if (rt::OutcomeOracle(r.outcome)) {
    SetFinding(r, &out.verdict);
  } else if (r.outcome == rt::Outcome::kStepBound) {
    out.verdict.kind = VerdictKind::kBoundReached;
    out.verdict.bound = "max_steps=" + std::to_string(bounds.max_steps);
    out.verdict.message = r.message;
    out.verdict.schedule = r.schedule;
  } else {
    out.verdict.schedule = r.schedule;
  }
  if (!strategy.consumed(r.steps.size()) && out.error.empty())
    out.error = "the execution ended after " + std::to_string(r.steps.size()) +
                " steps, before the schedule did (" + std::to_string(schedule.size()) +
                " steps)";
  return out;
}

}  // namespace kt::explore
