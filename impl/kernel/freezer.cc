// freezer.cc -- kernel/freezer.c (v6.7+: saved_state; 418146e39891 cleans it on thaw and
// 23ab79e8e469 thaws only frozen tasks),
// kthread_freezable_should_stop() of kernel/kthread.c, and task_call_func() of
// kernel/sched/core.c, which the freezer uses to change another task's state.
#include "impl/kernel/freezer.h"

#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/variants.h"

namespace kt {

FreezerGlobals freezer_globals;

void freezer_init_globals() {
  freezer_globals = FreezerGlobals{};
  spin_lock_init(&freezer_globals.freezer_lock);
}

namespace {

spinlock_t* freezer_lock() { return &freezer_globals.freezer_lock; }

// __task_needs_rq_lock() -- kernel/sched/core.c: pi_lock blocks try_to_wake_up(), so
// a blocked task needs no rq lock, once it has finished __schedule() (off its CPU).
bool __task_needs_rq_lock(task_struct* p) {
  unsigned int state = READ_ONCE(p->__state);
  if (state == TASK_RUNNING || state == TASK_WAKING) return true;
  smp_rmb();
  if (READ_ONCE(p->on_rq)) return true;
  smp_rmb();
  // smp_cond_load_acquire(&p->on_cpu, !VAL)
  const void* watch[] = {&p->on_cpu};
  sys().SpinUntil([p] { return READ_ONCE(p->on_cpu) == 0; }, watch, 1, __func__,
                  "smp_cond_load_acquire(&p->on_cpu, !VAL)");
  return false;
}

// task_call_func() -- call func(p) with p's state stable: p->pi_lock held, and p's rq
// lock too if p may be on a runqueue.
int task_call_func(task_struct* p, int (*func)(task_struct*, void*), void* arg) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&p->pi_lock, flags);
  rq* rq = nullptr;
  if (__task_needs_rq_lock(p)) {
    rq = task_rq(p);
    raw_spin_lock(&rq->lock);
  }
  int ret = func(p, arg);
  if (rq) raw_spin_unlock(&rq->lock);
  raw_spin_unlock_irqrestore(&p->pi_lock, flags);
  return ret;
}

unsigned int task_flags(task_struct* p) { return READ_ONCE(p->flags); }

// __set_task_frozen() -- a blocked task in a TASK_FREEZABLE (or stopped/traced) sleep is
// frozen in place; its sleep state moves to saved_state.
int __set_task_frozen(task_struct* p, void* arg) {
  (void)arg;
  unsigned int state = READ_ONCE(p->__state);
  if (READ_ONCE(p->on_rq)) return 0;
  if (p != current && READ_ONCE(p->on_cpu)) return 0;  // task_curr(p)
  if (!(state & (TASK_FREEZABLE | __TASK_STOPPED | __TASK_TRACED))) return 0;
  // Only TASK_NORMAL can be augmented with TASK_FREEZABLE, since they can suffer
  // spurious wakeups.
  if (state & TASK_FREEZABLE) WARN_ON_ONCE(!(state & TASK_NORMAL));
  WRITE_ONCE(p->saved_state, state);
  WRITE_ONCE(p->__state, TASK_FROZEN);
  return static_cast<int>(TASK_FROZEN);
}

bool __freeze_task(task_struct* p) {
  // TASK_FREEZABLE|TASK_STOPPED|TASK_TRACED -> TASK_FROZEN
  return task_call_func(p, __set_task_frozen, nullptr) != 0;
}

// __restore_freezer_state() -- restore the pre-freeze sleep state unless a wakeup was
// recorded in saved_state (then it is TASK_RUNNING and the caller wakes the task).
// Returns 1 if the state was restored.
int __restore_freezer_state(task_struct* p, void* arg) {
  (void)arg;
  unsigned int state = READ_ONCE(p->saved_state);
  if (kt_variant(Variant::kThawLosesStopWakeup)) {
    // BUG (variant): "restore what was saved", even when a wakeup consumed it: a task
    // woken while frozen gets __state = TASK_RUNNING but stays off the runqueue, and no
    // later wakeup matches it (kthread_stop()'s neither).
    WRITE_ONCE(p->__state, state);
    return 1;
  }
  if (state != TASK_RUNNING) {
    WRITE_ONCE(p->__state, state);
    WRITE_ONCE(p->saved_state, TASK_RUNNING);
    return 1;
  }
  return 0;
}

}  // namespace

