// irq.cc -- raise_irq(): see irq.h.
#include "impl/kernel/irq.h"

#include "impl/kernel/fork.h"
#include "impl/platform/arena.h"

namespace kt {
namespace {

struct IrqArgs {
  task_struct* thread;  // the handler's own task (its context when threaded)
  int irq;
  irq_handler_t handler;
  void* dev_id;
};

// The idle task of `cpu` (swapper/N): `current` for an interrupt of an idle CPU.
task_struct* idle_task(unsigned int cpu) {
  auto* p = ArenaNew<task_struct>();
  p->__state = TASK_RUNNING;
  p->cpu = p->wake_cpu = cpu;
  p->comm = "swapper";
  p->tid = kNoTask;
  return p;
}

// handle_irq(): in hard interrupt context `current` is whoever the interrupt found on
// the CPU, so the seam id of the handler maps to that task while the handler runs.
void irq_entry(void* raw) {
  auto* a = static_cast<IrqArgs*>(raw);
  TaskId self = a->thread->tid;
  TaskId interrupted = sys().Interrupted();
  task_struct* ctx = a->thread;
  if (interrupted != self)
    ctx = interrupted == kNoTask ? idle_task(a->thread->cpu) : sched_globals.task_by_tid[interrupted];
  sched_globals.task_by_tid[self] = ctx;
  a->handler(a->irq, a->dev_id);
  sys().Exit();
}

}  // namespace

void raise_irq(unsigned int cpu, int irq, irq_handler_t handler, void* dev_id, const char* name) {
  auto* p = ArenaNew<task_struct>();
  p->__state = TASK_RUNNING;
  p->comm = kstrdup(name);
  p->cpu = p->wake_cpu = cpu;
  p->cpus_mask = 1UL << cpu;
  auto* a = ArenaNew<IrqArgs>(IrqArgs{p, irq, handler, dev_id});
  sys().SpawnIrq(irq_entry, a, p->comm, static_cast<int>(cpu), &p->tid);
}

bool in_hardirq() {
  TaskId t = sys().Current();
  return t != kNoTask && sys().Interrupted() != t;
}

}  // namespace kt
