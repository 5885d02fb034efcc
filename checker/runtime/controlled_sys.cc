#include "checker/runtime/controlled_sys.h"

#include <algorithm>
#include <string>

#include "checker/runtime/check.h"

namespace kt::rt {
namespace {

// The trace text of operations that carry no value (loads and stores add theirs later).
std::string StepText(const Op& op, bool timed_out, bool stray) {
  switch (op.kind) {
    case OpKind::kStart: return "starts";
    case OpKind::kSpin: return std::string("spin ends: ") + op.what;
    case OpKind::kLock: return "spin_lock";
    case OpKind::kUnlock: return "spin_unlock";
    case OpKind::kBlock:
      if (stray) return "wakes up: spurious wakeup (an injected stray wake_up_process)";
      return timed_out ? "wakes up: timer expired" : "wakes up (was blocked)";
    case OpKind::kPreemptOff: return "preempt_disable()";
    case OpKind::kPreemptOn: return "preempt_enable()";
    case OpKind::kFence: return "smp_mb(): waited for the store buffer to drain";
    case OpKind::kSleep: return "goes to sleep (from here a stray wakeup may end it)";
    case OpKind::kStopCpu:
      return "stop_one_cpu(): runs on CPU" + std::to_string(op.cpu) + " as its stopper";
    case OpKind::kStopCpuEnd: return "the stopper's work is done: back to CPU" + std::to_string(op.cpu);
    default: return "";
  }
}

// Thrown by End() on the main context; caught in Run(). Never crosses a fiber.
struct EndedBeforeFirstStep {};

}  // namespace

ControlledSys::ControlledSys() = default;
ControlledSys::~ControlledSys() = default;

const RunResult& ControlledSys::Run(const std::function<TaskId()>& boot, Strategy& strategy,
                                    const RunOptions& options) {
  for (int i = 0; i < ntasks_; ++i) tasks_[i] = Task{};
  ntasks_ = 0;
  cur_ = jumper_ = last_ = kNoTask;
  now_ = 0;
  timer_fired_ = ended_ = false;
  strays_left_ = options.stray_wakeups;
  hardirqs_live_ = 0;
  prev_enabled_ = 0;
  for (int32_t& e : enabled_by_) e = -1;
  for (TaskId& c : cpu_task_) c = kNoTask;
  strategy_ = &strategy;
  options_ = options;
  pso_ = options.memory_model == MemoryModel::kPso;
  tso_ = options.memory_model == MemoryModel::kTso || pso_;
  lanes_ = pso_ ? kPsoLanes : 1;
  ResetBuffers();
  result_.outcome = Outcome::kComplete;
  result_.oracle.clear();
  result_.message.clear();
  result_.details.clear();
  result_.steps.clear();
  result_.schedule.clear();
  result_.trace.clear();
  result_.task_names.clear();
  result_.preemptions = 0;

  Sys* previous = GetSys();
  SetSys(this);
  root_ = boot();
  try {
    Schedule();  // from the main context: returns once End() jumps back here
  } catch (const EndedBeforeFirstStep&) {
    // End() ran on the main context itself (a bound or divergence at step 0).
  }
  SetSys(previous);
  KT_CHECK(ended_, "an execution returned to the main context without ending");
  for (int i = 0; i < ntasks_; ++i) result_.task_names.push_back(tasks_[i].name);
  if (tso_) {  // the buffers' pseudo-tasks keep their ids (the gap has no task)
    result_.task_names.resize(kMaxTasks);
    for (TaskId d = first_drainer_; d < kMaxTasks; ++d) result_.task_names[d] = tasks_[d].name;
  }
  result_.virtual_time = now_;
  return result_;
}

// --- Scheduling -----------------------------------------------------------------------

void ControlledSys::Announce(OpKind kind, const char* fn, const char* what) {
  Task& t = Cur();
  t.op.kind = kind;
  t.op.nacc = 0;
  t.op.fn = fn;
  t.op.what = what;
  t.op.value = 0;
  t.op.drain_first = false;
  t.op.buffered = false;
  t.op.cpu = -1;
  t.since = now_;
}

void ControlledSys::Yield() { Schedule(); }

void ControlledSys::CpuHolders(TaskId holder[64]) const {
  // A task with preemption (or interrupts) disabled keeps its CPU: nobody else on that
  // CPU may run. A task that blocks inside schedule() (preemption off) has switched away:
  // it holds no CPU. A hard interrupt handler that has started holds it over either.
  for (int c = 0; c < 64; ++c) holder[c] = kNoTask;
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (!t.finished && (t.preempt > 0 || t.irq_off > 0) && t.op.kind != OpKind::kBlock &&
        !t.irq)
      holder[t.cpu] = i;
  }
  // A stopper keeps its CPU from the moment it takes it (it can take it only while no
  // task above holds it).
  for (int i = 0; i < ntasks_; ++i)
    if (tasks_[i].stopper_of >= 0 && !tasks_[i].finished) holder[tasks_[i].stopper_of] = i;
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (t.irq && !t.finished && t.op.kind != OpKind::kStart) holder[t.cpu] = i;
  }
}

