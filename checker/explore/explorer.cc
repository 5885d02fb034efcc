#include "checker/explore/explorer.h"

#include <chrono>

#include "checker/explore/dpor.h"
#include "checker/explore/replay.h"
#include "checker/runtime/check.h"

namespace kt::explore {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

rt::RunOptions OptionsFor(const Program& program, const Bounds& bounds, bool trace) {
  rt::RunOptions o;
  o.max_steps = bounds.max_steps;
  o.hung_task_timeout = bounds.hung_task_timeout;
  o.trace = trace;
  o.format_value = program.format_value;
  return o;
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

}  // namespace

const char* VerdictName(VerdictKind k) {
  switch (k) {
    case VerdictKind::kHolds: return "holds";
    case VerdictKind::kViolation: return "violation";
    case VerdictKind::kBoundReached: return "bound_reached";
  }
  return "?";
}

const char* SearchName(Search s) { return s == Search::kDpor ? "dpor" : "dfs"; }

Verdict Explore(const Program& program, Search search, const Bounds& bounds,
                const std::function<void(uint64_t, uint64_t, double)>& progress) {
  auto t0 = Clock::now();
  double next_report = 1.0;
  rt::ControlledSys runtime;
  DporStrategy strategy(search == Search::kDpor, bounds.max_preemptions);
  rt::RunOptions options = OptionsFor(program, bounds, false);
  Verdict v;
  if (bounds.max_executions == 0) {
    v.kind = VerdictKind::kBoundReached;
    v.bound = "max_executions=0";
    v.message = "no execution was allowed; raise --max-executions";
    return v;
  }
  for (;;) {
    const rt::RunResult& r = runtime.Run(program.boot, strategy, options);
    ++v.executions;
    v.steps += r.steps.size();
    if (rt::OutcomeOracle(r.outcome)) {
      SetFinding(r, &v);
      break;
    }
    KT_CHECK(r.outcome != rt::Outcome::kDiverged, "the search strategy diverged");
    if (r.outcome == rt::Outcome::kStepBound) {
      v.bound = "max_steps=" + std::to_string(bounds.max_steps);
      v.message = r.message;
    }
    if (r.outcome == rt::Outcome::kAbandoned && !strategy.preemption_bound_hit())
      ++v.sleep_blocked;
    strategy.Analyze(r.steps);
    if (!strategy.NextExecution()) break;
    if (v.executions >= bounds.max_executions) {
      v.bound = "max_executions=" + std::to_string(bounds.max_executions);
      v.message = "the search was cut after max_executions executions; raise --max-executions";
      break;
    }
    if (progress && Since(t0) >= next_report) {
      progress(v.executions, v.steps, Since(t0));
      next_report += 1.0;
    }
  }
  if (v.kind != VerdictKind::kViolation && strategy.preemption_bound_hit() && v.bound.empty())
    v.bound = "max_preemptions=" + std::to_string(bounds.max_preemptions);
  if (v.kind != VerdictKind::kViolation && !v.bound.empty()) v.kind = VerdictKind::kBoundReached;
  v.exhaustive = v.kind != VerdictKind::kViolation && v.bound.empty();
  v.seconds = Since(t0);
  return v;
}

Replayed Replay(const Program& program, const std::vector<TaskId>& schedule,
                const Bounds& bounds) {
  rt::ControlledSys runtime;
  ReplayStrategy strategy(schedule);
  const rt::RunResult& r = runtime.Run(program.boot, strategy, OptionsFor(program, bounds, true));
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
