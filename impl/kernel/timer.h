// timer.h -- jiffies and a minimal timer_list (include/linux/timer.h, kernel/time/timer.c,
// v6.x), enough for kthread_delayed_work.
//
// Timer callbacks run in a timer "softirq" thread, `ktimers`, as on PREEMPT_RT (there the
// per-CPU ktimers/N threads run TIMER_SOFTIRQ): it sleeps with schedule_timeout() until
// the earliest expiry, then runs every expired timer's function with base->lock dropped
// (the TIMER_IRQSAFE path of expire_timers()). One ktimers thread serves the whole
// machine; it is spawned by the first timer_setup() of a kernel instance, standing for
// the boot-time spawn, so that scenarios without timers carry no extra task.
//
// When a timer fires is a scheduling choice. ktimers's sleep is marked `early_expiry`
// (seam.h): under the checker it ends either when every task is blocked and its deadline
// is the earliest (late expiry) or at any scheduling point while other tasks run (early
// expiry: virtual time jumps to the deadline). Under real threads it is a real timeout.
//
// |               | add_timer()                      | timer_delete_sync()             |
// |---------------+----------------------------------+---------------------------------|
// | idle          | enqueue; wake ktimers if earliest| returns 0                       |
// | pending       | WARN (already pending)           | detach, returns 1               |
// | fn running    | enqueue (fn may re-arm it)       | waits until fn returns, retries |
//
// Memory ordering: everything before add_timer() is visible to the callback (both take
// base->lock); timer_delete_sync() returns after the callback's last access.
#ifndef KTHCHECK_IMPL_KERNEL_TIMER_H_
#define KTHCHECK_IMPL_KERNEL_TIMER_H_

#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"
#include "impl/kernel/spinlock.h"

namespace kt {

// jiffies: the virtual clock, one tick per millisecond (HZ=1000). Reading it is not a
// scheduling point (the kernel reads it without any ordering either).
inline unsigned long kt_jiffies() { return static_cast<unsigned long>(sys().Now()); }
#define jiffies (::kt::kt_jiffies())
#define time_after(a, b) (static_cast<long>((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) (static_cast<long>((a) - (b)) >= 0)
inline unsigned long msecs_to_jiffies(unsigned int m) { return m; }

inline constexpr unsigned int TIMER_IRQSAFE = 0x00200000;

struct timer_list {
  list_head entry;  // hlist_node in the kernel; empty = not pending
  unsigned long expires;
  void (*function)(timer_list*);
  unsigned int flags;
};

// container_of() / from_timer(): the structure that embeds `ptr` as `member`.
#define container_of(ptr, type, member) list_entry(ptr, type, member)
#define from_timer(type, callback_timer, timer_fieldname) \
  container_of(callback_timer, type, timer_fieldname)

// Resets the timer base of a new kernel instance (called from kernel_boot()).
void timers_init_globals();

void timer_setup(timer_list* timer, void (*func)(timer_list*), unsigned int flags);
// Caller holds no lock of the base; may be called with other locks held (irqsafe).
bool timer_pending(const timer_list* timer);
void add_timer(timer_list* timer);
int timer_delete(timer_list* timer);
int timer_delete_sync(timer_list* timer);

// The ktimers task, or nullptr before the first timer_setup().
task_struct* ktimers_task();

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_TIMER_H_