bool ControlledSys::IrqMayStart(int i, TaskId holder) const {
  const Task& t = tasks_[i];
  return t.irq && t.op.kind == OpKind::kStart && !tasks_[holder].irq &&
         tasks_[holder].irq_off == 0 && tasks_[holder].stopper_of != t.cpu;
}

uint32_t ControlledSys::Enabled(uint32_t* cpu_blocked) const {
  TaskId holder[64];
  CpuHolders(holder);
  uint32_t en = 0;
  *cpu_blocked = 0;
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (t.finished) continue;
    switch (t.op.kind) {
      case OpKind::kBlock:
        if (!t.permit && !WakeableChoice(t)) continue;
        break;
      case OpKind::kSpin:
        if (!EvalAs(i, *t.spin_pred)) continue;
        break;
      case OpKind::kLock:
        if (t.lock->owner != kNoTask) continue;
        break;
      default:
        break;
    }
    if (MovesCpu(t.op.kind) && !StopperEnabled(i, holder)) {
      *cpu_blocked |= 1u << i;
      continue;
    }
    if (tso_ && !TsoEnabled(i, cpu_blocked)) continue;
    if (holder[t.cpu] != kNoTask && holder[t.cpu] != i && !IrqMayStart(i, holder[t.cpu])) {
      *cpu_blocked |= 1u << i;
      continue;
    }
    en |= 1u << i;
  }
  if (tso_) en |= EnabledDrainers();
  return en;
}

void ControlledSys::Schedule() {
  for (;;) {
    uint32_t cpu_blocked = 0;
    uint32_t en = Enabled(&cpu_blocked);
    // Sleepers whose timer may fire early, or whom a stray wakeup may reach, are choices,
    // not runnable tasks: when nothing else can run, the machine is idle and timers fire
    // in deadline order.
    uint32_t early = 0, stray = 0;
    for (uint32_t m = en; m; m &= m - 1) {
      const Task& t = tasks_[__builtin_ctz(m)];
      if (t.op.kind == OpKind::kBlock && !t.permit) {
        early |= m & -m;
        if (!ExpiresEarly(t)) stray |= m & -m;
      }
    }
    if ((en & ~early) == 0) {
      HandleIdle();  // fires a timer, or ends the execution
      continue;
    }
    if (options_.livelock_steps) CheckLivelock();
    if (result_.steps.size() >= options_.max_steps)
      End(Outcome::kStepBound, "max_steps=" + std::to_string(options_.max_steps) +
                                   " reached in one execution; a task may loop without "
                                   "sleeping (raise --max-steps if the scenario is long)");
    int32_t last_step = static_cast<int32_t>(result_.steps.size()) - 1;
    for (uint32_t m = en & ~prev_enabled_; m; m &= m - 1) enabled_by_[__builtin_ctz(m)] = last_step;
    prev_enabled_ = en;
    ChoicePoint cp{static_cast<int>(result_.steps.size()), en, last_, this, stray};
    TaskId next = strategy_->Choose(cp);
    if (next == kNoTask) End(Outcome::kAbandoned, "abandoned by the strategy");
    if (!(en >> next & 1)) {
      if (next >= 0 && next < kMaxTasks) End(Outcome::kDiverged, "");
      KT_CHECK(false, "strategy chose a task that does not exist");
    }
    if (tso_ && IsDrainer(next)) {  // the memory system acts; the running task stays
      Drain(next, en, cpu_blocked);
      continue;
    }
    if (early >> next & 1) {  // the chosen step is an early timer expiry or a stray wakeup
      Task& t = tasks_[next];
      t.permit = true;
      t.timed_out = true;
      if (ExpiresEarly(t)) {
        now_ = std::max(now_, t.deadline);
      } else {
        t.stray = true;
        --strays_left_;
      }
    }
    RecordStep(next, en, cpu_blocked);
    last_ = next;
    if (next != cur_) SwitchTo(next);
    return;
  }
}

