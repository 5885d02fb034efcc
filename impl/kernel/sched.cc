// sched.cc -- the scheduler core the kthread protocols depend on (kernel/sched/core.c,
// v6.x semantics as written down in kernel-semantics.md sections 2-4).
#include "impl/kernel/sched.h"

#include <climits>

#include "impl/kernel/bug.h"
#include "impl/kernel/irq.h"
#include "impl/kthread/kthread.h"
#include "impl/variants.h"
#include "impl/platform/proto_event.h"

namespace kt {

SchedGlobals sched_globals;

void sched_init(int nr_cpus) {
  sched_globals = SchedGlobals{};
  sched_globals.nr_cpu_ids = nr_cpus;
  unsigned long all = (1UL << nr_cpus) - 1;  // every CPU online and active
  sched_globals.cpu_masks = all << cpu_mask_bit(CPU_MASK_ONLINE, 0) |
                            all << cpu_mask_bit(CPU_MASK_ACTIVE, 0);
}

int nr_cpu_ids() { return sched_globals.nr_cpu_ids; }

// The masks change under CPU hotplug, so they are read with READ_ONCE like the kernel's
// test_bit on cpu_online_mask.
cpu_masks read_cpu_masks() { return cpu_masks{READ_ONCE(sched_globals.cpu_masks)}; }

// cpu_online(), cpu_active(), cpu_dying() -- include/linux/cpumask.h.
bool cpu_online(unsigned int cpu) { return read_cpu_masks().online(cpu); }
bool cpu_active(unsigned int cpu) { return read_cpu_masks().active(cpu); }
bool cpu_dying(unsigned int cpu) { return read_cpu_masks().dying(cpu); }

task_struct* CurrentTask::get() const {
  TaskId t = sys().Current();
  return t == kNoTask ? nullptr : sched_globals.task_by_tid[t];
}

// The CPU the current task runs on. A task's cpu changes while it is blocked (at its
// wakeup), or while CPU hotplug's stopper holds its CPU (balance_push()), so the task
// itself never sees it change under it. Not a scheduling point; read atomically because
// real threads have no stopper to order the move with the task's own run.
int smp_processor_id() { return static_cast<int>(kt_peek(current->cpu)); }

const char* task_state_name(unsigned int state) {
  switch (state) {
    case TASK_RUNNING: return "TASK_RUNNING";
    case TASK_INTERRUPTIBLE: return "TASK_INTERRUPTIBLE";
    case TASK_UNINTERRUPTIBLE: return "TASK_UNINTERRUPTIBLE";
    case TASK_PARKED: return "TASK_PARKED";
    case TASK_DEAD: return "TASK_DEAD";
    case TASK_WAKING: return "TASK_WAKING";
    case TASK_NEW: return "TASK_NEW";
    case TASK_IDLE: return "TASK_IDLE";
    case TASK_KILLABLE: return "TASK_KILLABLE";
    case TASK_FROZEN: return "TASK_FROZEN";
    case TASK_INTERRUPTIBLE | TASK_FREEZABLE: return "TASK_INTERRUPTIBLE|TASK_FREEZABLE";
    default: return "TASK_?";
  }
}

// __set_current_state() -- include/linux/sched.h: WRITE_ONCE, no barrier.
void __set_current_state(unsigned int state, const char* fn) {
  kt_store(&current->__state, state, Order::kOnce, fn, "current->__state");
}

// set_current_state() -- include/linux/sched.h: smp_store_mb(). The full barrier orders
// the state store before the caller's condition load; it pairs with the barrier after
// try_to_wake_up() takes pi_lock, so "CONDITION = 1; wake_up" is never missed.
void set_current_state(unsigned int state, const char* fn) {
  kt_store(&current->__state, state, Order::kFull, fn, "current->__state");
}

// set_special_state() -- include/linux/sched.h. Under pi_lock, so an older wakeup whose
// state match already happened (it holds pi_lock until its TASK_RUNNING store) cannot
// overwrite the special state afterwards.
void set_special_state(unsigned int state, const char* fn) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&current->pi_lock, flags);
  kt_store(&current->__state, state, Order::kOnce, fn, "current->__state");
  raw_spin_unlock_irqrestore(&current->pi_lock, flags);
}

