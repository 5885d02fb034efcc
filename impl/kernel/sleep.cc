#include "impl/kernel/sleep.h"

#include "impl/kernel/sched.h"
#include "impl/platform/proto_event.h"

namespace kt {

// kt_proto: the lines the model's timed-sleep steps stand for (model/steps_timed_sleep.h).
long schedule_timeout_uninterruptible(long timeout) {
  __set_current_state(TASK_UNINTERRUPTIBLE);
  kt_proto(ProtoEv::kTimedSleepSetState, kNoTask, TASK_UNINTERRUPTIBLE);
  kt_annotate_wait("schedule_timeout_uninterruptible", nullptr);
  return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout) {
  __set_current_state(TASK_INTERRUPTIBLE);
  kt_proto(ProtoEv::kTimedSleepSetState, kNoTask, TASK_INTERRUPTIBLE);
  kt_annotate_wait("schedule_timeout_interruptible", nullptr);
  return schedule_timeout(timeout);
}

// msleep() -- the +1 tick guarantees at least `msecs` pass.
void msleep(unsigned int msecs) {
  long timeout = static_cast<long>(msecs) + 1;
  while (timeout) timeout = schedule_timeout_uninterruptible(timeout);
  kt_proto(ProtoEv::kTimedSleepReturn);
}

void usleep_range(unsigned long min_us, unsigned long max_us) {
  (void)min_us;
  long timeout = static_cast<long>((max_us + 999) / 1000);
  if (timeout < 1) timeout = 1;
  __set_current_state(TASK_UNINTERRUPTIBLE);
  kt_proto(ProtoEv::kTimedSleepSetState, kNoTask, TASK_UNINTERRUPTIBLE);
  schedule_timeout(timeout);
  kt_proto(ProtoEv::kTimedSleepReturn);
}

unsigned long msleep_interruptible(unsigned int msecs) {
  long timeout = static_cast<long>(msecs) + 1;
  while (timeout && !signal_pending(current)) timeout = schedule_timeout_interruptible(timeout);
  kt_proto(ProtoEv::kTimedSleepReturn);
  return static_cast<unsigned long>(timeout);
}

}  // namespace kt
