#include "checker/explore/dpor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "checker/runtime/check.h"

namespace kt::explore {
namespace {

uint32_t Bit(TaskId t) { return 1u << t; }
TaskId Lowest(uint32_t mask) { return static_cast<TaskId>(__builtin_ctz(mask)); }

bool DependentPending(const rt::ControlledSys& rt, TaskId a, TaskId b) {
  return rt::Dependent(rt.Pending(a), rt.Pending(b));
}

}  // namespace

bool DporStrategy::AllowedByPreemptionBound(int depth, TaskId t,
                                            const rt::ChoicePoint& cp) const {
  if (max_preemptions_ < 0 || cp.previous == kNoTask || t == cp.previous) return true;
  if (!(cp.enabled & Bit(cp.previous))) return true;  // not a preemption
  int before = depth > 0 ? stack_[depth - 1].preemptions : 0;
  return before < max_preemptions_;
}

uint32_t DporStrategy::ChildSleep(int depth, const rt::ChoicePoint& cp) const {
  if (!reduce_) return 0;
  const Node& n = stack_[depth];
  uint32_t cand = (n.sleep | n.done) & ~Bit(n.chosen);
  uint32_t sleep = 0;
  for (uint32_t m = cand; m; m &= m - 1) {
    TaskId t = Lowest(m);
    if (t < cp.rt->NumTasks() && !DependentPending(*cp.rt, t, n.chosen)) sleep |= Bit(t);
  }
  return sleep;
}

TaskId DporStrategy::Choose(const rt::ChoicePoint& cp) {
  int d = cp.depth;
  if (d < static_cast<int>(stack_.size())) {
    Node& n = stack_[d];
    KT_CHECK(n.enabled == cp.enabled, "replayed prefix diverged: the program is not deterministic");
    if (d == static_cast<int>(stack_.size()) - 1) next_sleep_ = ChildSleep(d, cp);
    return n.chosen;
  }
  Node n;
  n.enabled = cp.enabled;
  n.sleep = reduce_ ? next_sleep_ : 0;
  uint32_t avail = cp.enabled & ~n.sleep;
  if (avail == 0) return kNoTask;  // sleep-set blocked: only redundant orders remain
  TaskId t = (cp.previous != kNoTask && (avail & Bit(cp.previous))) ? cp.previous : Lowest(avail);
  if (!AllowedByPreemptionBound(d, t, cp)) {
    preemption_bound_hit_ = true;
    return kNoTask;
  }
  n.chosen = t;
  n.done = Bit(t);
  n.backtrack = reduce_ ? Bit(t) : cp.enabled;
  bool preempted = cp.previous != kNoTask && t != cp.previous && (cp.enabled & Bit(cp.previous));
  n.preemptions = (d > 0 ? stack_[d - 1].preemptions : 0) + (preempted ? 1 : 0);
  stack_.push_back(n);
  next_sleep_ = ChildSleep(d, cp);
  return t;
}

bool DporStrategy::NextExecution() {
  while (!stack_.empty()) {
    Node& n = stack_.back();
    uint32_t cand = n.backtrack & n.enabled & ~n.done & ~n.sleep;
    while (cand) {
      TaskId t = Lowest(cand);
      cand &= cand - 1;
      n.done |= Bit(t);
      int d = static_cast<int>(stack_.size()) - 1;
      TaskId prev = d > 0 ? stack_[d - 1].chosen : kNoTask;
      bool preempted = prev != kNoTask && t != prev && (n.enabled & Bit(prev));
      int before = d > 0 ? stack_[d - 1].preemptions : 0;
      if (preempted && max_preemptions_ >= 0 && before >= max_preemptions_) {
        preemption_bound_hit_ = true;
        continue;
      }
      n.chosen = t;
      n.preemptions = before + (preempted ? 1 : 0);
      replay_depth_ = d;  // the step at depth d is new
      return true;
    }
    stack_.pop_back();
  }
  return false;
}

DporStrategy::History& DporStrategy::HistoryOf(uintptr_t obj) {
  History& h = history_[obj];
  if (h.generation != generation_) {
    std::memset(&h, 0xff, sizeof(History));  // all -1
    h.generation = generation_;
  }
  return h;
}

void DporStrategy::Analyze(const std::vector<rt::StepRecord>& steps) {
  if (!reduce_) return;
  int n = static_cast<int>(steps.size());
  clocks_.resize(n);
  pos_.resize(n);
  ++generation_;
  int32_t last_of[rt::kMaxTasks];
  uint32_t count[rt::kMaxTasks] = {};
  for (int t = 0; t < rt::kMaxTasks; ++t) last_of[t] = -1;
  std::vector<int> races, hb;
  for (int j = 0; j < n; ++j) {
    const rt::StepRecord& s = steps[j];
    TaskId q = s.task;
    Clock base{};
    if (last_of[q] >= 0)
      base = clocks_[last_of[q]];
    else if (s.parent_step >= 0)
      base = clocks_[s.parent_step];
    if (s.global_sync)  // a timer fired because every task was blocked
      for (int t = 0; t < rt::kMaxTasks; ++t)
        if (last_of[t] >= 0)
          for (int u = 0; u < rt::kMaxTasks; ++u)
            base[u] = std::max(base[u], clocks_[last_of[t]][u]);
    races.clear();
    hb.clear();
    for (int a = 0; a < s.nacc; ++a) {
      History& h = HistoryOf(s.acc[a].obj);
      bool acquire = s.kind == rt::OpKind::kLock && a == 0;
      for (int p = 0; p < rt::kMaxTasks; ++p) {
        if (p == q) continue;
        if (acquire) {
          if (h.last_write[p] >= 0) hb.push_back(h.last_write[p]);
          if (h.last_acquire[p] >= 0) races.push_back(h.last_acquire[p]);
          continue;
        }
        if (h.last_write[p] >= 0) races.push_back(h.last_write[p]);
        if (s.acc[a].write && h.last_read[p] >= 0) races.push_back(h.last_read[p]);
      }
    }
    Clock c = base;
    for (int i : races)
      for (int u = 0; u < rt::kMaxTasks; ++u) c[u] = std::max(c[u], clocks_[i][u]);
    for (int i : hb)
      for (int u = 0; u < rt::kMaxTasks; ++u) c[u] = std::max(c[u], clocks_[i][u]);
    pos_[j] = ++count[q];
    c[q] = pos_[j];
    clocks_[j] = c;
    // Races whose later step was replayed were handled when it first ran.
    if (j < replay_depth_) races.clear();
    for (int i : races) {
      TaskId p = steps[i].task;
      bool covered = base[p] >= pos_[i];
      for (int k : races)
        if (!covered && k != i && clocks_[k][p] >= pos_[i]) covered = true;
      if (!covered) HandleRace(steps, i, j);
    }
    for (int a = 0; a < s.nacc; ++a) {
      History& h = HistoryOf(s.acc[a].obj);
      if (s.acc[a].write)
        h.last_write[q] = j;
      else
        h.last_read[q] = j;
      if (s.kind == rt::OpKind::kLock && a == 0) h.last_acquire[q] = j;
    }
    last_of[q] = j;
  }
}

// Race i < j: find the initials of v = notdep(i).j -- the tasks whose first step in v has
// no happens-before predecessor in v -- and make sure one of them is explored before i.
void DporStrategy::HandleRace(const std::vector<rt::StepRecord>& steps, int i, int j) {
  if (i >= static_cast<int>(stack_.size())) return;
  if (steps[j].enabled_by == i) return;  // j could only run because of i
  // A spin or a block that ends after i is never reversed with it: either i is what let
  // it end (not co-enabled), or it could already end before i -- and ending carries no
  // value (the spinner re-reads what it needs with loads, which race on their own).
  if (steps[j].kind == rt::OpKind::kSpin || steps[j].kind == rt::OpKind::kBlock) return;
  TaskId p = steps[i].task;
  uint32_t seen = 0, initials = 0;
  int first[rt::kMaxTasks];
  for (int k = i + 1; k <= j; ++k) {
    if (k != j && clocks_[k][p] >= pos_[i]) continue;  // happens after i: not in v
    TaskId t = steps[k].task;
    if (seen & Bit(t)) continue;
    bool has_pred = false;
    for (uint32_t m = seen; m && !has_pred; m &= m - 1) {
      TaskId u = Lowest(m);
      has_pred = clocks_[k][u] >= pos_[first[u]];
    }
    seen |= Bit(t);
    first[t] = k;
    if (!has_pred) initials |= Bit(t);
  }
  TaskId q = steps[j].task;
  uint32_t usable = initials & steps[i].enabled;
  if (!usable) {
    // An initial that waits only because another task holds its CPU with preemption
    // disabled: the reversal must start before that region began.
    uint32_t held = initials & steps[i].cpu_blocked;
    if (!held) return;  // not co-enabled: j needed i (or a step after it) to run at all
    TaskId t = (held & Bit(q)) ? q : Lowest(held);
    for (int k = i - 1; k >= 0; --k)
      if (steps[k].enabled & Bit(t)) {
        Node& m = stack_[k];
        if (!((m.backtrack | m.done) & Bit(t))) m.backtrack |= Bit(t);
        return;
      }
    return;
  }
  Node& n = stack_[i];
  if (usable & (n.backtrack | n.done)) return;
  n.backtrack |= (usable & Bit(q)) ? Bit(q) : Bit(Lowest(usable));
  if (std::getenv("KT_DEBUG_DPOR"))
    std::fprintf(stderr, "race %d(t%d %s %lx) -> %d(t%d %s %lx) add t%d\n", i, p,
                 rt::OpKindName(steps[i].kind), (unsigned long)steps[i].acc[0].obj, j, q,
                 rt::OpKindName(steps[j].kind), (unsigned long)steps[j].acc[0].obj,
                 (usable & Bit(q)) ? q : Lowest(usable));
}

}  // namespace kt::explore
