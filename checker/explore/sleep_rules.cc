// sleep_rules.cc -- see sleep_rules.h.
#include "checker/explore/sleep_rules.h"

namespace kt::explore {
namespace {

// Whether `op` moves a task onto or off `cpu` (it writes cpu(c), op.h).
bool WritesCpu(const rt::Op& op, int cpu) {
  for (int i = 0; i < op.nacc; ++i)
    if (op.acc[i].obj == rt::CpuObj(cpu) && op.acc[i].write) return true;
  return false;
}

}  // namespace

// Besides their common objects, a step of the CPU hotplug stopper that moves tasks onto
// or off a CPU depends on every step that runs on that CPU (op.h: each reads cpu(c)).
bool DependentPending(const rt::ControlledSys& rt, TaskId a, TaskId b) {
  const rt::Op& x = rt.Pending(a);
  const rt::Op& y = rt.Pending(b);
  if (rt::Dependent(x, y)) return true;
  return (rt::MovesCpu(x.kind) && WritesCpu(x, rt.TaskCpu(b))) ||
         (rt::MovesCpu(y.kind) && WritesCpu(y, rt.TaskCpu(a)));
}

// Whether running `sleeper`'s pending step could disable `chosen`, which touches no
// common object: a step that begins a region without preemption (preempt_disable, a
// spinlock, or the step with which interrupts go off: controlled_seam.cc IrqDisable)
// keeps the other tasks of its CPU off it; and a hard interrupt handler may start only
// where its CPU's task has interrupts on, which that task's next step may change; once
// started, it keeps every other task off its CPU. Such a sleeper may not be put to
// sleep: the order "sleeper first" was explored, but not what `chosen` does before the
// sleeper.
bool MayDisable(const rt::ControlledSys& rt, TaskId sleeper, TaskId chosen) {
  if (rt.IsDrainer(sleeper) || rt.IsDrainer(chosen)) return false;
  if (rt.TaskCpu(sleeper) != rt.TaskCpu(chosen)) return false;
  rt::OpKind k = rt.Pending(sleeper).kind;
  if (k == rt::OpKind::kPreemptOff || k == rt::OpKind::kLock) return true;
  if (rt.IrqOffWithNextStep(sleeper)) return true;
  // A hard interrupt handler's start takes the CPU from every task on it.
  if (rt.IrqHandler(sleeper) && k == rt::OpKind::kStart) return true;
  return rt.IrqHandler(chosen) && rt.Pending(chosen).kind == rt::OpKind::kStart;
}

}  // namespace kt::explore