// freezing() / freezing_slow_path() -- include/linux/freezer.h, kernel/freezer.c.
// Kernel threads freeze only once pm_nosig_freezing is set (freeze_kernel_threads()).
bool freezing(task_struct* p) {
  if (!READ_ONCE(freezer_globals.freezer_active)) return false;  // static_branch_unlikely
  unsigned int flags = task_flags(p);
  if (flags & (PF_NOFREEZE | PF_SUSPEND_TASK)) return false;
  if (READ_ONCE(freezer_globals.pm_nosig_freezing)) return true;
  if (READ_ONCE(freezer_globals.pm_freezing) && !(flags & PF_KTHREAD)) return true;
  return false;
}

bool frozen(task_struct* p) { return READ_ONCE(p->__state) & TASK_FROZEN; }

// __refrigerator() -- sleep in TASK_FROZEN until the freezer is done with us. saved_state
// is reset to TASK_RUNNING so that __thaw_task() wakes us instead of restoring a state.
bool __refrigerator(bool check_kthr_stop) {
  unsigned int state = READ_ONCE(current->__state);  // get_current_state()
  bool was_frozen = false;
  WARN_ON_ONCE(state && !(state & TASK_NORMAL));
  for (;;) {
    raw_spin_lock_irq(&current->pi_lock);
    set_current_state(TASK_FROZEN);
    // unstale saved_state so that __thaw_task() will wake us up
    WRITE_ONCE(current->saved_state, TASK_RUNNING);
    raw_spin_unlock_irq(&current->pi_lock);

    spin_lock_irq(freezer_lock());
    bool freeze = freezing(current) && !(check_kthr_stop && kthread_should_stop());
    spin_unlock_irq(freezer_lock());
    if (!freeze) break;

    was_frozen = true;
    sys().SetWakeCondition([] { return !freezing(current); }, "!freezing(current)");
    kt_annotate_wait("__refrigerator", nullptr);
    schedule();
    sys().SetWakeCondition({}, nullptr);
  }
  __set_current_state(TASK_RUNNING);
  return was_frozen;
}

// try_to_freeze() -- include/linux/freezer.h.
bool try_to_freeze() {
  might_sleep();
  if (!freezing(current)) return false;
  return __refrigerator(false);
}

// set_freezable() -- clear PF_NOFREEZE under freezer_lock, so that the freezer either
// notices we are not frozen yet or try_to_freeze() below sees the freezing condition.
bool set_freezable() {
  might_sleep();
  spin_lock_irq(freezer_lock());
  WRITE_ONCE(current->flags, current->flags & ~PF_NOFREEZE);
  spin_unlock_irq(freezer_lock());
  return try_to_freeze();
}

// freeze_task() -- freeze p in place if it sleeps freezable, else wake it (a kthread;
// user tasks would get a fake signal) so it reaches try_to_freeze(). Returns false if p
// is not freezing or is frozen now, true if the freezer must check it again.
bool freeze_task(task_struct* p) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(freezer_lock(), flags);
  if (!freezing(p) || frozen(p) || __freeze_task(p)) {
    raw_spin_unlock_irqrestore(freezer_lock(), flags);
    return false;
  }
  // fake_signal_wake_up() for user tasks is not modelled: the only user task is the one
  // running the suspend path, which is never freezing (PF_SUSPEND_TASK).
  wake_up_state(p, TASK_NORMAL);
  raw_spin_unlock_irqrestore(freezer_lock(), flags);
  return true;
}

// __thaw_task() -- restore the frozen sleeper's state, or wake it. A task that is not
// frozen is left alone (23ab79e8e469, v6.7).
void __thaw_task(task_struct* p) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(freezer_lock(), flags);
  if (WARN_ON_ONCE(freezing(p))) goto unlock;
  if (!frozen(p) || task_call_func(p, __restore_freezer_state, nullptr)) goto unlock;
  wake_up_state(p, TASK_FROZEN);
unlock:
  raw_spin_unlock_irqrestore(freezer_lock(), flags);
}

// kthread_freezable_should_stop() -- kernel/kthread.c.
bool kthread_freezable_should_stop(bool* was_frozen) {
  bool frozen = false;
  might_sleep();
  if (freezing(current)) frozen = __refrigerator(true);
  if (was_frozen) *was_frozen = frozen;
  return kthread_should_stop();
}

}  // namespace kt
