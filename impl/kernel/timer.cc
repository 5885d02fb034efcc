// timer.cc -- kernel/time/timer.c (v6.x), reduced to one timer base served by one
// ktimers thread (kernel/softirq.c, PREEMPT_RT). The base's pending timers are an
// unordered list instead of the timer wheel; expiry order (earliest first) is the same.
#include "impl/kernel/timer.h"

#include "impl/kernel/bug.h"
#include <cstdlib>
#include "impl/kernel/fork.h"

namespace kt {
namespace {

struct timer_base {
  raw_spinlock_t lock;
  timer_list* running_timer;  // the callback being run, read by timer_delete_sync()
  unsigned long next_expiry;  // earliest pending expiry, valid if timers_pending
  bool timers_pending;
  bool is_idle;  // ktimers sleeps: a new earliest timer must wake it
  list_head pending;
};

struct TimerGlobals {
  timer_base base;
  task_struct* ktimers;
};
TimerGlobals g;

timer_base* lock_timer_base(timer_list* timer, unsigned long* flags) {
  (void)timer;
  raw_spin_lock_irqsave(&g.base.lock, *flags);
  return &g.base;
}

// __next_timer_interrupt() -- the earliest pending expiry (base->lock held).
void __next_timer_interrupt(timer_base* base) {
  base->timers_pending = false;
  for (list_head* pos = base->pending.next; pos != &base->pending; pos = pos->next) {
    timer_list* t = container_of(pos, timer_list, entry);
    if (!base->timers_pending || time_before(t->expires, base->next_expiry))
      base->next_expiry = t->expires;
    base->timers_pending = true;
  }
}

// The earliest expired timer, or nullptr (base->lock held).
timer_list* first_expired_timer(timer_base* base) {
  timer_list* first = nullptr;
  unsigned long now = jiffies;
  for (list_head* pos = base->pending.next; pos != &base->pending; pos = pos->next) {
    timer_list* t = container_of(pos, timer_list, entry);
    if (time_after_eq(now, t->expires) && (!first || time_before(t->expires, first->expires)))
      first = t;
  }
  return first;
}

void detach_timer(timer_list* timer) { list_del_init(&timer->entry); }

int detach_if_pending(timer_list* timer, timer_base* base) {
  (void)base;
  if (!timer_pending(timer)) return 0;
  detach_timer(timer);
  return 1;
}

// enqueue_timer() + trigger_dyntick_cpu(): a timer that expires before everything the
// sleeping ktimers waits for must wake it, so that it sleeps until the new expiry.
void enqueue_timer(timer_base* base, timer_list* timer) {
  list_add_tail(&timer->entry, &base->pending);
  if (!base->timers_pending || time_before(timer->expires, base->next_expiry)) {
    base->next_expiry = timer->expires;
    base->timers_pending = true;
    if (base->is_idle) sys().MakeRunnable(g.ktimers->tid, static_cast<int>(task_cpu(g.ktimers)));
  }
}

// expire_timers() -- one expired timer: running_timer is set and the timer detached
// under base->lock, the callback runs with the lock dropped (TIMER_IRQSAFE path).
void expire_timer(timer_base* base, timer_list* timer) {
  WRITE_ONCE(base->running_timer, timer);
  detach_timer(timer);
  void (*fn)(timer_list*) = timer->function;
  raw_spin_unlock(&base->lock);
  fn(timer);  // call_timer_fn()
  raw_spin_lock(&base->lock);
  WRITE_ONCE(base->running_timer, nullptr);
}

// __run_timers() -- run every timer whose expiry has come, earliest first.
void __run_timers(timer_base* base) {
  raw_spin_lock_irq(&base->lock);
  base->is_idle = false;  // timer_clear_idle()
  while (timer_list* timer = first_expired_timer(base)) expire_timer(base, timer);
  raw_spin_unlock_irq(&base->lock);
}

// The timer interrupt: ktimers waits at the seam for the earliest expiry, as the tick
// hardware does, and not through schedule(): the sleep and wakeup of the softirq thread
// itself are not part of the protocols checked here (and would multiply their
// interleavings). The callbacks run in its softirq context (run_ktimerd(),
// kernel/softirq.c, PREEMPT_RT). A new earliest timer re-programs the wait
// (enqueue_timer() -> MakeRunnable); a re-program that comes before the wait is kept
// (the seam's permit), so none is lost.
int ktimerd(void* unused) {
  (void)unused;
  timer_base* base = &g.base;
  for (;;) {
    raw_spin_lock_irq(&base->lock);
    __next_timer_interrupt(base);
    bool pending = base->timers_pending;
    unsigned long next = base->next_expiry;
    base->is_idle = true;
    raw_spin_unlock_irq(&base->lock);
    unsigned long now = jiffies;
    if (!pending) {
      // No timer pending: a daemon's wait, never a hang.
      sys().SetWakeCondition([base] { return base->timers_pending; }, "base->timers_pending");
      sys().Block(WaitInfo{"ktimers: no timer pending", nullptr, kNoTask, 0, /*idle=*/true});
      sys().SetWakeCondition({}, nullptr);
    } else if (time_before(now, next)) {
      // Until the earliest expiry. Under the checker the wait may also end at any
      // scheduling point (early expiry), besides when the whole machine is idle.
      WaitInfo info{"ktimers: until the earliest expiry", nullptr, kNoTask, next - now,
                    /*idle=*/true};
      info.early_expiry = !std::getenv("KT_LATE");
      sys().Block(info);
    }
    __run_timers(base);
  }
}

}  // namespace

void timers_init_globals() {
  g = TimerGlobals{};
  raw_spin_lock_init(&g.base.lock);
  INIT_LIST_HEAD(&g.base.pending);
}

task_struct* ktimers_task() { return g.ktimers; }

// timer_setup() -- include/linux/timer.h. The first call of a kernel instance also
// spawns ktimers (see timer.h), on the last CPU.
void timer_setup(timer_list* timer, void (*func)(timer_list*), unsigned int flags) {
  INIT_LIST_HEAD(&timer->entry);
  timer->function = func;
  timer->flags = flags;
  timer->expires = 0;
  if (!g.ktimers)
    g.ktimers = kernel_thread(ktimerd, nullptr, "ktimers", PF_KTHREAD | PF_NOFREEZE,
                              std::getenv("KT_TCPU") ? std::atoi(std::getenv("KT_TCPU")) : nr_cpu_ids() - 1);
}

// timer_pending() -- hlist_unhashed_lockless(): callers may test it without the lock.
bool timer_pending(const timer_list* timer) { return !list_empty(&timer->entry); }

// __mod_timer() for add_timer(): (re)queue with timer->expires.
static int __mod_timer(timer_list* timer, unsigned long expires) {
  unsigned long flags = 0;
  timer_base* base = lock_timer_base(timer, &flags);
  int ret = detach_if_pending(timer, base);
  timer->expires = expires;
  enqueue_timer(base, timer);
  raw_spin_unlock_irqrestore(&base->lock, flags);
  return ret;
}

// add_timer() -- the timer must not be pending.
void add_timer(timer_list* timer) {
  if (WARN_ON_ONCE(timer_pending(timer))) return;
  __mod_timer(timer, timer->expires);
}

// timer_delete() -- deactivate; does not wait for a running callback.
int timer_delete(timer_list* timer) {
  int ret = 0;
  if (timer_pending(timer)) {
    unsigned long flags = 0;
    timer_base* base = lock_timer_base(timer, &flags);
    ret = detach_if_pending(timer, base);
    raw_spin_unlock_irqrestore(&base->lock, flags);
  }
  return ret;
}

// try_to_del_timer_sync() -- -1 while the callback runs, else deactivate.
static int try_to_del_timer_sync(timer_list* timer) {
  unsigned long flags = 0;
  timer_base* base = lock_timer_base(timer, &flags);
  int ret = -1;
  if (base->running_timer != timer) ret = detach_if_pending(timer, base);
  raw_spin_unlock_irqrestore(&base->lock, flags);
  return ret;
}

// timer_delete_sync() -- deactivate and wait for a running callback to return. The
// callback must not be waited for with a lock it takes (kthread_cancel_delayed_work_timer()
// drops worker->lock first).
int timer_delete_sync(timer_list* timer) {
  int ret;
  do {
    ret = try_to_del_timer_sync(timer);
    if (ret < 0) {
      // del_timer_wait_running(); cpu_relax(): until the callback has returned.
      timer_base* base = &g.base;
      const void* watch[] = {&base->running_timer};
      sys().SpinUntil([base, timer] { return READ_ONCE(base->running_timer) != timer; }, watch,
                      1, __func__, "base->running_timer != timer");
    }
  } while (ret < 0);
  return ret;
}

}  // namespace kt