// signal_pending() -- TIF_SIGPENDING or TIF_NOTIFY_SIGNAL (v5.11+).
bool signal_pending(task_struct* p) {
  unsigned long ti = READ_ONCE(p->thread_flags);
  return (ti >> TIF_SIGPENDING & 1) || (ti >> TIF_NOTIFY_SIGNAL & 1);
}

// signal_pending_state() -- include/linux/sched/signal.h. Only interruptible (any
// signal) and wakekill (fatal signal) sleeps are aborted; kthreads get no fatal signals.
bool signal_pending_state(unsigned int state, task_struct* p) {
  if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL))) return false;
  if (!signal_pending(p)) return false;
  return state & TASK_INTERRUPTIBLE;
}

void preempt_disable() { sys().PreemptDisable(); }
void preempt_enable() { sys().PreemptEnable(); }
void preempt_enable_no_resched() { sys().PreemptEnable(); }
void sched_preempt_enable_no_resched() { sys().PreemptEnable(); }

void kt_annotate_wait(const char* what, task_struct* waits_for) {
  current->kt_wait.what = what;
  current->kt_wait.waits_for = waits_for ? waits_for->tid : kNoTask;
}

void kt_annotate_private_sleep() { current->kt_private_sleep = true; }


void set_task_cpu(task_struct* p, unsigned int new_cpu) { WRITE_ONCE(p->cpu, new_cpu); }

static int ttwu_remote(task_struct* p, unsigned int state, int wake_flags);

// The context switch away from a task that dequeued itself: finish_task() clears
// on_cpu with a release store (pairs with smp_cond_load_acquire in try_to_wake_up),
// then the task is off the CPU until enqueued. A timeout that expires is the timer
// interrupt's process_timeout() -> wake_up_process(), run here on the sleeper's behalf.
static void context_switch_out(task_struct* prev, uint64_t timeout) {
  smp_store_release(&prev->on_cpu, 0);
  WaitInfo info = prev->kt_wait;
  info.timeout = timeout;
  if (!sys().Block(info)) {
    // The timer's process_timeout(), or an injected stray waker: wake_up_process(prev).
    if (sys().Tracing()) sys().Note("wake_up_process() on the sleeper's behalf");
    kt_proto(ProtoEv::kWakeIntent, prev->tid, kWakeTimeout);
    if (ttwu_remote(prev, TASK_NORMAL, 0)) {
      sys().Block(WaitInfo{"enqueue after timeout"});  // consumes the wakeup just made
    } else {
      sys().Block(prev->kt_wait);
    }
  }
  WRITE_ONCE(prev->on_cpu, 1);  // switched back in
}

// __schedule() -- kernel/sched/core.c (try_to_block_task() in v6.12+).
static void __schedule(bool preempt, uint64_t timeout) {
  task_struct* prev = current;
  rq* rq = task_rq(prev);
  // Interrupts stay off from here until the task is switched back in (the kernel
  // re-enables them in finish_task_switch()): an interrupt must not wake the task
  // between its dequeue and the switch.
  local_irq_disable();
  raw_spin_lock(&rq->lock);
  smp_mb__after_spinlock();  // pairs with the barrier in try_to_wake_up()
  unsigned int prev_state = READ_ONCE(prev->__state);
  bool block = false;
  if (!preempt && prev_state) {
    if (signal_pending_state(prev_state, prev)) {
      kt_proto(ProtoEv::kScheduleDecide, kNoTask, kSchedSignalPending);
      WRITE_ONCE(prev->__state, TASK_RUNNING);
    } else {
      kt_proto(ProtoEv::kScheduleDecide, kNoTask, kSchedBlocks);
      WRITE_ONCE(prev->on_rq, 0);  // deactivate_task()
      block = true;
    }
  } else if (!preempt) {
    kt_proto(ProtoEv::kScheduleDecide, kNoTask, kSchedKeepsRunning);
  }
  raw_spin_unlock(&rq->lock);
  if (block) {
    prev->kt_wait.state = task_state_name(prev_state);
    // Any TASK_NORMAL sleep may see a spurious wakeup (the freezer's comment in
    // __set_task_frozen() relies on it too); special states are immune (ttwu's match).
    // kthreadd's idle sleep is left out: its loop re-tests the list by construction, and
    // each injection point there would multiply the search for nothing.
    prev->kt_wait.stray_wakeups =
        (prev_state & TASK_NORMAL) && !prev->kt_private_sleep && !prev->kt_wait.idle;
    context_switch_out(prev, timeout);
  }
  prev->kt_wait = WaitInfo{};
  prev->kt_private_sleep = false;
  local_irq_enable();
}

