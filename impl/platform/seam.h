// seam.h -- the one interface between the kernel port (impl/) and whatever runs it.
//
// Every interaction between tasks in impl/ goes through `Sys`: shared-memory accesses
// (each naming its kernel ordering), locks, "block the current task", "make a task
// runnable", task creation and exit, CPU identity, and trace notes. No std::atomic,
// std::mutex, std::thread, clock or randomness appears in ported code.
//
// Two backends implement it:
//   - StdSys (impl/platform/std_sys.*): one OS thread per task, real blocking.
//   - ControlledSys (checker/runtime/*): user-space fibers, one task at a time, every
//     call below is a scheduling point chosen by the checker's strategy.
//
// Memory ordering: each access carries its kernel ordering (`Order`). The controlled
// runtime is sequentially consistent by default; under --memory-model=tso it gives each
// CPU a store buffer and honours kFull (smp_mb, smp_store_mb, value-returning atomics),
// unlock and schedule() by draining it (checker/runtime/store_buffer.h).
#ifndef KTHCHECK_IMPL_PLATFORM_SEAM_H_
#define KTHCHECK_IMPL_PLATFORM_SEAM_H_

#include <cstdint>
#include <functional>
#include <string>

namespace kt {

using TaskId = int32_t;
inline constexpr TaskId kNoTask = -1;

// The kernel's names for memory ordering at one access.
enum class Order : uint8_t {
  kPlain,    // plain C access (data-race free by locking)
  kOnce,     // READ_ONCE / WRITE_ONCE / test_bit / set_bit: no implied barrier
  kAcquire,  // smp_load_acquire, smp_cond_load_acquire, lock acquire
  kRelease,  // smp_store_release, lock release
  kFull,     // smp_mb(), smp_store_mb(), value-returning atomics
};

// Read-modify-write flavours of the kernel's atomics and bitops.
enum class Rmw : uint8_t { kXchg, kCmpxchg, kFetchOr, kFetchAndNot, kFetchAdd };

// What a blocked task waits for: the hang oracle prints it as one link of the
// wait-for chain ("main waits in kthread_stop for completion `exited` of T1").
struct WaitInfo {
  const char* what = "schedule()";  // the kernel call that sleeps
  const char* state = nullptr;      // the task state it sleeps in ("TASK_PARKED")
  TaskId waits_for = kNoTask;       // the task expected to end this wait, if one is known
  uint64_t timeout = 0;             // virtual ticks; 0 = no timeout
  bool idle = false;                // a daemon's idle sleep (kthreadd): never a hang
  // A timer interrupt the checker may fire early: besides expiring when every task is
  // blocked (late), a wait with a timeout may end by it at any scheduling point, as one
  // of the choices explored; virtual time then jumps to the deadline. Real threads
  // ignore it (their timeouts are real).
  bool early_expiry = false;
  // A sleep in TASK_NORMAL that any stray waker may end: an old wake_up_process() whose
  // caller still holds the task, a wait queue it has left, a signal. Kernel code must
  // tolerate such spurious wakeups, so under injection (RunOptions::stray_wakeups) the
  // checker may end this sleep at any scheduling point: Block() returns false and the
  // sleeper performs that wakeup itself (try_to_wake_up(p, TASK_NORMAL)). Real threads
  // ignore it.
  bool stray_wakeups = false;
};

// A spinlock word owned by the backend (raw_spinlock_t wraps one).
struct LockWord {
  TaskId owner = kNoTask;
  uint32_t impl = 0;  // backend scratch (StdSys: the spin word)
};

class Sys {
 public:
  virtual ~Sys() = default;

  // Shared memory. `what` is the accessed expression, for traces ("p->__state").
  virtual uint64_t Load(const void* addr, unsigned size, Order order, const char* fn,
                        const char* what) = 0;
  virtual void Store(void* addr, unsigned size, uint64_t value, Order order, const char* fn,
                     const char* what) = 0;
  // Returns the old value. For kCmpxchg, `arg` is the new value and the store happens
  // only if the old value equals `expected`. Value-returning RMWs are full barriers.
  virtual uint64_t ReadModifyWrite(void* addr, unsigned size, Rmw op, uint64_t arg,
                                   uint64_t expected, Order order, const char* fn,
                                   const char* what) = 0;
  virtual void Fence(Order order, const char* fn) = 0;

  // Spinning: the caller spins until `pred()` holds; `watch` names the words the
  // predicate reads (up to 3), so the checker knows which stores can end the spin.
  virtual void SpinUntil(const std::function<bool()>& pred, const void* const* watch,
                         int nwatch, const char* fn, const char* what) = 0;

  // raw_spin_lock / raw_spin_unlock. As in the kernel, holding a spinlock disables
  // preemption: no other task on the holder's CPU runs until the unlock.
  virtual void Lock(LockWord* lock, const char* fn, const char* what) = 0;
  virtual void Unlock(LockWord* lock, const char* fn, const char* what) = 0;

