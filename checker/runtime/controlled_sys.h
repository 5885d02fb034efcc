// controlled_sys.h -- the checker's runtime: the seam's second backend.
//
// Tasks are fibers; exactly one runs at a time. Every seam call is a scheduling point:
// the task announces its next operation, the Strategy chooses among the enabled tasks,
// and the chosen one performs its operation and runs on to its next seam call. The
// memory model is sequentially consistent by default (fences are then not scheduling
// points); RunOptions::memory_model = tso adds per-CPU store buffers whose drains are
// scheduling choices of their own (store_buffer.h, controlled_tso.cc), and pso lets
// stores to different words drain out of order.
//
// Time is virtual: a sleep with a timeout ends by the timer only when every task is
// blocked (time advances when the machine is idle), earliest deadline first. A sleep
// marked WaitInfo::early_expiry may also end by its timer at any scheduling point while
// other tasks run, as one of the choices (time then jumps to its deadline); such a timer
// still fires after the root task has finished. With RunOptions::stray_wakeups = K, a
// sleep marked WaitInfo::stray_wakeups is a choice in the same way, up to K times per
// execution: a spurious wakeup (Block returns false; time does not move). Neither kind
// of choice keeps the machine busy: when only they remain, it is idle.
// At every idle point the oracles run:
//   - hang: no timer is pending and the root task is blocked; or an untimed wait has
//     lasted longer than the hung-task timeout (khungtaskd's rule) while timers fire;
//   - lost_wakeup: a blocked task's registered wake condition holds;
//   - lifetime: the root task (the module's exit) finished while a task it started is
//     still alive and not an idle daemon;
// with RunOptions::livelock_steps set, the livelock oracle runs at every scheduling
// point (livelock_oracle.cc);
// and WARN_ON/BUG_ON end the execution with oracle `warn` wherever they fire.
#ifndef KTHCHECK_CHECKER_RUNTIME_CONTROLLED_SYS_H_
#define KTHCHECK_CHECKER_RUNTIME_CONTROLLED_SYS_H_

#include <functional>
#include <string>
#include <vector>

#include "checker/runtime/fiber.h"
#include "checker/runtime/memory_model.h"
#include "checker/runtime/op.h"
#include "checker/runtime/run_result.h"
#include "checker/runtime/store_buffer.h"
#include "checker/runtime/strategy.h"
#include "impl/platform/seam.h"

namespace kt::rt {

inline constexpr int kMaxTasks = 32;
// Under tso and pso the last ids are the lanes of the CPUs' store buffers
// (store_buffer.h), not tasks: lane 0 of CPU c is kFirstDrainer + c (tso's one lane),
// pso's lane l the l-th block of kBufferCpus ids below the last.
inline constexpr TaskId kFirstDrainer = kMaxTasks - kBufferCpus;
inline constexpr TaskId DrainerId(int cpu, int lane) {
  return kMaxTasks - kBufferCpus * (lane + 1) + cpu;
}
static_assert(kMaxTasks % kBufferCpus == 0);
inline constexpr int DrainerCpu(TaskId t) { return t % kBufferCpus; }
inline constexpr int DrainerLane(TaskId t) { return (kMaxTasks - 1 - t) / kBufferCpus; }
static_assert(DrainerCpu(DrainerId(3, 1)) == 3 && DrainerLane(DrainerId(3, 1)) == 1);
static_assert(DrainerCpu(DrainerId(0, 0)) == 0 && DrainerLane(DrainerId(0, 0)) == 0);

struct RunOptions {
  uint64_t max_steps = 20000;          // bound: steps per execution
  uint64_t hung_task_timeout = 5000;   // virtual ticks (ms) an untimed wait may last
  bool trace = false;                  // record a human trace (replays of findings)
  MemoryModel memory_model = MemoryModel::kSc;
  // Livelock oracle (livelock_oracle.cc), for fair strategies only: a task that has run
  // more than this many steps since it last blocked, while another live task has not
  // run for as many steps, ends the execution with finding `livelock`. 0 = off.
  uint64_t livelock_steps = 0;
  // Spurious-wakeup injection: at most this many stray wakeups per execution, each one a
  // scheduling choice (WaitInfo::stray_wakeups). 0 = none.
  int stray_wakeups = 0;
  // Interrupt handlers (Sys::SpawnIrq) run in hard interrupt context: one may start
  // whenever its CPU's task has interrupts enabled, preempt_disable() or not, and holds
  // the CPU until it ends. false: they are ordinary tasks (threaded handlers).
  bool hardirq = true;
  // Names a traced access for humans: given the address, the expression and the value,
  // sets *lhs ("main->__state") and *value ("TASK_PARKED"); either may be left empty.
  std::function<void(const void* addr, const char* what, uint64_t value, std::string* lhs,
                     std::string* text)>
      format_value;
};

class ControlledSys final : public Sys {
 public:
  ControlledSys();
  ~ControlledSys() override;