// schedule() -- __schedule() runs with preemption off (the kernel also holds the rq lock
// across the switch): nothing else runs on this CPU between dequeuing the task and
// switching away from it, which is when finish_task() clears on_cpu.
void schedule() {
  preempt_disable();
  __schedule(false, 0);
  sched_preempt_enable_no_resched();
}

// schedule_preempt_disabled() -- enable without rescheduling, sleep, disable again.
void schedule_preempt_disabled() {
  sched_preempt_enable_no_resched();
  schedule();
  preempt_disable();
}

// schedule_timeout() -- kernel/time/sleep_timeout.c. The timer is the seam's virtual
// timeout on the sleep; it only matters if the task really blocks.
long schedule_timeout(long timeout) {
  if (timeout == MAX_SCHEDULE_TIMEOUT) {
    schedule();
    return timeout;
  }
  uint64_t expire = sys().Now() + static_cast<uint64_t>(timeout);
  preempt_disable();
  __schedule(false, static_cast<uint64_t>(timeout));
  sched_preempt_enable_no_resched();
  uint64_t now = sys().Now();
  return now >= expire ? 0 : static_cast<long>(expire - now);
}

// __task_state_match() -- 1: __state matches, -1: saved_state matches, 0: neither.
// `ttwu`: the caller is try_to_wake_up(), whose decision is this read of __state (the
// protocol event, proto_event.h; the later reads cannot change it).
// `*seen` (if given) gets the __state value the decision was made on.
static int __task_state_match(task_struct* p, unsigned int state, bool ttwu = false,
                              unsigned int* seen = nullptr) {
  unsigned int cur = READ_ONCE(p->__state);
  if (seen) *seen = cur;
  // BUG (variant): any sleep matches, whatever state the waker names.
  bool any = kt_variant(Variant::kTtwuMatchesAnySleep) && cur != TASK_RUNNING;
  if (ttwu) kt_proto(ProtoEv::kTtwuStateMatch, p->tid, any || (cur & state) != 0);
  if (any) return 1;
  if (cur & state) return 1;
  if (READ_ONCE(p->saved_state) & state) return -1;
  return 0;
}

// ttwu_state_match() -- a match on saved_state only records the wakeup there (the task
// keeps sleeping in TASK_FROZEN/RTLOCK_WAIT until its owner restores the state).
static bool ttwu_state_match(task_struct* p, unsigned int state, int* success) {
  unsigned int seen = 0;
  int match = __task_state_match(p, state, /*ttwu=*/true, &seen);
  if (!match) return false;
  // Invariant 7 (section 18, special-state exclusivity): a park ends only by a wakeup
  // naming TASK_PARKED (kthread_unpark), a freeze only by one naming TASK_FROZEN (thaw).
  // Checked on the value the match read (pi_lock is held, so it is still current); a
  // second read would be a scheduling point of its own.
  if (match > 0) {
    unsigned int special = seen & (TASK_PARKED | TASK_FROZEN);
    kt_invariant("special_state", !special || (state & special));
  }
  *success = 1;
  if (match < 0) {
    WRITE_ONCE(p->saved_state, TASK_RUNNING);
    return false;
  }
  return true;
}

// ttwu_do_wakeup() -- the TASK_RUNNING store that ends the sleep.
static void ttwu_do_wakeup(task_struct* p) {
  WRITE_ONCE(p->__state, TASK_RUNNING);
  kt_proto(ProtoEv::kTtwuDoWakeup, p->tid);
}

// ttwu_runnable() -- p has not finished schedule() (or was preempted): still queued, so
// storing TASK_RUNNING makes its pending schedule() return without dequeuing.
static int ttwu_runnable(task_struct* p) {
  rq* rq = task_rq(p);
  raw_spin_lock(&rq->lock);
  int ret = 0;
  if (READ_ONCE(p->on_rq)) {
    ttwu_do_wakeup(p);
    ret = 1;
  }
  raw_spin_unlock(&rq->lock);
  return ret;
}

