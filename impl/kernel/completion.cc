// completion.cc -- kernel/sched/completion.c (v5.7+, swait based).
#include "impl/kernel/completion.h"

#include <string>

namespace kt {

void init_completion(completion* x, const char* name, task_struct* owner) {
  x->done = 0;
  raw_spin_lock_init(&x->wait.lock);  // init_swait_queue_head()
  INIT_LIST_HEAD(&x->wait.task_list);
  x->kt_name = name;
  x->kt_owner = owner;
}

static void note_done(completion* x) {
  if (sys().Tracing()) sys().Note(std::string(x->kt_name) + ".done = " + std::to_string(x->done));
}

// swake_up_locked() -- wake the first waiter and take it off the list.
static void swake_up_locked(swait_queue_head* q) {
  if (list_empty(&q->task_list)) return;
  swait_queue* curr = list_first_entry(&q->task_list, swait_queue, task_list);
  try_to_wake_up(curr->task, TASK_NORMAL, 0);
  list_del_init(&curr->task_list);
}

// complete() -- done++ (saturating at UINT_MAX, which complete_all uses), wake one.
void complete(completion* x) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&x->wait.lock, flags);
  if (x->done != UINT_MAX_DONE) x->done++;
  note_done(x);
  swake_up_locked(&x->wait);
  raw_spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(completion* x) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&x->wait.lock, flags);
  x->done = UINT_MAX_DONE;
  note_done(x);
  while (!list_empty(&x->wait.task_list)) swake_up_locked(&x->wait);
  raw_spin_unlock_irqrestore(&x->wait.lock, flags);
}

// do_wait_for_common() -- the waiter re-queues itself at the tail on every iteration
// (outside-the-loop queueing was the 2019 RT lockup, bug B25).
static long do_wait_for_common(completion* x, unsigned int state) {
  long timeout = MAX_SCHEDULE_TIMEOUT;
  if (!x->done) {
    swait_queue wait{current, {}};
    INIT_LIST_HEAD(&wait.task_list);
    do {
      if (signal_pending_state(state, current)) {
        timeout = -512;  // -ERESTARTSYS
        break;
      }
      if (list_empty(&wait.task_list)) list_add_tail(&wait.task_list, &x->wait.task_list);
      __set_current_state(state);
      raw_spin_unlock_irq(&x->wait.lock);
      // The lost-wakeup oracle's view of this sleep: it should end once done > 0.
      sys().SetWakeCondition([x] { return x->done > 0; }, "x->done > 0");
      kt_annotate_wait(x->kt_name, x->kt_owner);
      timeout = schedule_timeout(timeout);
      sys().SetWakeCondition({}, nullptr);
      raw_spin_lock_irq(&x->wait.lock);
    } while (!x->done && timeout);
    if (!list_empty(&wait.task_list)) list_del_init(&wait.task_list);  // __finish_swait()
    if (!x->done) return timeout;
  }
  if (x->done != UINT_MAX_DONE) x->done--;
  note_done(x);
  return timeout ? timeout : 1;
}

static long wait_for_common(completion* x, unsigned int state) {
  raw_spin_lock_irq(&x->wait.lock);
  long timeout = do_wait_for_common(x, state);
  raw_spin_unlock_irq(&x->wait.lock);
  return timeout;
}

void wait_for_completion(completion* x) { wait_for_common(x, TASK_UNINTERRUPTIBLE); }

int wait_for_completion_killable(completion* x) {
  long t = wait_for_common(x, TASK_KILLABLE);
  return t < 0 ? static_cast<int>(t) : 0;
}

bool try_wait_for_completion(completion* x) {
  unsigned long flags = 0;
  bool ret = true;
  raw_spin_lock_irqsave(&x->wait.lock, flags);
  if (!x->done)
    ret = false;
  else if (x->done != UINT_MAX_DONE)
    x->done--;
  raw_spin_unlock_irqrestore(&x->wait.lock, flags);
  return ret;
}

bool completion_done(completion* x) {
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&x->wait.lock, flags);
  bool done = x->done != 0;
  raw_spin_unlock_irqrestore(&x->wait.lock, flags);
  return done;
}

}  // namespace kt