  // Runs one execution: boot() (called outside any task) spawns the initial tasks and
  // returns the root task, whose exit ends the run once the system is idle.
  const RunResult& Run(const std::function<TaskId()>& boot, Strategy& strategy,
                       const RunOptions& options);

  // Introspection for strategies.
  int NumTasks() const { return ntasks_; }
  // A store buffer lane's pseudo-task (tso, pso): ids from FirstDrainer() on.
  bool IsDrainer(TaskId t) const { return t >= first_drainer_ && t < kMaxTasks; }
  // The first pseudo-task id: kMaxTasks under sc (none), the task limit.
  TaskId FirstDrainer() const { return first_drainer_; }
  // A task, or under tso/pso a store buffer's pseudo-task (ids past NumTasks()).
  bool Exists(TaskId t) const { return t < ntasks_ || (tso_ && IsDrainer(t)); }
  const Op& Pending(TaskId t) const { return tasks_[t].op; }
  int TaskCpu(TaskId t) const { return tasks_[t].cpu; }
  const char* TaskName(TaskId t) const { return tasks_[t].name; }
  // A hard interrupt handler (SpawnIrq under RunOptions::hardirq).
  bool IrqHandler(TaskId t) const { return !IsDrainer(t) && tasks_[t].irq; }
  // A hard interrupt handler that has not finished (pending or running).
  bool HardIrqLive() const { return hardirqs_live_ > 0; }
  // The task's pending step is the one with which its interrupts go off (IrqDisable).
  bool IrqOffWithNextStep(TaskId t) const { return !IsDrainer(t) && tasks_[t].irq_off_pending > 0; }

  // Sys.
  uint64_t Load(const void* addr, unsigned size, Order order, const char* fn,
                const char* what) override;
  void Store(void* addr, unsigned size, uint64_t value, Order order, const char* fn,
             const char* what) override;
  uint64_t ReadModifyWrite(void* addr, unsigned size, Rmw op, uint64_t arg, uint64_t expected,
                           Order order, const char* fn, const char* what) override;
  void Fence(Order order, const char* fn) override;
  void SpinUntil(const std::function<bool()>& pred, const void* const* watch, int nwatch,
                 const char* fn, const char* what) override;
  void Lock(LockWord* lock, const char* fn, const char* what) override;
  void Unlock(LockWord* lock, const char* fn, const char* what) override;
  TaskId Spawn(void (*entry)(void*), void* arg, const char* name, int cpu,
               TaskId* id_slot) override;
  [[noreturn]] void Exit() override;
  TaskId Current() override { return cur_; }
  bool Block(const WaitInfo& info) override;
  void MakeRunnable(TaskId task, int cpu) override;
  uint64_t Now() override { return now_; }
  void PreemptDisable() override;
  void PreemptEnable() override;
  void IrqDisable() override;
  void IrqEnable() override;
  TaskId SpawnIrq(void (*entry)(void*), void* arg, const char* name, int cpu,
                  TaskId* id_slot) override;
  TaskId Interrupted() override;
  void SetWakeCondition(std::function<bool()> cond, const char* text) override;
  bool EvaluatingOracle() const override { return evaluating_; }
  void Finding(const char* oracle, const char* file, int line, const char* what,
               const char* fn) override;
  bool Tracing() const override { return options_.trace; }
  void Note(std::string text) override;
  // CPU hotplug's stopper (controlled_hotplug.cc).
  int TasksOnCpu(int cpu, TaskId** out, int max) override;
  void StopCpu(int cpu) override;
  void StopCpuEnd() override;
  void MigrateTask(TaskId task, int cpu) override;

 private:
  struct Task {
    Context ctx = nullptr;
    Op op;
    bool finished = false;
    bool permit = false;
    bool permit_kept = false;  // a wakeup that came after its timer or stray one (Block)
    bool timed_out = false;
    bool stray = false;      // the injected stray wakeup ended its sleep
    int cpu = 0;
    int preempt = 0;
    int irq_off = 0;            // local_irq_disable() depth
    int irq_off_pending = 0;    // disabled since its last step: in force from its next
    bool irq = false;           // a hard interrupt handler (RunOptions::hardirq)
    TaskId interrupted = kNoTask;  // irq: the task it interrupted at its start
    uint64_t since = 0;     // virtual time its pending operation was announced
    uint64_t deadline = 0;  // kBlock with a timeout: when the timer fires; 0 = none
    WaitInfo wait;
    std::function<bool()> wake_cond;
    const char* wake_text = nullptr;
    const std::function<bool()>* spin_pred = nullptr;
    LockWord* lock = nullptr;
    const char* name = "";
    void (*entry)(void*) = nullptr;
    void* arg = nullptr;
    int parent_step = -1;
    uint64_t since_block = 0;  // steps run since it last blocked (livelock oracle)
    // tso: the task may start only once its creator's CPU has drained the stores it
    // pushed before this mark.
    int start_cpu = -1;
    uint64_t start_mark = 0;
    // pso: the words it stored since its last step that waited for an empty buffer, in
    // order of their first store; a word's index picks its lane (controlled_tso.cc).
    std::vector<const void*> lane_words;
    int64_t last_ran = -1;     // its last step, or the step before it was spawned
    TaskId* id_slot = nullptr;  // Spawn's (TasksOnCpu)
    // stop_one_cpu(): the CPU it runs on as that CPU's stopper, keeping every other task
    // off it, and the CPU it came from. -1: not a stopper.
    int stopper_of = -1;
    int home_cpu = -1;
  };