// is_cpu_allowed() -- kernel/sched/sched.h (v6.14). Per-CPU kthreads may run on an
// online CPU that is no longer active; regular kthreads may not stay on a dying one.
// migrate_disable() is not modelled, and neither is task_cpu_possible().
bool is_cpu_allowed(task_struct* p, unsigned int cpu, const cpu_masks& m) {
  /* When not in the task's cpumask, no point in looking further. */
  if (!(p->cpus_mask >> cpu & 1)) return false;

  /* Non kernel threads are not allowed during either online or offline. */
  if (!(kt_peek(p->flags) & PF_KTHREAD)) return m.active(cpu);

  /* KTHREAD_IS_PER_CPU is always allowed. */
  /* Regular kernel threads don't get to stay during offline. */
  // The two tests are swapped: kthread_is_per_cpu() is an access (test_bit), and only on
  // a dying CPU do they give different answers; outside hotplug every wakeup would pay
  // one more access for nothing.
  if (m.dying(cpu)) return kthread_is_per_cpu(p) && m.online(cpu);

  /* But are allowed during online. */
  return m.online(cpu);
}

// select_fallback_rq() -- kernel/sched/core.c: the first allowed CPU of the task's
// mask; if there is none, the task loses its binding (the cpuset and possible states
// both give every CPU here: "process %d no longer affine to cpu%d").
unsigned int select_fallback_rq(unsigned int cpu, task_struct* p) {
  (void)cpu;
  cpu_masks m = read_cpu_masks();
  for (int state = 0;; ++state) {
    for (unsigned int dest_cpu = 0; dest_cpu < static_cast<unsigned int>(nr_cpu_ids());
         ++dest_cpu)
      if (is_cpu_allowed(p, dest_cpu, m)) return dest_cpu;
    if (WARN_ON(state > 0)) return 0;  // BUG(): no CPU can run it at all
    do_set_cpus_allowed(p, (1UL << nr_cpu_ids()) - 1);  // state possible
  }
}

// select_task_rq() -- keep the wake CPU when the task is allowed there; otherwise the
// class picks one of its allowed CPUs (the lowest, here), and select_fallback_rq() if
// none is.
static unsigned int select_task_rq(task_struct* p, unsigned int cpu) {
  cpu_masks m = read_cpu_masks();
  if (is_cpu_allowed(p, cpu, m)) return cpu;
  for (unsigned int c = 0; c < static_cast<unsigned int>(nr_cpu_ids()); ++c)
    if (is_cpu_allowed(p, c, m)) return c;
  return select_fallback_rq(cpu, p);
}

// ttwu_queue() -> ttwu_do_activate(): enqueue on the target rq, then TASK_RUNNING.
// The task can only run once the rq lock is dropped, hence MakeRunnable inside it.
static void ttwu_queue(task_struct* p, unsigned int cpu) {
  rq* rq = task_rq(p);
  raw_spin_lock(&rq->lock);
  WRITE_ONCE(p->on_rq, 1);  // activate_task()
  ttwu_do_wakeup(p);
  sys().MakeRunnable(p->tid, static_cast<int>(cpu));
  raw_spin_unlock(&rq->lock);
}

// try_to_wake_up() for p != current: the steps of kernel-semantics.md section 2.3. The
// remote-wakelist shortcut (ttwu_queue_wakelist) is not modelled: the waker always waits
// for on_cpu == 0 itself, which the kernel also does when the shortcut is not taken.
static int ttwu_remote(task_struct* p, unsigned int state, int wake_flags) {
  (void)wake_flags;
  unsigned long flags = 0;
  int success = 0;
  raw_spin_lock_irqsave(&p->pi_lock, flags);
  // Pairs with set_current_state()'s smp_mb in the sleeper.
  if (!kt_variant(Variant::kTtwuNoBarrier)) smp_mb__after_spinlock();
  if (!ttwu_state_match(p, state, &success)) goto unlock;
  smp_rmb();
  if (READ_ONCE(p->on_rq) && ttwu_runnable(p)) goto unlock;
  WRITE_ONCE(p->__state, TASK_WAKING);
  {
    // smp_cond_load_acquire(&p->on_cpu, !VAL): wait for p's schedule() to finish.
    const void* watch[] = {&p->on_cpu};
    sys().SpinUntil([p] { return READ_ONCE(p->on_cpu) == 0; }, watch, 1, __func__,
                    "smp_cond_load_acquire(&p->on_cpu, !VAL)");
    unsigned int cpu = select_task_rq(p, p->wake_cpu);
    if (task_cpu(p) != cpu) set_task_cpu(p, cpu);
    ttwu_queue(p, cpu);
  }
unlock:
  raw_spin_unlock_irqrestore(&p->pi_lock, flags);
  return success;
}

