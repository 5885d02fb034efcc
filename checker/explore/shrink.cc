#include "checker/explore/shrink.h"

#include <chrono>
#include <limits>

#include "checker/explore/preemption.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::explore {
namespace {

// A candidate: follow `prefix` steps of the guide, then the tasks in `forced`, and after
// that choose by `policy`, guided by the order of steps in the guide.
enum class Policy {
  kContinueThenGuided,  // the last forced task runs while it can, then guided order
  kNoPreemption,        // guided order among the choices that preempt nobody
  kGuided,              // guided order
  kStay,                // the previous task continues while it can, else the lowest
};

struct Candidate {
  size_t prefix;
  std::vector<TaskId> forced;
  Policy policy;
};

class GuidedStrategy final : public rt::Strategy {
 public:
  GuidedStrategy(const std::vector<TaskId>& guide, const Candidate& c) : guide_(guide), c_(c) {
    // position_[t][k]: the index in the guide of task t's k-th step.
    for (size_t i = 0; i < guide.size(); ++i) position_[guide[i]].push_back(i);
  }

  TaskId Choose(const rt::ChoicePoint& cp) override {
    uint32_t preempting = cpus_.Preempting(cp);
    if (cp.depth == 0) {
      for (int& c : count_) c = 0;
      continuing_ = false;
    }
    TaskId t = Pick(cp, preempting);
    if (t == kNoTask) return kNoTask;
    cpus_.Ran(cp, t);
    ++count_[t];
    return t;
  }

 private:
  TaskId Pick(const rt::ChoicePoint& cp, uint32_t preempting) {
    size_t d = static_cast<size_t>(cp.depth);
    if (d < c_.prefix) return guide_[d];  // the runtime reports a divergence if disabled
    if (d < c_.prefix + c_.forced.size()) {
      TaskId f = c_.forced[d - c_.prefix];
      if (!(cp.enabled >> f & 1)) return kNoTask;
      continuing_ = c_.policy == Policy::kContinueThenGuided;
      return f;
    }
    if (continuing_ && cp.previous != kNoTask && (cp.enabled >> cp.previous & 1))
      return cp.previous;
    continuing_ = false;
    if (c_.policy == Policy::kStay)
      return cp.previous != kNoTask && (cp.enabled >> cp.previous & 1)
                 ? cp.previous
                 : static_cast<TaskId>(__builtin_ctz(cp.enabled));
    uint32_t allowed = cp.enabled;
    if (c_.policy == Policy::kNoPreemption && (cp.enabled & ~preempting)) allowed &= ~preempting;
    TaskId best = kNoTask;
    size_t best_pos = std::numeric_limits<size_t>::max();
    for (uint32_t m = allowed; m; m &= m - 1) {
      TaskId t = __builtin_ctz(m);
      size_t pos = Next(t);
      if (best == kNoTask || pos < best_pos) best = t, best_pos = pos;
    }
    return best;
  }

  static constexpr size_t kLate = std::numeric_limits<size_t>::max() / 2;
  // Where task t's next step came in the guide; kLate + t if it had no more.
  size_t Next(TaskId t) const {
    const std::vector<size_t>& p = position_[t];
    size_t k = static_cast<size_t>(count_[t]);
    return k < p.size() ? p[k] : kLate + static_cast<size_t>(t);
  }

  const std::vector<TaskId>& guide_;
  const Candidate& c_;
  std::vector<size_t> position_[rt::kMaxTasks];
  int count_[rt::kMaxTasks] = {};
  bool continuing_ = false;
  CpuTracker cpus_;
};

class Shrinker {
 public:
  Shrinker(const Program& p, const Bounds& b, const std::string& oracle, const ShrinkLimits& l)
      : program_(p), oracle_(oracle), limits_(l), options_(RunOptionsFor(p, b, false)) {}

  ShrinkResult Run(const std::vector<TaskId>& schedule);

 private:
  // Runs one candidate; true (and the new best) if it keeps the oracle and improves.
  bool Try(const Candidate& c);
  bool Improve();
  bool RemovePreemption(size_t i);
  TaskId Preempted(size_t i) const;
  bool OutOfBudget() const;

  static constexpr int kMaxDelay = 8;