void ControlledSys::RecordStep(TaskId next, uint32_t enabled, uint32_t cpu_blocked) {
  Task& t = tasks_[next];
  StepRecord& s = result_.steps.emplace_back();
  s.task = next;
  s.cpu = static_cast<int16_t>(t.cpu);
  s.kind = t.op.kind;
  // An involuntary switch on one CPU: the task that last ran on this CPU could have
  // continued. Steps of other CPUs in between do not count (CPUs run in parallel).
  // A store buffer's drain is no task switch: it neither preempts nor is preempted.
  bool drain = IsDrainer(next);
  TaskId running = t.cpu >= 0 && t.cpu < 64 && !drain ? cpu_task_[t.cpu] : kNoTask;
  // A hard interrupt's `current` is the task on the CPU it interrupts (none: idle).
  if (t.irq && t.op.kind == OpKind::kStart)
    t.interrupted = running != kNoTask && !tasks_[running].finished &&
                            tasks_[running].op.kind != OpKind::kBlock
                        ? running
                        : kNoTask;
  s.preempted = running != kNoTask && running != next && (enabled >> running & 1) &&
                tasks_[running].cpu == t.cpu;
  if (t.cpu >= 0 && t.cpu < 64 && !drain) cpu_task_[t.cpu] = next;
  s.global_sync = timer_fired_;
  timer_fired_ = false;
  s.enabled = enabled;
  s.cpu_blocked = cpu_blocked;
  // kStart: the creator's spawning step; kDrain: the step that buffered the store.
  s.parent_step = t.op.kind == OpKind::kStart || drain ? t.parent_step : -1;
  s.enabled_by = enabled_by_[next];
  enabled_by_[next] = -1;
  t.since_block = t.op.kind == OpKind::kBlock ? 0 : t.since_block + 1;
  s.closes_cpu = t.op.kind == OpKind::kPreemptOff || t.op.kind == OpKind::kLock ||
                 t.irq_off_pending > 0 || (t.irq && t.op.kind == OpKind::kStart);
  // It waited for an empty buffer: its next stores start pso's lanes afresh.
  if (t.op.drain_first) t.lane_words.clear();
  t.irq_off += t.irq_off_pending;
  t.irq_off_pending = 0;
  t.last_ran = static_cast<int64_t>(result_.steps.size()) - 1;
  s.nacc = t.op.nacc;
  if (t.op.kind == OpKind::kMigrate) s.moved = static_cast<TaskId>(t.op.value);
  for (int i = 0; i < t.op.nacc; ++i) s.acc[i] = t.op.acc[i];
  result_.schedule.push_back(next);
  if (s.preempted) ++result_.preemptions;
  if (options_.trace) {
    TraceLine line{static_cast<int>(result_.steps.size()) - 1, next, t.cpu, s.preempted,
                   t.op.fn ? t.op.fn : "", StepText(t.op, t.timed_out, t.stray)};
    if (t.irq && t.op.kind == OpKind::kStart)
      line.text = std::string("hard interrupt: the handler starts, interrupting ") +
                  (t.interrupted == kNoTask ? "the idle CPU" : tasks_[t.interrupted].name);
    line.kind = t.op.kind;
    result_.trace.push_back(std::move(line));
  }
}

void ControlledSys::SwitchTo(TaskId next) {
  jumper_ = cur_;
  cur_ = next;
  Transfer t = Jump(tasks_[next].ctx, this);
  StoreJumperContext(t.from);
}

void ControlledSys::StoreJumperContext(Context c) {
  if (jumper_ == kNoTask)
    main_ctx_ = c;
  else
    tasks_[jumper_].ctx = c;
}

void ControlledSys::TaskMain(Transfer t) {
  auto* self = static_cast<ControlledSys*>(t.data);
  self->StoreJumperContext(t.from);
  Task& task = self->Cur();
  task.entry(task.arg);
  KT_CHECK(false, "a task returned from its entry instead of calling Exit()");
}

void ControlledSys::EndFinding(const char* oracle, std::string message) {
  result_.oracle = oracle;
  End(Outcome::kFinding, std::move(message));
}

void ControlledSys::End(Outcome outcome, std::string message) {
  if (outcome != Outcome::kFinding) result_.oracle = OutcomeOracle(outcome) ? OutcomeOracle(outcome) : "";
  result_.outcome = outcome;
  result_.message = std::move(message);
  ended_ = true;
  // Still on the main context: no task has run, there is nothing to jump back from.
  if (cur_ == kNoTask) throw EndedBeforeFirstStep{};
  jumper_ = cur_;
  cur_ = kNoTask;
  Jump(main_ctx_, this);
  KT_CHECK(false, "an ended execution was resumed");
  __builtin_unreachable();
}

bool ControlledSys::EvalAs(TaskId t, const std::function<bool()>& f) const {
  TaskId saved = cur_;
  bool saved_eval = evaluating_;
  cur_ = t;
  evaluating_ = true;
  bool r = f();
  cur_ = saved;
  evaluating_ = saved_eval;
  return r;
}

}  // namespace kt::rt
