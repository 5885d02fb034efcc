// proto_event.h -- protocol events: named points of the kthread/smpboot protocol, for
// the model-conformance check. A concern of its own beside the seam (seam.h), which it
// uses only to learn the current task.
#ifndef KTHCHECK_IMPL_PLATFORM_PROTO_EVENT_H_
#define KTHCHECK_IMPL_PLATFORM_PROTO_EVENT_H_

#include <cstdint>
#include <functional>

#include "impl/platform/seam.h"

namespace kt {

// Protocol events: named points of the kthread/smpboot protocol, emitted by the port at
// the kernel lines that the abstract model's steps stand for (model/actions.def). The
// model-conformance check (checker/cli/conformance.cc) listens; nobody else does. An
// event is not a scheduling point: it is emitted right after the seam access it names
// (or right before a call whose first effect it names), so no other task runs between
// the access and its event. A test whose outcome leads to a TASK_RUNNING store (should
// stop, should park, td->status) has its event at that store: until then a waker can
// still match the sleep state, and the model's step sets the state too. The port names kernel lines only; which model step, if any,
// an event stands for is the listener's business (impl/ knows nothing of the model).
enum class ProtoEv : uint8_t {
  kSmpbootThreadCreated,  // __smpboot_create_thread: target is the thread of CPU arg
  kKthreadTestShouldStop, // kthread(): test_bit(SHOULD_STOP) after the first wakeup; arg = bit
  kParkmeSetParked,       // __kthread_parkme: set_special_state(TASK_PARKED) returned
  kParkmeTestShouldPark,  // __kthread_parkme: test_bit(SHOULD_PARK); arg = bit
  kParkmeComplete,        // __kthread_parkme: about to complete(&self->parked)
  kParkmeSetRunning,      // __kthread_parkme: __set_current_state(TASK_RUNNING) after the loop
  kLoopSetInterruptible,  // smpboot_thread_fn: set_current_state(TASK_INTERRUPTIBLE)
  kLoopShouldStop,        // smpboot_thread_fn: kthread_should_stop(); arg = result
  kLoopShouldPark,        // smpboot_thread_fn: kthread_should_park(); arg = result
  kLoopStatus,            // smpboot_thread_fn: switch (td->status); arg = the status
  kLoopThreadShouldRun,   // smpboot_thread_fn: ht->thread_should_run(); arg = result
  kLoopThreadFn,          // smpboot_thread_fn: __set_current_state(TASK_RUNNING) before thread_fn
  kScheduleDecide,        // __schedule: prev->__state read under rq->lock; arg = ScheduleOutcome
  kExitComplete,          // do_exit: about to complete(vfork_done) (the `exited` completion)
  kExitResultStored,      // kthread_exit: result stored after `exited` (exit_before_result)
  kWakeIntent,            // a wakeup call site is about to wake target; arg = WakeSite
  kTtwuStateMatch,        // try_to_wake_up(target): its read of __state under pi_lock; arg = matched
  kTtwuDoWakeup,          // ttwu_do_wakeup(target): the TASK_RUNNING store
  kParkSetBit,            // kthread_park: set_bit(SHOULD_PARK)
  kParkWaitParked,        // kthread_park: wait_for_completion(&parked) returned
  kParkWaitInactive,      // kthread_park: wait_task_inactive(TASK_PARKED) returned
  kUnparkTestBit,         // kthread_unpark: test_bit(SHOULD_PARK); arg = bit
  kBindWaitInactive,      // __kthread_bind_mask: wait_task_inactive(state) returned; arg = state
  kUnparkClearBit,        // kthread_unpark: clear_bit(SHOULD_PARK)
  kStopSetBit,            // kthread_stop: set_bit(SHOULD_STOP)
  kStopSignal,            // kthread_stop: set_tsk_thread_flag(TIF_NOTIFY_SIGNAL)
  kStopWaitExited,        // kthread_stop: wait_for_completion(&exited) returned
  kCpuDownBegin,          // cpu_down(arg): CPUHP_AP_SMPBOOT_THREADS teardown begins
  kCpuOffline,            // cpu_down(arg): set_cpu_online(arg, false)
  kCpuOnline,             // cpu_up(arg): set_cpu_online(arg, true)
  kSmpbootUnregister,     // smpboot_unregister_percpu_thread() begins
  kWorkRaised,            // a module raised one work item on CPU arg (raise_softirq); an event
                          // loop's producer on its thread, arg 0
  kWorkTaken,             // a thread_fn took arg work items of its CPU
  // Plain kthreads (the park scenarios): creation, and their threadfn's loop lines.
  kKthreadCreated,        // kthread_create_on_node() returns target, the new thread
  kFnTestStop,            // threadfn: while (!kthread_should_stop()); arg = result
  kFnTestPark,            // threadfn: if (kthread_should_park()); arg = result
  kFnSetInterruptible,    // threadfn: set_current_state(TASK_INTERRUPTIBLE) returned
  kFnSleepTestStop,       // threadfn: if (!kthread_should_stop() ...) before schedule(); arg
  kFnSleepTestPark,       // threadfn: ... && !kthread_should_park()) before schedule(); arg
  kFnSetRunning,          // threadfn: __set_current_state(TASK_RUNNING) after the sleep test
  kFnTestWork,            // threadfn (event loops): if (!has_pending_work()); arg = result
  kFnTakeWork,            // threadfn (event loops): process_pending_work()'s pending = 0
  // Timed sleeps (kernel/time/sleep_timeout.c): msleep(), msleep_interruptible(),
  // usleep_range(). Their schedule_timeout()'s __schedule() is kScheduleDecide; the timer's
  // wake_up_process() is a kWakeIntent with site kWakeTimeout.
  kTimedSleepSetState,    // schedule_timeout_*: __set_current_state(arg) before schedule_timeout()
  kTimedSleepReturn,      // msleep*/usleep_range: the timeout loop ended; about to return
  // Wait queues (kernel/sched/wait.c) and a wait_event_interruptible() loop's condition
  // (wait_event_loop). The condition's reads are the module's; the wait's schedule() is
  // kScheduleDecide; __wake_up()'s wakeup of a queued entry is a kWakeIntent with site
  // kWakeQueue, which the module announces, and kWakeReturned closes it.
  kWaitCondWork,          // wait_event condition: READ_ONCE(work_pending); arg = result
  kWaitCondStop,          // wait_event condition: ... || kthread_should_stop(); arg = result
  kWaitPrepare,           // prepare_to_wait_event: entry queued, state set (arg 0), or a
                          // signal pending (arg 1: entry off the queue, -ERESTARTSYS)
  kWaitFinish,            // finish_wait: __set_current_state(TASK_RUNNING)
  kWakeReturned,          // wake_up*(wq) announced for target returned
};
enum ScheduleOutcome : long { kSchedKeepsRunning = 0, kSchedBlocks = 1, kSchedSignalPending = 2 };
// kWakeTimeout: a sleep's timer expired (process_timeout()), or, under
// --spurious-wakeups, a stray waker took its place (the same wake_up_process() call).
// kWakeKick: a module's wake_up_process() of a thread that may be parked (percpu's kick).
// kWakeQueue: a module's wake_up*() of the wait queue its thread waits on.
enum WakeSite : long {
  kWakePark,
  kWakeUnpark,
  kWakeStop,
  kWakeWork,
  kWakeRun,
  kWakeTimeout,
  kWakeKick,
  kWakeQueue
};
struct ProtoEvent {
  ProtoEv kind;
  TaskId task;    // the current task
  TaskId target;  // the task acted on, or kNoTask
  long arg;
};
using ProtoObserver = std::function<void(const ProtoEvent&)>;
// Installs (or, with nullptr, removes) the listener; the caller keeps it alive.
void SetProtoObserver(const ProtoObserver* o);
void kt_proto(ProtoEv kind, TaskId target = kNoTask, long arg = 0);
// A test's event with its outcome, returning the outcome: `while (!kt_proto_test(
// ProtoEv::kFnTestStop, kthread_should_stop()))` keeps a module's loop as it reads.
inline bool kt_proto_test(ProtoEv kind, bool value) {
  kt_proto(kind, kNoTask, value);
  return value;
}

}  // namespace kt

#endif  // KTHCHECK_IMPL_PLATFORM_PROTO_EVENT_H_
