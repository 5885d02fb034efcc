// wait.cc -- kernel/sched/wait.c (prepare_to_wait_event, finish_wait, __wake_up_common).
#include "impl/kernel/wait.h"

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
  raw_spin_unlock_irqrestore(&wq->lock, flags);
  return ret;
}

// finish_wait() -- back to RUNNING; dequeue if a wakeup did not already do it.
void finish_wait(wait_queue_head* wq, wait_queue_entry* e) {
  __set_current_state(TASK_RUNNING);
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

long ___wait_event(wait_queue_head* wq, const std::function<bool()>& cond, unsigned int state,
                   const char* text) {
  wait_queue_entry e;
  long ret = 0;
  init_wait_entry(&e, 0);
  for (;;) {
    long intr = prepare_to_wait_event(wq, &e, state);
    if (cond()) break;
    if ((state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) && intr) {
      ret = intr;
      return ret;  // __out: the entry is already off the queue
    }
    sys().SetWakeCondition(cond, text);
    kt_annotate_wait("wait_event", nullptr);
    schedule();
    sys().SetWakeCondition({}, nullptr);
  }
  finish_wait(wq, &e);
  return ret;
}

}  // namespace kt
