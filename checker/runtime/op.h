// op.h -- what one scheduling step does to shared state, as the checker sees it.
//
// Each step of a task performs exactly one seam operation (then runs task-local code up
// to its next seam call). The operation's accesses -- object identity and read/write --
// are all the partial-order reduction needs: two steps of different tasks are dependent
// iff they access a common object and one of them writes it.
//
// Besides memory words and lock words, a synthetic object makes blocking visible as an
// access: permit(t) -- Block() consumes task t's wakeup permit, MakeRunnable(t) grants it.
// Under spurious-wakeup injection a strayable sleep is two steps, kSleep then kBlock:
// whether a stray wakeup can come before the real one depends on which of the sleeper's
// kSleep and the waker's MakeRunnable comes first, so they conflict (both write permit).
//
// Under tso a plain, ONCE or release store only enters its CPU's store buffer: it touches
// no shared object. The drain step that writes it to memory (a step of the CPU's buffer
// pseudo-task, store_buffer.h) is the write that dependence sees. A load accesses its
// object whether or not it forwards from the buffer: the drain of the forwarded store
// decides which of the two it does, so the two must be ordered by the search.
// Under pso each lane of a buffer is a pseudo-task of its own; a drain that a barrier
// holds behind other lanes adds no access (controlled_tso.cc RefreshDrainer says why).
//
// Preemption-disabled regions (preempt_disable, and spinlocks, which disable preemption
// as in the kernel) are not accesses: they only make the other tasks of the CPU wait.
// Two steps whose order they constrain but which touch no common object commute, so the
// search does not order them; a race between a task and a step inside another task's
// region on its CPU is reversed at the point where the region began (dpor.cc).
//
// CPU hotplug moves tasks between CPUs (balance_push(): a stopper takes a CPU and
// migrates the tasks queued there). Which CPU a task is on decides which tasks keep it
// off its CPU, which store buffer its stores enter, and what smp_processor_id() says.
// So a synthetic object cpu(c) stands for "the set of tasks on CPU c": the stopper's
// steps (kStopCpu, kMigrate, kStopCpuEnd) write cpu(c) for each CPU they change, and in
// an execution that has such a step, every step reads cpu(c) of the CPU it runs on
// (dpor.cc adds that read; it is not stored here). Steps that only read it commute.
#ifndef KTHCHECK_CHECKER_RUNTIME_OP_H_
#define KTHCHECK_CHECKER_RUNTIME_OP_H_

#include <cstdint>

#include "impl/platform/seam.h"

namespace kt::rt {

enum class OpKind : uint8_t {
  kStart,       // a new task's first step (no access; ordered after its creator)
  kLoad,
  kStore,
  kRmw,
  kSpin,        // SpinUntil: enabled only once its predicate holds
  kLock,        // enabled only while the lock is free
  kUnlock,
  kBlock,       // enabled only while the task holds a wakeup permit
  kWake,        // MakeRunnable
  kPreemptOff,
  kPreemptOn,
  kFence,       // smp_mb() under tso: enabled only once the CPU's store buffer is empty
  kDrain,       // tso/pso: a store buffer lane writes its oldest store to memory
  kSleep,       // spurious-wakeup injection: the task goes to sleep (writes permit(t), so
                // the search orders it against MakeRunnable(t)); only after it may a stray
                // wakeup end the sleep
  kStopCpu,     // stop_one_cpu(): enabled once no task holds Op::cpu; the task then runs
                // there as the CPU's stopper (writes cpu(Op::cpu))
  kMigrate,     // the stopper moves a preempted task to Op::cpu (writes both CPUs)
  kStopCpuEnd,  // the stopper is done: back to its own CPU (writes both CPUs)
};
const char* OpKindName(OpKind k);

struct Access {
  uintptr_t obj;
  bool write;
};

inline constexpr int kMaxAccesses = 4;
inline uintptr_t PermitObj(TaskId t) { return 0x100 + static_cast<uintptr_t>(t); }
inline uintptr_t CpuObj(int cpu) { return 0x200 + static_cast<uintptr_t>(cpu); }
inline bool IsCpuObj(uintptr_t obj) { return obj >= 0x200 && obj < 0x240; }
// The stopper's operations, the only ones that move a task to another CPU.
inline bool MovesCpu(OpKind k) {
  return k == OpKind::kStopCpu || k == OpKind::kMigrate || k == OpKind::kStopCpuEnd;
}

struct Op {
  OpKind kind = OpKind::kStart;
  uint8_t nacc = 0;
  Access acc[kMaxAccesses] = {};
  const char* fn = "";    // the kernel function performing it
  const char* what = "";  // the accessed expression
  uint64_t value = 0;     // stored value (stores), filled in for loads when tracing
  // tso (store_buffer.h): the operation waits until its CPU's store buffer is empty (a
  // full barrier, a value-returning atomic, an unlock, schedule(), a wakeup) ...
  bool drain_first = false;
  // ... or, for a store, it goes into the buffer instead of memory.
  bool buffered = false;
  // kStopCpu: the CPU to stop; kMigrate: the CPU the task moves to.
  int8_t cpu = -1;

  void Add(uintptr_t obj, bool write) { acc[nacc++] = Access{obj, write}; }
};

// True if the two operations touch a common object and at least one writes it.
bool Dependent(const Op& a, const Op& b);

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_OP_H_