  static void TaskMain(Transfer t);
  // Seam calls made while the runtime itself evaluates a predicate (a spin condition, a
  // wake condition) act directly: they are not steps and never schedule.
  bool Direct() const { return cur_ == kNoTask || evaluating_; }
  // Evaluates `f` as task `t` would (so `current` is t), without scheduling.
  bool EvalAs(TaskId t, const std::function<bool()>& f) const;
  Task& Cur() { return tasks_[cur_]; }
  void Announce(OpKind kind, const char* fn, const char* what);
  void Yield();
  void Schedule();
  // The tasks that may run; *cpu_blocked gets those that could run but for another task
  // holding their CPU with preemption disabled.
  uint32_t Enabled(uint32_t* cpu_blocked) const;
  // The task that keeps each CPU from other tasks: an interrupt handler that has started,
  // else a task with preemption or interrupts disabled (not asleep). kNoTask if none.
  void CpuHolders(TaskId holder[64]) const;
  // True if task i, held off its CPU by `holder`, may still start there: a hard
  // interrupt handler, over a task that has interrupts enabled.
  bool IrqMayStart(int i, TaskId holder) const;
  // The stopper's operations wait for a CPU other than their own (controlled_hotplug.cc).
  bool StopperEnabled(int i, const TaskId holder[64]) const;
  bool HandleIdle();
  // Ends the execution with finding `livelock` if the oracle's condition holds.
  void CheckLivelock();
  bool FireTimer(TaskId timer);
  // A blocked task whose timer the strategy may fire before the machine is idle.
  static bool ExpiresEarly(const Task& t) { return t.wait.early_expiry && t.deadline != 0; }
  // A blocked task the strategy may wake as a stray waker would (spurious wakeup).
  bool StrayWakeable(const Task& t) const { return t.wait.stray_wakeups && strays_left_ > 0; }
  // Blocked tasks whose early timer or stray wakeup the strategy may choose.
  bool WakeableChoice(const Task& t) const { return ExpiresEarly(t) || StrayWakeable(t); }
  void RecordStep(TaskId next, uint32_t enabled, uint32_t cpu_blocked);
  void SwitchTo(TaskId next);
  void StoreJumperContext(Context c);
  [[noreturn]] void End(Outcome outcome, std::string message);
  // Ends with a finding named `oracle` (Outcome::kFinding).
  [[noreturn]] void EndFinding(const char* oracle, std::string message);
  void TraceValue(const void* addr, uint64_t value);
  // tso (controlled_tso.cc).
  bool Tso() const { return tso_; }
  // Adds the tso conditions to task i's enabledness: false if it must wait.
  bool TsoEnabled(int i, uint32_t* cpu_blocked) const;
  uint32_t EnabledDrainers() const;
  void ResetBuffers();
  void RefreshDrainer(int cpu);
  // The lane of a buffered store by the current task to `addr` (pso; 0 under tso).
  int LaneFor(const void* addr);
  void Drain(TaskId drainer, uint32_t enabled, uint32_t cpu_blocked);
  uint64_t TsoLoad(const void* addr, unsigned size);
  void TraceBuffered(int cpu, const void* addr, uint64_t value, const char* how);
  std::string Lhs(const void* addr, const char* what, uint64_t value) const;
  std::string WaitChain(TaskId from, std::vector<std::string>* details) const;
  std::string Describe(TaskId t) const;

  StackPool stacks_;
  Task tasks_[kMaxTasks];
  int ntasks_ = 0;
  mutable TaskId cur_ = kNoTask;
  TaskId jumper_ = kNoTask;
  TaskId root_ = kNoTask;
  TaskId last_ = kNoTask;
  TaskId cpu_task_[64];              // the task that last ran a step on each CPU
  uint32_t prev_enabled_ = 0;        // the enabled set at the previous scheduling point
  int32_t enabled_by_[kMaxTasks];    // see StepRecord::enabled_by
  Context main_ctx_ = nullptr;
  uint64_t now_ = 0;
  bool timer_fired_ = false;  // the next step is a timer's: ordered after everything
  int strays_left_ = 0;       // stray wakeups this execution may still inject
  int hardirqs_live_ = 0;     // hard interrupt handlers spawned and not yet finished
  bool ended_ = false;
  mutable bool evaluating_ = false;
  Strategy* strategy_ = nullptr;
  bool tso_ = false;  // store buffers: tso or pso
  bool pso_ = false;  // ... with a lane per word
  int lanes_ = 1;
  TaskId first_drainer_ = kMaxTasks;
  StoreBuffers buffers_;
  RunOptions options_;
  RunResult result_;
};

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_CONTROLLED_SYS_H_
