#include "checker/explore/dpor.h"

#include <cstring>

#include "checker/explore/rng.h"
#include "checker/explore/sleep_rules.h"
#include "checker/runtime/check.h"

namespace kt::explore {
namespace {

uint32_t Bit(TaskId t) { return 1u << t; }
TaskId Lowest(uint32_t mask) { return static_cast<TaskId>(__builtin_ctz(mask)); }

}  // namespace

bool DporStrategy::AllowedByPreemptionBound(int depth, TaskId t, uint32_t preempts) const {
  if (o_.max_preemptions < 0 || !(preempts & Bit(t))) return true;
  int before = depth > 0 ? stack_[depth - 1].preemptions : 0;
  return before < o_.max_preemptions;
}

uint32_t DporStrategy::ChildSleep(int depth, const rt::ChoicePoint& cp) const {
  if (!o_.reduce) return 0;
  const Node& n = stack_[depth];
  // A sibling whose subtree the preemption bound cut may not have explored the order
  // that putting it to sleep here would skip (it can cost more preemptions there).
  uint32_t cand = (n.sleep | (n.done & ~n.pruned)) & ~Bit(n.chosen);
  uint32_t sleep = 0;
  for (uint32_t m = cand; m; m &= m - 1) {
    TaskId t = Lowest(m);
    // A task that a CPU hotplug stopper moves (in some execution: Analyze) never
    // sleeps: once moved, its pending step depends on other steps than when it was put
    // to sleep, so the subtree that put it to sleep need not contain the orders its
    // sleep stands for (migrate_test's generated programs find them missed).
    if (cp.rt->Exists(t) && !(moved_tasks_ & Bit(t)) &&
        !DependentPending(*cp.rt, t, n.chosen) &&
        !MayDisable(*cp.rt, t, n.chosen))
      sleep |= Bit(t);
  }
  return sleep;
}

void DporStrategy::Inherit(int depth, Node* n) const {
  if (depth == 0) return;
  const Node& p = stack_[depth - 1];
  n->level = p.level;
  n->key = p.key;
  if (p.level < o_.split_levels && __builtin_popcount(p.enabled & ~p.sleep) > 1) {
    n->level = p.level + 1;
    n->key = Mix(p.key ^ static_cast<uint64_t>(depth), static_cast<uint64_t>(p.chosen));
  }
}

bool DporStrategy::Owned(uint64_t key) const {
  return o_.shard_count <= 1 || key % static_cast<uint64_t>(o_.shard_count) ==
                                    static_cast<uint64_t>(o_.shard_index);
}

uint64_t DporStrategy::PathKey() const {
  Node end;
  Inherit(static_cast<int>(stack_.size()), &end);
  return end.key;
}

TaskId DporStrategy::Choose(const rt::ChoicePoint& cp) {
  int d = cp.depth;
  if (d < static_cast<int>(stack_.size())) {
    Node& n = stack_[d];
    KT_CHECK(n.enabled == cp.enabled, "replayed prefix diverged: the program is not deterministic");
    cpus_.Ran(cp, n.chosen);
    if (d == static_cast<int>(stack_.size()) - 1) next_sleep_ = ChildSleep(d, cp);
    return n.chosen;
  }
  Node n;
  Inherit(d, &n);
  if (n.level >= o_.split_levels && !Owned(n.key)) {
    abandon_ = Abandon::kOtherShard;  // another shard's subtree
    return kNoTask;
  }
  n.enabled = cp.enabled;
  n.preempts = cpus_.Preempting(cp);
  // A sleeper that the last step disabled leaves the sleep set: that step was not
  // independent of it. (A region that disables preemption or interrupts blocks the
  // other tasks of its CPU without touching a common object; left asleep, such a task
  // would never run before the region again in this subtree.)
  // While a hard interrupt handler is live, no sleep set at all: a handler that may start
  // at almost any point and then holds the CPU breaks the independence argument in ways
  // the rules above do not all capture (irq_context_test compares with DFS). Source
  // sets alone stay sound; the handler's scenario pays some redundant executions.
  n.sleep = o_.reduce && !cp.rt->HardIrqLive() ? next_sleep_ & cp.enabled : 0;
  uint32_t avail = cp.enabled & ~n.sleep;
  if (avail == 0) {
    abandon_ = Abandon::kSleep;  // sleep-set blocked: only redundant orders remain
    return kNoTask;
  }
  // Continue the previous task if it can; else the first task that the preemption bound
  // allows. Injected stray wakeups come last: they are reached by backtracking, where a
  // race asks for them, and not spent on the first sleeper of every execution.
  TaskId t = kNoTask;
  if (cp.previous != kNoTask && (avail & ~cp.stray & Bit(cp.previous))) t = cp.previous;
  for (uint32_t m = avail & ~cp.stray; t == kNoTask && m; m &= m - 1)
    if (AllowedByPreemptionBound(d, Lowest(m), n.preempts)) t = Lowest(m);
  for (uint32_t m = avail & cp.stray; t == kNoTask && m; m &= m - 1)
    if (AllowedByPreemptionBound(d, Lowest(m), n.preempts)) t = Lowest(m);
  if (t == kNoTask) {
    MarkPruned(d);
    abandon_ = Abandon::kBound;
    return kNoTask;
  }
  n.chosen = t;
  n.done = Bit(t);
  // Plain DFS, and the top of a split search, branch on every enabled task. An injected
  // stray wakeup is no reordering that a race would ask for: the execution may simply
  // never contain it (nothing else ends the sleep). So every node branches on the strays
  // it offers; sleep sets then skip the positions where a stray would commute with
  // everything in between (its step touches only the sleeper's wakeup permit).
  n.backtrack = (!o_.reduce || n.level < o_.split_levels) ? cp.enabled : Bit(t) | (avail & cp.stray);
  n.preemptions = (d > 0 ? stack_[d - 1].preemptions : 0) + (n.preempts >> t & 1);
  stack_.push_back(n);
  cpus_.Ran(cp, t);
  next_sleep_ = ChildSleep(d, cp);
  return t;
}

// The bound cut a choice at `depth`: every subtree on the path to it is incomplete.
void DporStrategy::MarkPruned(int depth) {
  preemption_bound_hit_ = true;
  for (int k = 0; k < depth && k < static_cast<int>(stack_.size()); ++k)
    stack_[k].pruned |= Bit(stack_[k].chosen);
}

bool DporStrategy::Next() {
  if (!started_) {
    started_ = true;
    return true;
  }
  return NextExecution();
}

RunKind DporStrategy::Done(const rt::RunResult& r) {
  Abandon a = abandon_;
  abandon_ = Abandon::kNone;
  // A prefix that reached another shard's subtree, or an execution that ended above the
  // split in another shard's part: every node on it branches in full, nothing to learn.
  if (a == Abandon::kOtherShard || !Owned(PathKey())) return RunKind::kOtherShard;
  Analyze(r.steps);
  if (a == Abandon::kSleep) return RunKind::kSleepBlocked;
  if (o_.count_traces) {
    traces_.insert(signature_.Of(r.steps));
    memory_traces_.insert(signature_.Of(r.steps, /*cpu_regions=*/false));
  }
  return RunKind::kCounted;
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
      bool preempted = IsPreemption(d, t);
      int before = d > 0 ? stack_[d - 1].preemptions : 0;
      if (preempted && o_.max_preemptions >= 0 && before >= o_.max_preemptions) {
        MarkPruned(d);
        n.pruned |= Bit(t);  // done, but never explored: it must not sleep later
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

std::string DporStrategy::Cut() const {
  return preemption_bound_hit_ ? "max_preemptions=" + std::to_string(o_.max_preemptions) : "";
}

std::string DporStrategy::Guarantee() const {
  std::string s = o_.reduce ? "no finding: every interleaving up to the reordering of independent "
                              "steps (source-DPOR with sleep sets)"
                            : "no finding: every interleaving (plain DFS)";
  if (o_.max_preemptions >= 0)
    s += " with at most " + std::to_string(o_.max_preemptions) + " preemptions";
  if (o_.shard_count > 1)
    s += ", in shard " + std::to_string(o_.shard_index) + " of " + std::to_string(o_.shard_count);
  return s + " was explored";
}

// Knuth's estimate of the fraction of the tree behind the current path: at each node,
// the children finished so far over the children known so far, weighted by the product
// of the branching above. Backtrack sets grow as races are found, so it runs ahead.
double DporStrategy::Fraction() const {
  double fraction = 0, weight = 1;
  for (const Node& n : stack_) {
    int known = __builtin_popcount((n.backtrack | n.done) & n.enabled & ~n.sleep);
    if (known <= 1) continue;
    fraction += weight * (__builtin_popcount(n.done & ~n.sleep) - 1) / known;
    weight /= known;
  }
  return fraction;
}

size_t DporStrategy::MemoryBytes() const {
  return stack_.capacity() * sizeof(Node) + clocks_.capacity() * sizeof(Clock) +
         pos_.capacity() * sizeof(uint32_t) +
         history_.size() * (sizeof(History) + sizeof(uintptr_t) + 2 * sizeof(void*));
}

DporState DporStrategy::State() const {
  return DporState{stack_, replay_depth_, started_, preemption_bound_hit_};
}

void DporStrategy::Restore(const DporState& s) {
  stack_ = s.stack;
  replay_depth_ = s.replay_depth;
  started_ = s.started;
  preemption_bound_hit_ = s.preemption_bound_hit;
  abandon_ = Abandon::kNone;
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
  if (!o_.reduce) return;
  int n = static_cast<int>(steps.size());
  clocks_.resize(n);
  pos_.resize(n);
  ++generation_;
  int32_t last_of[rt::kMaxTasks];
  uint32_t count[rt::kMaxTasks] = {};
  for (int t = 0; t < rt::kMaxTasks; ++t) last_of[t] = -1;
  // Tasks 0..nt-1 take part: vector-clock entries of higher ids stay 0 in this execution,
  // so the loops over tasks below stop at nt (the analysis is most of a search's time).
  int nt = 0;
  for (int j = 0; j < n; ++j) nt = std::max(nt, steps[j].task + 1);
  std::vector<int> races, hb;
  // An execution in which the hotplug stopper moves tasks between CPUs: each step also
  // reads cpu(c) of the CPU it runs on (op.h), so it is ordered against those moves.
  bool moves = false;
  for (int j = 0; j < n && !moves; ++j) moves = rt::MovesCpu(steps[j].kind);
  moves_ = moves;
  uint32_t moved = moved_tasks_;
  for (int j = 0; j < n; ++j)
    if (steps[j].kind == rt::OpKind::kMigrate) moved |= Bit(steps[j].moved);
  if (moved != moved_tasks_) {  // the sleep sets made so far may hold it: drop them
    moved_tasks_ = moved;
    for (Node& node : stack_) node.sleep &= ~moved;
  }
  rt::Access acc[rt::kMaxAccesses + 1];
  for (int j = 0; j < n; ++j) {
    const rt::StepRecord& s = steps[j];
    TaskId q = s.task;
    int nacc = s.nacc;
    for (int a = 0; a < nacc; ++a) acc[a] = s.acc[a];
    if (moves && !rt::MovesCpu(s.kind)) acc[nacc++] = rt::Access{rt::CpuObj(s.cpu), false};
    Clock base{};
    if (last_of[q] >= 0)
      base = clocks_[last_of[q]];
    else if (s.parent_step >= 0)
      base = clocks_[s.parent_step];
    // A store buffer's drain happens after the step that buffered the store.
    if (s.kind == rt::OpKind::kDrain && s.parent_step >= 0)
      for (int u = 0; u < nt; ++u)
        base[u] = std::max(base[u], clocks_[s.parent_step][u]);
    if (s.global_sync)  // a timer fired because every task was blocked
      for (int t = 0; t < nt; ++t)
        if (last_of[t] >= 0)
          for (int u = 0; u < nt; ++u)
            base[u] = std::max(base[u], clocks_[last_of[t]][u]);
    races.clear();
    hb.clear();
    for (int a = 0; a < nacc; ++a) {
      History& h = HistoryOf(acc[a].obj);
      bool acquire = s.kind == rt::OpKind::kLock && a == 0;
      for (int p = 0; p < nt; ++p) {
        if (p == q) continue;
        if (acquire) {
          if (h.last_write[p] >= 0) hb.push_back(h.last_write[p]);
          if (h.last_acquire[p] >= 0) races.push_back(h.last_acquire[p]);
          continue;
        }
        if (h.last_write[p] >= 0) races.push_back(h.last_write[p]);
        if (acc[a].write && h.last_read[p] >= 0) races.push_back(h.last_read[p]);
      }
    }
    Clock c = base;
    for (int i : races)
      for (int u = 0; u < nt; ++u) c[u] = std::max(c[u], clocks_[i][u]);
    for (int i : hb)
      for (int u = 0; u < nt; ++u) c[u] = std::max(c[u], clocks_[i][u]);
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
    for (int a = 0; a < nacc; ++a) {
      History& h = HistoryOf(acc[a].obj);
      if (acc[a].write)
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
  // j could only run because of i -- unless i merely ended a hold on j's CPU (a hard
  // interrupt's last step): then j could have run before the hold began.
  if (steps[j].enabled_by == i && !(steps[i].cpu_blocked & Bit(steps[j].task))) return;
  // A spin or a block that ends after i is never reversed with it: either i is what let
  // it end (not co-enabled), or it could already end before i -- and ending carries no
  // value (the spinner re-reads what it needs with loads, which race on their own).
  if (steps[j].kind == rt::OpKind::kSpin || steps[j].kind == rt::OpKind::kBlock) return;
  TaskId p = steps[i].task;
  uint32_t seen = 0, initials = 0;
  int first[rt::kMaxTasks];
  // A step that closes its CPU (begins a region, takes a lock) keeps the CPU's other
  // tasks off it: run first, it would disable the steps of v that ran on that CPU
  // before it. Those steps are its predecessors as surely as a common object would make
  // them, though none is shared, so it is no initial. (Not a hard interrupt's start: it
  // waits for nobody and its handler ends by itself; counting it so misses outcomes
  // of DFS in irq_context_test's generated programs with a hard handler.)
  uint64_t cpus_in_v = 0;  // the CPUs that steps of v before k ran on
  for (int k = i + 1; k <= j; ++k) {
    if (k != j && clocks_[k][p] >= pos_[i]) continue;  // happens after i: not in v
    TaskId t = steps[k].task;
    const uint64_t cpu_bit = uint64_t{1} << (steps[k].cpu & 63);
    const bool cpu_used = cpus_in_v & cpu_bit;
    cpus_in_v |= cpu_bit;
    if (seen & Bit(t)) continue;
    bool has_pred = steps[k].closes_cpu && cpu_used && steps[k].kind != rt::OpKind::kStart;
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
  // No initial can run at i, but some wait only because a task holds their CPU
  // (preemption or interrupts off, a hard interrupt running): the reversal must start
  // before the hold began.
  uint32_t held = usable ? 0 : initials & steps[i].cpu_blocked;
  // A task of v on i's own CPU that waits at i waits for i's task, which holds that CPU
  // across i: no order of v runs it before i, whichever initial goes first. So it is
  // tried before the hold began too, even when other initials are usable at i. (Every
  // such task on any CPU, a superset, cost about 2.6 times the executions on the catalog
  // instead of 1.6 to 1.8 in a trial not kept, and closed no more of irq_context_test's
  // generated programs.)
  for (uint32_t m = seen & steps[i].cpu_blocked & ~Bit(p); m; m &= m - 1)
    if (steps[first[Lowest(m)]].cpu == steps[i].cpu) held |= Bit(Lowest(m));
  // With a stopper in the execution, a task of v that a CPU hold keeps from running at i
  // on any CPU (typically one on the CPU the stopper holds) is tried before the hold:
  // the stopper's hold is what moves the task to another CPU, which changes what its
  // steps depend on.
  if (moves_) held |= seen & steps[i].cpu_blocked & ~Bit(p);
  for (uint32_t m = held; m; m &= m - 1) {
    TaskId t = Lowest(m);
    // A stopper's earlier steps run while it waits for another CPU: start before them.
    bool stopper = (seen & Bit(t)) && rt::MovesCpu(steps[first[t]].kind);
    for (int k = i - 1; k >= 0; --k)
      if ((steps[k].enabled & Bit(t)) && !(stopper && steps[k].task == t)) {
        Node& b = stack_[k];
        if (!((b.backtrack | b.done) & Bit(t))) b.backtrack |= Bit(t);
        break;
      }
  }
  // A stopper in v that waits for a CPU held at i may need to start before that hold.
  for (int k = i + 1; k <= j; ++k)
    if ((initials & Bit(steps[k].task)) && rt::MovesCpu(steps[k].kind) &&
        steps[k].kind != rt::OpKind::kMigrate && (k == j || clocks_[k][p] < pos_[i]))
      AddBeforeCpuHold(steps, i, k);
  // If none was held either, j needed i (or a step after it) to run at all.
  if (!usable) return;
  Node& n = stack_[i];
  // An initial whose first step in v closes the CPU of i's task (a region without
  // preemption or interrupts, a hard interrupt) may keep that task off its CPU until
  // after steps that must follow i: v then does not run as the reversal needs, and
  // exploring it first proves nothing about the others. Every usable initial is tried.
  for (uint32_t m = usable; m; m &= m - 1) {
    const rt::StepRecord& f = steps[first[Lowest(m)]];
    // A stopper taking a CPU (kStopCpu) closes that CPU, not its own.
    bool closes = (f.closes_cpu && f.cpu == steps[i].cpu) ||
                  (f.kind == rt::OpKind::kStopCpu && f.nacc > 0 &&
                   f.acc[0].obj == rt::CpuObj(steps[i].cpu));
    if (closes && Lowest(m) != p) {
      n.backtrack |= usable;
      return;
    }
  }
  if (o_.bpor && (usable & n.preempts)) {
    // Under a preemption bound the initials differ in what they cost: try every one,
    // and each also where it costs no preemption (AddBacktrack).
    n.backtrack |= usable;
    for (uint32_t m = usable & n.preempts; m; m &= m - 1) AddBacktrack(steps, i, Lowest(m));
    return;
  }
  // With a stopper in the execution, one initial does not stand for the others: the
  // stopper's move changes what the moved task's later steps depend on, so the subtree
  // of one initial, where a sleeping task may wake only once it has been moved, need
  // not contain the reversal that another initial starts. Every usable initial is tried.
  if (moves_) {
    n.backtrack |= usable;
    return;
  }
  if (usable & (n.backtrack | n.done)) return;
  TaskId u = (usable & Bit(q)) ? q : Lowest(usable);
  n.backtrack |= Bit(u);
}

// Step k of a stopper in the reversal of race (i, j) waits for a CPU other than its own
// (kStopCpu: the one it stops; kStopCpuEnd: its home), and its earlier steps may run
// while a task holds that CPU (preemption or interrupts off, a lock). Reversing at i
// puts the stopper's first steps before i, but its waiting step still comes after the
// hold, and that execution, sleep-set blocked behind the holder, proves nothing. So the
// stopper is also tried before the latest step on that CPU that began a hold before i
// (whether or not the hold still lasts at i: a conservative extra branch, taken only in
// executions with a stopper).
void DporStrategy::AddBeforeCpuHold(const std::vector<rt::StepRecord>& steps, int i, int k) {
  const rt::StepRecord& f = steps[k];
  TaskId t = f.task;
  int c = static_cast<int>(f.acc[f.kind == rt::OpKind::kStopCpu ? 0 : 1].obj - rt::CpuObj(0));
  int hold = -1;
  for (int h = i; h >= 0; --h)
    if (steps[h].task != t && steps[h].cpu == c && steps[h].closes_cpu) {
      hold = h;
      break;
    }
  // At the hold's start the stopper itself may wait too (under tso, for its CPU's store
  // buffer): the tasks whose steps lead to its waiting step are tried there as well.
  uint32_t lead = Bit(t);
  for (int h = i + 1; h < k; ++h) lead |= Bit(steps[h].task);
  for (int h = hold; h >= 0; --h)
    if (steps[h].enabled & lead) {
      if (h < static_cast<int>(stack_.size())) stack_[h].backtrack |= steps[h].enabled & lead;
      return;
    }
}

// Conservative BPOR: running u at i would cost a preemption the bound may not allow, so
// u is also tried where the segment of steps[i].task began (a switch happened there
// anyway: switching to u instead costs no more), and at the latest earlier point where
// u can run without a preemption.
void DporStrategy::AddBacktrack(const std::vector<rt::StepRecord>& steps, int i, TaskId u) {
  int start = i;
  while (start > 0 && steps[start - 1].task == steps[i].task) --start;
  if (start < i && (steps[start].enabled & Bit(u))) stack_[start].backtrack |= Bit(u);
  for (int k = i - 1; k >= 0; --k) {
    if (!(steps[k].enabled & Bit(u)) || IsPreemption(k, u)) continue;
    stack_[k].backtrack |= Bit(u);
    return;
  }
}

}  // namespace kt::explore
