// controlled_hotplug.cc -- the seam's stopper operations (seam.h: TasksOnCpu, StopCpu,
// StopCpuEnd, MigrateTask) in the controlled runtime: how CPU hotplug's balance_push()
// moves a task that is still queued on a CPU going offline.
//
// In the kernel the dying CPU's stopper thread, the highest-priority task there, runs
// __balance_push_cpu_stop(): it can start only where the task on that CPU could be
// preempted (never inside its preempt-off, irq-off or spinlock region), and while it
// runs nothing else runs on that CPU. The port's hotplug thread plays the stopper:
// StopCpu moves it onto the stopped CPU as that CPU's holder (CpuHolders), MigrateTask
// changes the preempted task's CPU, StopCpuEnd brings the stopper home.
//
// The partial-order reduction sees each of the three as a write of cpu(c) for the CPUs
// it changes (op.h); dpor.cc makes every step of an execution that has one read cpu(c)
// of the CPU it runs on, so the move is ordered against the steps of the moved task and
// of every task on both CPUs.
//
// Under tso (store_buffer.h) the kernel's migration passes through rq locks, which order
// everything: the stopped CPU's buffer (the moved task's stores) and the stopper's own
// drain before it takes that CPU, and its buffer drains again before each move and
// before it goes home, so a moved task never leaves its stores in another CPU's buffer.
#include <string>

#include "checker/runtime/check.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::rt {

int ControlledSys::TasksOnCpu(int cpu, TaskId** out, int max) {
  int n = 0;
  for (int i = 0; i < ntasks_ && n < max; ++i) {
    const Task& t = tasks_[i];
    if (i != cur_ && !t.finished && !t.irq && t.cpu == cpu && t.id_slot) out[n++] = t.id_slot;
  }
  return n;
}

// A stopper's operation waits for the CPU it is about to hold (kStopCpu: no task may
// hold it) or to come back to (kStopCpuEnd: its home CPU, as any task waking there).
bool ControlledSys::StopperEnabled(int i, const TaskId holder[64]) const {
  const Task& t = tasks_[i];
  switch (t.op.kind) {
    case OpKind::kStopCpu:
      if (tso_ && !buffers_.Empty(t.op.cpu)) return false;
      return holder[t.op.cpu] == kNoTask;
    case OpKind::kStopCpuEnd:
      return holder[t.home_cpu] == kNoTask || holder[t.home_cpu] == i;
    default:
      return true;
  }
}

void ControlledSys::StopCpu(int cpu) {
  if (Direct()) return;
  KT_CHECK(Cur().stopper_of < 0, "stop_one_cpu() from a stopper");
  KT_CHECK(cpu >= 0 && cpu < kBufferCpus, "stop_one_cpu() of a CPU the runtime does not have");
  Announce(OpKind::kStopCpu, "stop_one_cpu", "");
  Task& t = Cur();
  t.op.cpu = static_cast<int8_t>(cpu);
  t.op.Add(CpuObj(cpu), true);
  t.op.drain_first = tso_;  // the stopper's own CPU switches away from it
  Yield();
  Task& me = Cur();
  me.home_cpu = me.cpu;
  me.cpu = cpu;
  me.stopper_of = cpu;
}

void ControlledSys::MigrateTask(TaskId task, int cpu) {
  if (Direct()) return;
  Task& t = Cur();
  KT_CHECK(t.stopper_of >= 0, "a task migrated by someone that is not a stopper");
  KT_CHECK(task >= 0 && task < ntasks_ && tasks_[task].cpu == t.stopper_of,
           "a stopper migrated a task that is not on its CPU");
  KT_CHECK(cpu >= 0 && cpu < kBufferCpus, "a task migrated to a CPU the runtime does not have");
  Announce(OpKind::kMigrate, "__migrate_task", tasks_[task].name);
  t.op.cpu = static_cast<int8_t>(cpu);
  t.op.value = static_cast<uint64_t>(task);  // StepRecord::moved
  t.op.Add(CpuObj(t.stopper_of), true);
  t.op.Add(CpuObj(cpu), true);
  // The stopper's stores under the task's locks (set_task_cpu()) are visible before the
  // task can run on its new CPU: the new rq's lock orders them.
  t.op.drain_first = tso_;
  Yield();
  Task& m = tasks_[task];
  int from = m.cpu;
  m.cpu = cpu;
  if (options_.trace)
    Note(std::string("migrates ") + m.name + " from CPU" + std::to_string(from) + " to CPU" +
         std::to_string(cpu));
}

void ControlledSys::StopCpuEnd() {
  if (Direct()) return;
  Task& t = Cur();
  KT_CHECK(t.stopper_of >= 0, "stop_one_cpu() ended by a task that is not a stopper");
  Announce(OpKind::kStopCpuEnd, "stop_one_cpu", "");
  t.op.cpu = static_cast<int8_t>(t.home_cpu);
  t.op.Add(CpuObj(t.stopper_of), true);
  t.op.Add(CpuObj(t.home_cpu), true);
  t.op.drain_first = tso_;  // nothing of the stopper's stays in the stopped CPU's buffer
  Yield();
  Task& me = Cur();
  me.cpu = me.home_cpu;
  me.stopper_of = -1;
  me.home_cpu = -1;
}

}  // namespace kt::rt