  const Program& program_;
  std::string oracle_;
  ShrinkLimits limits_;
  rt::RunOptions options_;
  rt::ControlledSys runtime_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  // The current best.
  std::vector<TaskId> schedule_;
  std::vector<rt::StepRecord> steps_;
  ShrinkResult result_;
};

bool Shrinker::OutOfBudget() const {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  return result_.runs >= limits_.max_runs || secs >= limits_.max_seconds;
}

bool Shrinker::Try(const Candidate& c) {
  if (OutOfBudget()) return false;
  ++result_.runs;
  GuidedStrategy s(schedule_, c);
  const rt::RunResult& r = runtime_.Run(program_.boot, s, options_);
  if (!rt::OutcomeOracle(r.outcome) || r.oracle != oracle_) return false;
  bool better = r.preemptions < result_.preemptions ||
                (r.preemptions == result_.preemptions && r.schedule.size() < schedule_.size());
  if (!better) return false;
  schedule_ = r.schedule;
  steps_ = r.steps;
  result_.preemptions = r.preemptions;
  result_.message = r.message;
  result_.details = r.details;
  return true;
}

// The task that ran last on step i's CPU before step i, or kNoTask.
TaskId Shrinker::Preempted(size_t i) const {
  for (size_t k = i; k-- > 0;)
    if (steps_[k].cpu == steps_[i].cpu) return steps_[k].task;
  return kNoTask;
}

// Candidates that remove the preemption at step i (task p preempted by q): p continues
// instead, or runs `delay` more steps before q preempts it (one later preemption may
// replace this one and another), and then nobody is preempted.
bool Shrinker::RemovePreemption(size_t i) {
  TaskId p = Preempted(i), q = steps_[i].task;
  if (p == kNoTask) return false;
  if (Try({i, {p}, Policy::kContinueThenGuided}) || Try({i, {p}, Policy::kNoPreemption}) ||
      Try({i, {}, Policy::kNoPreemption}))
    return true;
  std::vector<TaskId> forced;
  for (int delay = 1; delay <= kMaxDelay; ++delay) {
    forced.assign(delay, p);
    forced.push_back(q);
    if (Try({i, forced, Policy::kNoPreemption}) || Try({i, forced, Policy::kGuided}))
      return true;
  }
  return false;
}

// One pass over the candidates of the current best; true if one improved it.
bool Shrinker::Improve() {
  if (Try({0, {}, Policy::kNoPreemption})) return true;
  for (size_t i = steps_.size(); i-- > 0;)  // latest preemption first
    if (steps_[i].preempted && RemovePreemption(i)) return true;
  // Fewer steps: at any step, another enabled task runs instead.
  if (Try({0, {}, Policy::kStay})) return true;
  for (size_t i = 1; i < steps_.size(); ++i) {
    for (uint32_t m = steps_[i].enabled & ~(1u << steps_[i].task); m; m &= m - 1) {
      TaskId u = __builtin_ctz(m);
      if (Try({i, {u}, Policy::kGuided}) || Try({i, {u}, Policy::kNoPreemption}) ||
          Try({i, {u}, Policy::kStay}))
        return true;
    }
  }
  return false;
}

ShrinkResult Shrinker::Run(const std::vector<TaskId>& schedule) {
  schedule_ = schedule;
  Candidate all{schedule_.size(), {}, Policy::kGuided};
  GuidedStrategy replay(schedule_, all);
  const rt::RunResult& r = runtime_.Run(program_.boot, replay, options_);
  result_.runs = 1;
  result_.from_steps = schedule.size();
  result_.from_preemptions = r.preemptions;
  result_.preemptions = r.preemptions;
  result_.message = r.message;
  result_.details = r.details;
  steps_ = r.steps;
  if (rt::OutcomeOracle(r.outcome) && r.oracle == oracle_ && r.schedule == schedule) {
    while (Improve()) {
    }
    result_.limit_reached = OutOfBudget();
  }
  result_.schedule = schedule_;
  return result_;
}

}  // namespace

ShrinkResult Shrink(const Program& program, const Bounds& bounds,
                    const std::vector<TaskId>& schedule, const std::string& oracle,
                    const ShrinkLimits& limits) {
  Shrinker s(program, bounds, oracle, limits);
  return s.Run(schedule);
}

void ShrinkVerdict(const Program& program, const Bounds& bounds, Verdict* v,
                   const ShrinkLimits& limits) {
  if (v->kind != VerdictKind::kViolation) return;
  ShrinkResult s = Shrink(program, bounds, v->schedule, v->oracle, limits);
  if (s.schedule.size() != v->schedule.size() || s.preemptions != v->preemptions) {
    v->schedule = s.schedule;
    v->preemptions = s.preemptions;
    v->message = s.message;
    v->details = s.details;
  }
  v->notes.push_back("shrunk from " + std::to_string(s.from_preemptions) + " preemptions, " +
                       std::to_string(s.from_steps) + " steps to " +
                       std::to_string(s.preemptions) + " preemptions, " +
                       std::to_string(s.schedule.size()) + " steps (" + std::to_string(s.runs) +
                       " runs" + (s.limit_reached ? ", stopped at the limit" : "") + ")");
}

}  // namespace kt::explore
