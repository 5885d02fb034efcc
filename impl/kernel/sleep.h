// sleep.h -- msleep() and msleep_interruptible() (kernel/time/sleep_timeout.c) on the
// virtual clock: one tick is one millisecond (HZ=1000).
#ifndef KTHCHECK_IMPL_KERNEL_SLEEP_H_
#define KTHCHECK_IMPL_KERNEL_SLEEP_H_

namespace kt {

// Sleeps TASK_UNINTERRUPTIBLE until the whole time has passed; wakeups do not end it.
void msleep(unsigned int msecs);
// Sleeps TASK_INTERRUPTIBLE; returns early (the ms left) once a signal is pending, which
// kthread_stop() makes true through TIF_NOTIFY_SIGNAL (v6.1+).
unsigned long msleep_interruptible(unsigned int msecs);
// usleep_range() -- an hrtimer sleep in TASK_UNINTERRUPTIBLE; on the millisecond clock
// it sleeps max_us rounded up to whole ticks (at least one).
void usleep_range(unsigned long min_us, unsigned long max_us);
// cond_resched() -- a voluntary preemption point. Under the checker every seam call is
// already one (the port models a fully preemptible kernel), so it adds no step.
inline void cond_resched() {}
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_SLEEP_H_
