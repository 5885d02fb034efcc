#include "impl/kernel/mutex.h"

namespace kt {
namespace {
struct mutex_waiter {
  list_head list;
  task_struct* task;
};
}  // namespace

void mutex_init(mutex* lock, const char* name) {
  raw_spin_lock_init(&lock->wait_lock);
  lock->owner = nullptr;
  INIT_LIST_HEAD(&lock->wait_list);
  lock->kt_name = name;
}

// mutex_lock() -- __mutex_lock_common(): take it if free, else queue and sleep
// TASK_UNINTERRUPTIBLE until the owner's unlock wakes the first waiter.
void mutex_lock(mutex* lock) {
  for (;;) {
    raw_spin_lock(&lock->wait_lock);
    if (!lock->owner) {
      lock->owner = current;
      raw_spin_unlock(&lock->wait_lock);
      return;
    }
    mutex_waiter waiter{{}, current};
    list_add_tail(&waiter.list, &lock->wait_list);
    set_current_state(TASK_UNINTERRUPTIBLE);
    task_struct* owner = lock->owner;
    raw_spin_unlock(&lock->wait_lock);
    sys().SetWakeCondition([lock] { return lock->owner == nullptr; }, "mutex is free");
    kt_annotate_wait(lock->kt_name, owner);
    schedule();
    sys().SetWakeCondition({}, nullptr);
    raw_spin_lock(&lock->wait_lock);
    list_del_init(&waiter.list);
    raw_spin_unlock(&lock->wait_lock);
    __set_current_state(TASK_RUNNING);
  }
}

// mutex_unlock() -- release and wake the first waiter (__mutex_unlock_slowpath).
void mutex_unlock(mutex* lock) {
  raw_spin_lock(&lock->wait_lock);
  lock->owner = nullptr;
  if (!list_empty(&lock->wait_list)) {
    auto* w = list_first_entry(&lock->wait_list, mutex_waiter, list);
    wake_up_process(w->task);
  }
  raw_spin_unlock(&lock->wait_lock);
}

}  // namespace kt