  // Tasks. Spawn starts `entry(arg)` as a new runnable task on `cpu`, storing its id in
  // *id_slot before the task can run (so nobody ever sees the slot unset).
  virtual TaskId Spawn(void (*entry)(void*), void* arg, const char* name, int cpu,
                       TaskId* id_slot) = 0;
  // Ends the current task (never returns).
  [[noreturn]] virtual void Exit() = 0;
  virtual TaskId Current() = 0;
  // Sleeps until MakeRunnable(current) (a permit: a MakeRunnable that comes first is
  // kept). Returns false if the backend ended the wait itself: its virtual timeout
  // expired, or (WaitInfo::stray_wakeups) the checker injected a stray wakeup. Either
  // way the sleeper then performs the wakeup that ended it, try_to_wake_up(TASK_NORMAL).
  virtual bool Block(const WaitInfo& info) = 0;
  virtual void MakeRunnable(TaskId task, int cpu) = 0;
  // Current virtual time in ticks (jiffies).
  virtual uint64_t Now() = 0;

  // Preemption control: while a task's count is non-zero, no other task on its CPU runs.
  virtual void PreemptDisable() = 0;
  virtual void PreemptEnable() = 0;

  // Interrupts (local_irq_disable/enable, the spinlocks' _irq/_irqsave forms): while a
  // task's count is non-zero, no interrupt handler starts on its CPU. Not scheduling
  // points. Real threads have no interrupt context and ignore them.
  virtual void IrqDisable() {}
  virtual void IrqEnable() {}
  // Spawns an interrupt handler, raised on `cpu`: `entry(arg)` must not sleep. The
  // checker may run it in hard interrupt context (RunOptions::hardirq): it starts at any
  // scheduling point where the CPU's task has interrupts enabled, even inside a
  // preempt_disable() region, and then runs to its end before that task resumes.
  // Otherwise, and on real threads, it is an ordinary task (a threaded handler).
  virtual TaskId SpawnIrq(void (*entry)(void*), void* arg, const char* name, int cpu,
                          TaskId* id_slot) {
    return Spawn(entry, arg, name, cpu, id_slot);
  }
  // In a hard interrupt handler: the task it interrupted, kNoTask if the CPU was idle.
  // Anywhere else: the current task itself (a threaded handler is its own context).
  virtual TaskId Interrupted() { return Current(); }

  // CPU hotplug: balance_push() (kernel/sched/core.c). Once a CPU is inactive, its
  // stopper pushes every task still queued there, other than per-CPU kthreads, to
  // another CPU. The port's hotplug thread plays that stopper:
  //   - TasksOnCpu: the id slots (Spawn's `id_slot`) of the tasks the backend may run on
  //     `cpu`, the current task and interrupt handlers excluded; at most `max`, returns
  //     how many. A snapshot for the caller to re-read under locks (task_cpu, on_rq): not
  //     a scheduling point. A backend without CPUs (real threads) returns all its tasks.
  //   - StopCpu: stop_one_cpu(). The current task waits until no task holds `cpu`
  //     (preemption or interrupts off, a spinlock, a hard interrupt), so that the task
  //     there could be preempted, and then runs on `cpu` as its stopper: no other task
  //     runs there until StopCpuEnd(), which brings it back to its own CPU. Under tso,
  //     the buffers of both CPUs drain first (the switches run __schedule()).
  //   - MigrateTask: __migrate_task() by that stopper: `task`, queued on the stopped CPU
  //     and so preempted, continues on `cpu`. The caller has already set task_cpu().
  // Real threads have no CPUs to move between: these only keep the calls in order.
  virtual int TasksOnCpu(int cpu, TaskId** out, int max) = 0;
  virtual void StopCpu(int cpu) = 0;
  virtual void StopCpuEnd() = 0;
  virtual void MigrateTask(TaskId task, int cpu) = 0;

  // Lost-wakeup oracle: the condition that should end the current task's next sleep.
  // Cleared with an empty function. Evaluated only when every task is blocked.
  virtual void SetWakeCondition(std::function<bool()> cond, const char* text) = 0;
  // True while the backend evaluates such a condition as its oracle, on behalf of a
  // blocked task: the reads are not the task's execution (proto_event.h emits nothing).
  virtual bool EvaluatingOracle() const { return false; }

  // Findings raised by ported code. Warn is WARN_ON / BUG_ON (oracle `warn`); Finding
  // names its oracle ("invariant:park_postcondition", "wrong_cpu").
  virtual void Finding(const char* oracle, const char* file, int line, const char* what,
                       const char* fn) = 0;
  void Warn(const char* file, int line, const char* cond, const char* fn) {
    Finding("warn", file, line, cond, fn);
  }

  // Trace notes ("state RUNNING -> PARKED"); Tracing() says whether anyone listens.
  virtual bool Tracing() const = 0;
  virtual void Note(std::string text) = 0;
};

// The backend running the current task. Set by the backend before tasks start.
Sys& sys();
void SetSys(Sys* s);
Sys* GetSys();  // may be null

}  // namespace kt

#endif  // KTHCHECK_IMPL_PLATFORM_SEAM_H_
