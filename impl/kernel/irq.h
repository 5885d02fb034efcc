// irq.h -- a device interrupt raised on a CPU (kernel/irq/, reduced to what a waker in
// interrupt context does to the sleep/wakeup protocols).
//
// raise_irq() raises one interrupt on `cpu`; its handler runs once. Under the checker
// (RunOptions::hardirq, the default) it runs in hard interrupt context: it may start at
// any scheduling point where the CPU's task has interrupts enabled, inside a
// preempt_disable() region too, and runs to its end before that task resumes; `current`
// in the handler is the interrupted task (the idle task if the CPU was idle), so a
// handler that wakes the task it interrupted takes try_to_wake_up()'s `p == current`
// path. With --irq=threaded, and on real threads, the handler is a thread of its own
// (request_threaded_irq()'s irq/N-name), scheduled like any task.
#ifndef KTHCHECK_IMPL_KERNEL_IRQ_H_
#define KTHCHECK_IMPL_KERNEL_IRQ_H_

#include "impl/kernel/sched.h"

namespace kt {

inline constexpr int IRQ_NONE = 0;
inline constexpr int IRQ_HANDLED = 1;
using irq_handler_t = int (*)(int irq, void* dev_id);

void raise_irq(unsigned int cpu, int irq, irq_handler_t handler, void* dev_id, const char* name);

// local_irq_disable() / local_irq_enable(): no interrupt starts on this CPU in between.
inline void local_irq_disable() { sys().IrqDisable(); }
inline void local_irq_enable() { sys().IrqEnable(); }

// in_hardirq(): the current context is a hard interrupt handler.
bool in_hardirq();

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_IRQ_H_
