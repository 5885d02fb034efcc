// wait.cc -- kernel/sched/wait.c (prepare_to_wait*, finish_wait, __wake_up_common) and the
// ___wait_event() loop of include/linux/wait.h.
#include "impl/kernel/wait.h"

#include "impl/kernel/bug.h"
#include "impl/platform/proto_event.h"

namespace kt {

void init_waitqueue_head(wait_queue_head* wq) {
  spin_lock_init(&wq->lock);
  INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(wait_queue_entry* e, unsigned int flags) {
  e->flags = flags;
  e->priv = current;
  e->func = autoremove_wake_function;
  INIT_LIST_HEAD(&e->entry);
}

// autoremove_wake_function() -- default_wake_function() (try_to_wake_up with the wake
// mode), and on success take the entry off the queue.
int autoremove_wake_function(wait_queue_entry* e, unsigned mode, int sync) {
  int ret = try_to_wake_up(e->priv, mode, sync);
  if (ret) list_del_init(&e->entry);
  return ret;
}

// prepare_to_wait() -- kernel/sched/wait.c: "We use set_current_state() _after_ the
// wait-queue add, because we need a memory barrier there on SMP, so that any wake-function
// that tests for the wait-queue being active will be guaranteed to see waitqueue addition
// _or_ subsequent tests in this thread will see the wakeup having taken place."
void prepare_to_wait(wait_queue_head* wq, wait_queue_entry* e, unsigned int state) {
  unsigned long flags = 0;
  e->flags &= ~WQ_FLAG_EXCLUSIVE;
  raw_spin_lock_irqsave(&wq->lock, flags);
  if (list_empty(&e->entry)) list_add(&e->entry, &wq->head);  // __add_wait_queue()
  set_current_state(state);
  kt_proto(ProtoEv::kWaitPrepare, kNoTask, 0);  // queued whatever signal is pending
  raw_spin_unlock_irqrestore(&wq->lock, flags);
}

// prepare_to_wait_exclusive() -- v5.x+: returns true if the queue was empty.
bool prepare_to_wait_exclusive(wait_queue_head* wq, wait_queue_entry* e, unsigned int state) {
  unsigned long flags = 0;
  bool was_empty = false;
  e->flags |= WQ_FLAG_EXCLUSIVE;
  raw_spin_lock_irqsave(&wq->lock, flags);
  if (list_empty(&e->entry)) {
    was_empty = list_empty(&wq->head);
    list_add_tail(&e->entry, &wq->head);  // __add_wait_queue_entry_tail()
  }
  set_current_state(state);
  raw_spin_unlock_irqrestore(&wq->lock, flags);
  return was_empty;
}

// prepare_to_wait_event() -- enqueue (tail if exclusive) and set the sleep state under
// the queue lock, or report a pending signal for an interruptible sleep.
long prepare_to_wait_event(wait_queue_head* wq, wait_queue_entry* e, unsigned int state) {
  unsigned long flags = 0;
  long ret = 0;
  raw_spin_lock_irqsave(&wq->lock, flags);
  if (signal_pending_state(state, current)) {
    list_del_init(&e->entry);
    ret = -ERESTARTSYS;
  } else {
    if (list_empty(&e->entry)) {
      if (e->flags & WQ_FLAG_EXCLUSIVE)
        list_add_tail(&e->entry, &wq->head);
      else
        list_add(&e->entry, &wq->head);
    }
    set_current_state(state);
  }
  kt_proto(ProtoEv::kWaitPrepare, kNoTask, ret != 0);  // still under wq->lock
  raw_spin_unlock_irqrestore(&wq->lock, flags);
  return ret;
}

// finish_wait() -- back to RUNNING; dequeue if a wakeup did not already do it.
void finish_wait(wait_queue_head* wq, wait_queue_entry* e) {
  __set_current_state(TASK_RUNNING);
  kt_proto(ProtoEv::kWaitFinish);
  if (!list_empty(&e->entry)) {  // list_empty_careful()
    unsigned long flags = 0;
    raw_spin_lock_irqsave(&wq->lock, flags);
    list_del_init(&e->entry);
    raw_spin_unlock_irqrestore(&wq->lock, flags);
  }
}

// __wake_up() -> __wake_up_common(): call each entry's function; an exclusive entry that
// was woken counts against nr_exclusive.
void __wake_up(wait_queue_head* wq, unsigned int mode, int nr_exclusive) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&wq->lock, flags);
  list_head* pos = wq->head.next;
  while (pos != &wq->head) {
    list_head* next = pos->next;
    wait_queue_entry* curr = list_entry(pos, wait_queue_entry, entry);
    unsigned int eflags = curr->flags;
    int ret = curr->func(curr, mode, 0);
    if (ret && (eflags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive) break;
    pos = next;
  }
  raw_spin_unlock_irqrestore(&wq->lock, flags);
}

// __might_sleep() -- the WARN_ONCE of CONFIG_DEBUG_ATOMIC_SLEEP.
void might_sleep(const char* fn) {
  unsigned int state = kt_load(&current->__state, Order::kOnce, fn, "get_current_state()");
  if (state != TASK_RUNNING)
    sys().Warn(__FILE__, __LINE__,
               "WARN_ONCE(state != TASK_RUNNING): do not call blocking ops when !TASK_RUNNING",
               fn);
}

namespace {

// ___wait_event() -- include/linux/wait.h, v4.14+ text:
//   init_wait_entry(&e, exclusive ? WQ_FLAG_EXCLUSIVE : 0);
//   for (;;) {
//     long __int = prepare_to_wait_event(&wq, &e, state);
//     if (condition) break;
//     if (___wait_is_interruptible(state) && __int) { __ret = __int; goto __out; }
//     cmd;
//   }
//   finish_wait(&wq, &e);
//   __out: __ret;
// `cond` is the macro's condition (for the timeout variants it also updates *ret, as
// ___wait_cond_timeout() does); `wake` is its side-effect-free form for the lost-wakeup
// oracle; `cmd` is the sleep.
long wait_event_loop(wait_queue_head* wq, const std::function<bool()>& cond,
                     const std::function<bool()>& wake, unsigned int state, long* ret,
                     const std::function<void()>& cmd, const char* text) {
  wait_queue_entry e;
  init_wait_entry(&e, 0);
  for (;;) {
    long intr = prepare_to_wait_event(wq, &e, state);
    if (cond()) break;
    if ((state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) && intr) {
      *ret = intr;
      return *ret;  // __out: the entry is already off the queue
    }
    sys().SetWakeCondition(wake, text);
    kt_annotate_wait("wait_event", nullptr);
    cmd();
    sys().SetWakeCondition({}, nullptr);
  }
  finish_wait(wq, &e);
  return *ret;
}

}  // namespace

long ___wait_event(wait_queue_head* wq, const std::function<bool()>& cond, unsigned int state,
                   const char* text) {
  long ret = 0;
  return wait_event_loop(wq, cond, cond, state, &ret, [] { schedule(); }, text);
}

// wait_event_timeout() / wait_event_interruptible_timeout(): might_sleep(), the outer
// test, then ___wait_event() with ___wait_cond_timeout(condition) and
// cmd = __ret = schedule_timeout(__ret).
long __wait_event_timeout(wait_queue_head* wq, const std::function<bool()>& cond,
                          unsigned int state, long timeout, const char* text) {
  long ret = timeout;
  // ___wait_cond_timeout(): a condition that holds at the deadline still counts (ret 1).
  auto cond_timeout = [&]() -> bool {
    bool c = cond();
    if (c && !ret) ret = 1;
    return c || !ret;
  };
  might_sleep();
  if (cond_timeout()) return ret;
  return wait_event_loop(wq, cond_timeout, cond, state, &ret,
                         [&ret] { ret = schedule_timeout(ret); }, text);
}

// __wait_event_freezable() -- v6.1+: TASK_INTERRUPTIBLE|TASK_FREEZABLE and a plain
// schedule(); freeze_task() may freeze the sleeper in place (TASK_FROZEN, the sleep
// state kept in saved_state). A frozen sleeper is not expected to wake even when its
// condition holds, so the lost-wakeup oracle only asks while it is not frozen.
long __wait_event_freezable(wait_queue_head* wq, const std::function<bool()>& cond,
                            const char* text) {
  long ret = 0;
  auto wake = [&cond]() -> bool { return READ_ONCE(current->__state) != TASK_FROZEN && cond(); };
  return wait_event_loop(wq, cond, wake, TASK_INTERRUPTIBLE | TASK_FREEZABLE, &ret,
                         [] { schedule(); }, text);
}

}  // namespace kt
