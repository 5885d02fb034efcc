// park_unpark_stop and park_stop -- park, unpark and stop a running thread whose loop
// supports parking (the seed's parkable thread, with an interruptible sleep that tests
// both requests after setting its state); and stop a thread while it is parked, which
// kthread_stop() must unpark first. After each kthread_park() the driver checks the park
// postcondition (parkable.h).
#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/parkable.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

task_struct* kth;

void park_unpark_stop() {
  kth = kthread_run(parkable_thread_fn, nullptr, "park_thread");
  if (kthread_park(kth) == 0) check_parked(kth);
  kthread_unpark(kth);
  WARN_ON(kthread_stop(kth) != 0);
}

void park_stop() {
  kth = kthread_run(parkable_thread_fn, nullptr, "park_thread");
  if (kthread_park(kth) == 0) check_parked(kth);
  WARN_ON(kthread_stop(kth) != 0);  // stop of a parked thread: kthread_stop unparks it
}

}  // namespace

extern const Scenario kParkUnparkStop = {
    "park_unpark_stop", "kthread_park, kthread_unpark, kthread_stop of a running parkable thread",
    park_unpark_stop};

extern const Scenario kParkStop = {
    "park_stop", "kthread_park, then kthread_stop of the parked thread (stop must unpark it)",
    park_stop};

}  // namespace kt