// try_to_wake_up() -- kernel/sched/core.c.
int try_to_wake_up(task_struct* p, unsigned int state, int wake_flags) {
  if (p == current) {
    // Waking current: no lock needed, serialized against set_special_state() because
    // that one runs with interrupts off.
    int success = 0;
    if (ttwu_state_match(p, state, &success)) ttwu_do_wakeup(p);
    return success;
  }
  return ttwu_remote(p, state, wake_flags);
}

int wake_up_process(task_struct* p) { return try_to_wake_up(p, TASK_NORMAL, 0); }
int wake_up_state(task_struct* p, unsigned int state) { return try_to_wake_up(p, state, 0); }

// wait_task_inactive() -- kernel/sched/core.c (v6.x): returns non-zero once p is off the
// CPU and off the runqueue in a state matching `match_state`, 0 if p's state changed.
// The kernel's busy-wait (cpu_relax) and its one-tick sleep while p is still queued are
// both "wait until something about p changes" here (SpinUntil on p's fields).
unsigned long wait_task_inactive(task_struct* p, unsigned int match_state) {
  const void* watch[] = {&p->on_cpu, &p->on_rq, &p->__state};
  for (;;) {
    while (READ_ONCE(p->on_cpu)) {
      if (!(READ_ONCE(p->__state) & match_state)) return 0;  // task_state_match()
      sys().SpinUntil(
          [p, match_state] {
            return !READ_ONCE(p->on_cpu) || !(READ_ONCE(p->__state) & match_state);
          },
                      watch, 3, __func__, "cpu_relax() while task_on_cpu(p)");
    }
    unsigned long flags = 0;
    raw_spin_lock_irqsave(&p->pi_lock, flags);  // task_rq_lock()
    rq* rq = task_rq(p);
    raw_spin_lock(&rq->lock);
    bool running = READ_ONCE(p->on_cpu);
    bool queued = READ_ONCE(p->on_rq);
    unsigned long ncsw = 0;
    if (int match = __task_state_match(p, match_state)) {
      if (match < 0) queued = true;
      ncsw = 1UL | static_cast<unsigned long>(LONG_MIN);
    }
    raw_spin_unlock(&rq->lock);
    raw_spin_unlock_irqrestore(&p->pi_lock, flags);
    if (!ncsw) return 0;
    if (running) continue;
    if (queued) {
      // schedule_hrtimeout(1 tick) in a loop: wait until p leaves the runqueue or its
      // state stops matching.
      sys().SpinUntil(
          [p, match_state] {
            return !READ_ONCE(p->on_rq) || !(READ_ONCE(p->__state) & match_state) ||
                   READ_ONCE(p->on_cpu);
          },
          watch, 3, __func__, "schedule_hrtimeout() while task_on_rq_queued(p)");
      continue;
    }
    return ncsw;
  }
}

// do_set_cpus_allowed() -- caller holds p->pi_lock.
void do_set_cpus_allowed(task_struct* p, unsigned long new_mask) { p->cpus_mask = new_mask; }

// wake_up_new_task() -- kernel/sched/core.c: TASK_NEW -> TASK_RUNNING, pick a CPU,
// enqueue. The seam starts the task's code here.
void wake_up_new_task(task_struct* p) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&p->pi_lock, flags);
  WRITE_ONCE(p->__state, TASK_RUNNING);
  unsigned int cpu = select_task_rq(p, task_cpu(p));
  set_task_cpu(p, cpu);
  rq* rq = task_rq(p);
  raw_spin_lock(&rq->lock);
  WRITE_ONCE(p->on_rq, 1);  // activate_task()
  raw_spin_unlock(&rq->lock);
  raw_spin_unlock_irqrestore(&p->pi_lock, flags);
}

}  // namespace kt
