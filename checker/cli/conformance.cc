// conformance.cc -- the mapping from the port's protocol events to model steps: the one
// place that says which kernel line of impl/ each step of model/actions.def stands for.
//
// How to read a row: the model merges kernel lines into one step at a point no other
// process can tell apart (model/steps*.h ATOMICITY comments). The impl event of a row is
// emitted at that point: right after the seam access that makes the step visible (a
// store, a bit test), or right before a call whose first shared effect is the step
// (complete(): its waiter can only return after that effect).
//
// Events of tasks the model does not have (kthreadd, the driver's own kthreads such as
// the producer's kthread, creation of the smpboot threads before they are published)
// stutter: the model starts with every thread created, bound and asleep in kthread().
#include "checker/cli/conformance.h"

#include <cstddef>
#include <iterator>

namespace kt::cli {

using model::ActionId;

// The faithful mapping. Each row's reason:
const std::vector<MappingRow>& FaithfulMapping() {
  static const std::vector<MappingRow> rows = {
      // kthread(): after the first wakeup, test_bit(SHOULD_STOP) decides between
      // __kthread_parkme() and kthread_exit(-EINTR): the model's first thread step.
      {ProtoEv::kKthreadTestShouldStop, ActionId::kKthreadTestShouldStop, CpuOf::kSelf},
      // __kthread_parkme(): the four lines of its loop are the model's four parkme
      // steps; schedule_preempt_disabled() is kScheduleDecide (see OnEvent).
      {ProtoEv::kParkmeSetParked, ActionId::kParkmeSetParked, CpuOf::kSelf},
      {ProtoEv::kParkmeTestShouldPark, ActionId::kParkmeTestShouldPark, CpuOf::kSelf},
      {ProtoEv::kParkmeComplete, ActionId::kParkmeComplete, CpuOf::kSelf},
      {ProtoEv::kParkmeSetRunning, ActionId::kParkmeSetRunning, CpuOf::kSelf},
      // smpboot_thread_fn(): one event per model step of the loop. kLoopShouldPark also
      // stands for the ht->park() callback and the td->status store that follow it: both
      // are private to the thread (the model's ATOMICITY argument; smpboot_hotplug's
      // callback marks only its own CPU's thread, which the driver reads once idle).
      {ProtoEv::kLoopSetInterruptible, ActionId::kLoopSetInterruptible, CpuOf::kSelf},
      {ProtoEv::kLoopShouldStop, ActionId::kLoopShouldStop, CpuOf::kSelf},
      {ProtoEv::kLoopShouldPark, ActionId::kLoopShouldPark, CpuOf::kSelf},
      {ProtoEv::kLoopStatus, ActionId::kLoopStatus, CpuOf::kSelf},
      {ProtoEv::kLoopThreadShouldRun, ActionId::kLoopThreadShouldRun, CpuOf::kSelf},
      // The TASK_RUNNING store before ht->thread_fn() runs the first pending item; the
      // model consumes one item per loop (kWorkTaken maps the rest of a batch).
      {ProtoEv::kLoopThreadFn, ActionId::kLoopThreadFn, CpuOf::kSelf},
      // do_exit(): complete(&exited) is where kthread_stop() can see the exit; the model
      // merges it with the result store before it and TASK_DEAD after it.
      {ProtoEv::kExitComplete, ActionId::kKthreadExit, CpuOf::kSelf},
      // exit_before_result's store after the completion.
      {ProtoEv::kExitResultStored, ActionId::kKthreadExitStoreResult, CpuOf::kSelf},
      // kthread_park/unpark/stop on a smpboot thread: one event per model step; the
      // wakeups are kTtwuStateMatch (see Match()).
      {ProtoEv::kParkSetBit, ActionId::kKthreadParkSetBit, CpuOf::kTarget},
      {ProtoEv::kParkWaitParked, ActionId::kKthreadParkWaitParked, CpuOf::kTarget},
      {ProtoEv::kParkWaitInactive, ActionId::kKthreadParkWaitInactive, CpuOf::kTarget},
      {ProtoEv::kUnparkTestBit, ActionId::kKthreadUnparkTest, CpuOf::kTarget},
      // __kthread_bind(k, cpu, TASK_PARKED) in kthread_unpark(): its wait_task_inactive()
      // returning is the model's guard. (Binds in other states are creation: stutter.)
      {ProtoEv::kBindWaitInactive, ActionId::kKthreadUnparkBind, CpuOf::kTarget},
      {ProtoEv::kUnparkClearBit, ActionId::kKthreadUnparkClear, CpuOf::kTarget},
      {ProtoEv::kStopSetBit, ActionId::kKthreadStopSetBit, CpuOf::kTarget},
      {ProtoEv::kStopWaitExited, ActionId::kKthreadStopWaitExited, CpuOf::kTarget},
      // cpu_down(): its smpboot teardown begins (the model's choice of CPU), and
      // take_cpu_down() clears the online bit; cpu_up() sets it before unparking.
      {ProtoEv::kCpuDownBegin, ActionId::kCpuDownBegin, CpuOf::kArg},
      {ProtoEv::kCpuOffline, ActionId::kTakedownCpu, CpuOf::kArg},
      {ProtoEv::kCpuOnline, ActionId::kCpuUpOnline, CpuOf::kArg},
      // smpboot_unregister_percpu_thread(): the model starts it from CPU 0.
      {ProtoEv::kSmpbootUnregister, ActionId::kSmpbootUnregister, CpuOf::kZero},
      // raise_softirq(): the producer's fetch_add on pending[cpu].
      {ProtoEv::kWorkRaised, ActionId::kRaiseWork, CpuOf::kArg},
      // A plain kthread's threadfn (the park scenarios): one line, one step
      // (model/steps_threadfn.h). schedule() is kFnSchedule (see OnEvent).
      {ProtoEv::kFnTestStop, ActionId::kFnTestStop, CpuOf::kSelf},
      {ProtoEv::kFnTestPark, ActionId::kFnTestPark, CpuOf::kSelf},
      {ProtoEv::kFnSetInterruptible, ActionId::kFnSetInterruptible, CpuOf::kSelf},
      {ProtoEv::kFnSleepTestStop, ActionId::kFnSleepTestStop, CpuOf::kSelf},
      {ProtoEv::kFnSleepTestPark, ActionId::kFnSleepTestPark, CpuOf::kSelf},
      {ProtoEv::kFnSetRunning, ActionId::kFnSetRunning, CpuOf::kSelf},
      // An event loop's work test and its take of the work (model/steps_event_loop.h); its
      // producer's add_work() is kWorkRaised with arg 0, its wakeup site kWakeWork.
      {ProtoEv::kFnTestWork, ActionId::kFnTestWork, CpuOf::kSelf},
      {ProtoEv::kFnTakeWork, ActionId::kFnProcessWork, CpuOf::kSelf},
      // try_to_wake_up()'s state match on a thread is the model's wakeup step of the call
      // site that announced it (kWakeIntent; Match() says how). kthread_stop()'s wakeup
      // may have been absorbed by its signal first (Match()).
      {ProtoEv::kTtwuStateMatch, ActionId::kKthreadParkWake, CpuOf::kTarget, kWakePark},
      {ProtoEv::kTtwuStateMatch, ActionId::kKthreadUnparkWake, CpuOf::kTarget, kWakeUnpark},
      {ProtoEv::kTtwuStateMatch, ActionId::kKthreadStopWake, CpuOf::kTarget, kWakeStop},
      {ProtoEv::kTtwuStateMatch, ActionId::kProducerWake, CpuOf::kTarget, kWakeWork},
      {ProtoEv::kTtwuStateMatch, ActionId::kKthreadRunWake, CpuOf::kTarget, kWakeRun},
      {ProtoEv::kTtwuStateMatch, ActionId::kTimerWake, CpuOf::kTarget, kWakeTimeout},
      {ProtoEv::kTtwuStateMatch, ActionId::kKthreadKickWake, CpuOf::kTarget, kWakeKick},
      // wait_event_loop's wake_up_interruptible(): __wake_up() found the thread's entry
      // queued (kWakeReturned says when it did not; see OnEvent).
      {ProtoEv::kTtwuStateMatch, ActionId::kProducerWake, CpuOf::kTarget, kWakeQueue},
      // The wait-queue loop's lines (model/steps_wait_event.h): prepare_to_wait_event()
      // and finish_wait() of its thread; its condition's reads are OnEvent's, which picks
      // the fast path's step or the loop's by the model thread's position.
      {ProtoEv::kWaitPrepare, ActionId::kWaitPrepare, CpuOf::kSelf},
      {ProtoEv::kWaitFinish, ActionId::kWaitFinish, CpuOf::kSelf},
  };
  return rows;
}

const char* ProtoEvName(ProtoEv e) {
  static const char* const kNames[] = {
      "__smpboot_create_thread: thread published",
      "kthread: test_bit(KTHREAD_SHOULD_STOP)",
      "__kthread_parkme: set_special_state(TASK_PARKED)",
      "__kthread_parkme: test_bit(KTHREAD_SHOULD_PARK)",
      "__kthread_parkme: complete(&self->parked)",
      "__kthread_parkme: __set_current_state(TASK_RUNNING)",
      "smpboot_thread_fn: set_current_state(TASK_INTERRUPTIBLE)",
      "smpboot_thread_fn: kthread_should_stop()",
      "smpboot_thread_fn: kthread_should_park()",
      "smpboot_thread_fn: switch (td->status)",
      "smpboot_thread_fn: ht->thread_should_run()",
      "smpboot_thread_fn: __set_current_state(TASK_RUNNING); ht->thread_fn()",
      "__schedule: prev->__state read under rq->lock",
      "do_exit: complete(vfork_done)",
      "kthread_exit: kthread->result = ret (after `exited`)",
      "wakeup call site",
      "try_to_wake_up: ttwu_state_match() reads __state",
      "ttwu_do_wakeup: __state = TASK_RUNNING",
      "kthread_park: set_bit(KTHREAD_SHOULD_PARK)",
      "kthread_park: wait_for_completion(&parked) returned",
      "kthread_park: wait_task_inactive(TASK_PARKED) returned",
      "kthread_unpark: test_bit(KTHREAD_SHOULD_PARK)",
      "__kthread_bind_mask: wait_task_inactive() returned",
      "kthread_unpark: clear_bit(KTHREAD_SHOULD_PARK)",
      "kthread_stop: set_bit(KTHREAD_SHOULD_STOP)",
      "kthread_stop: set_tsk_thread_flag(TIF_NOTIFY_SIGNAL)",
      "kthread_stop: wait_for_completion(&exited) returned",
      "cpu_down: smpboot_park_threads() begins",
      "take_cpu_down: set_cpu_online(cpu, false)",
      "cpu_up: set_cpu_online(cpu, true)",
      "smpboot_unregister_percpu_thread()",
      "raise_softirq: pending[cpu] += 1",
      "run_softirq: xchg(&pending[cpu], 0)",
      "kthread_create_on_node: returns the new thread",
      "threadfn: while (!kthread_should_stop())",
      "threadfn: if (kthread_should_park()) kthread_parkme()",
      "threadfn: set_current_state(TASK_INTERRUPTIBLE)",
      "threadfn: if (!kthread_should_stop() ...) schedule()",
      "threadfn: ... && !kthread_should_park()) schedule()",
      "threadfn: __set_current_state(TASK_RUNNING)",
      "threadfn: if (!has_pending_work())",
      "threadfn: process_pending_work(): pending = 0",
      "schedule_timeout_*: __set_current_state()",
      "msleep*/usleep_range: return",
      "wait_event condition: READ_ONCE(work_pending)",
      "wait_event condition: kthread_should_stop()",
      "prepare_to_wait_event()",
      "finish_wait: __set_current_state(TASK_RUNNING)",
      "wake_up*(wq) returned",
  };
  // One name per ProtoEv, in its order (the last one closes the table).
  static_assert(std::size(kNames) == static_cast<std::size_t>(ProtoEv::kWakeReturned) + 1);
  auto i = static_cast<std::size_t>(e);
  return i < std::size(kNames) ? kNames[i] : "?";
}

ConformanceMapping::ConformanceMapping(const model::Params& p, std::vector<MappingRow> table)
    : params_(p), table_(std::move(table)), tracker_(p) {
  Reset();
}

void ConformanceMapping::Reset() {
  tracker_ = model::ModelTracker(params_);
  next_thread_ = 0;
  tasks_.assign(64, TaskInfo{});
  stop_wake_absorbed_.assign(model::kMaxCpus, false);
}

ConformanceMapping::TaskInfo& ConformanceMapping::Info(TaskId t) {
  if (t < 0) t = 0;  // never a smpboot thread (boot context)
  if (static_cast<std::size_t>(t) >= tasks_.size()) tasks_.resize(t + 1);
  return tasks_[t];
}

std::optional<std::string> ConformanceMapping::Take(const ProtoEvent& e, ActionId a, int cpu) {
  std::optional<std::string> refused = tracker_.Advance({a, cpu});
  if (!refused) return std::nullopt;
  return "impl event `" + std::string(ProtoEvName(e.kind)) + "` (task " +
         std::to_string(e.task) + ") maps to the model step below, which the model refuses\n" +
         *refused;
}

// The tests the model's steps branch on read the same flag or count in the port: the
// value the impl read must be the model's value before the step.
std::optional<std::string> ConformanceMapping::ReadMismatch(const ProtoEvent& e, int cpu) {
  const model::Cpu& t = tracker_.state().cpu[cpu];
  long want;
  const char* what;
  switch (e.kind) {
    case ProtoEv::kKthreadTestShouldStop:
    case ProtoEv::kFnTestStop:
    case ProtoEv::kFnSleepTestStop:
    case ProtoEv::kLoopShouldStop: want = t.should_stop, what = "should_stop"; break;
    case ProtoEv::kParkmeTestShouldPark:
    case ProtoEv::kFnTestPark:
    case ProtoEv::kFnSleepTestPark:
    case ProtoEv::kLoopShouldPark:
    case ProtoEv::kUnparkTestBit: want = t.should_park, what = "should_park"; break;
    case ProtoEv::kLoopThreadShouldRun:
    case ProtoEv::kWaitCondWork:
    case ProtoEv::kFnTestWork: want = t.work > 0, what = "work > 0"; break;
    case ProtoEv::kWaitCondStop: want = t.should_stop, what = "should_stop"; break;
    // prepare_to_wait_event() reports a pending signal; the hand-rolled wait's
    // prepare_to_wait() queues the entry whatever is pending, as the model's does there.
    case ProtoEv::kWaitPrepare:
      want = !model::HandRolledWait(params_.variant) && t.notify_signal, what = "notify_signal";
      break;
    default: return std::nullopt;
  }
  if ((e.arg != 0) == (want != 0)) return std::nullopt;
  return "conformance: impl event `" + std::string(ProtoEvName(e.kind)) + "` (task " +
         std::to_string(e.task) + ") read " + std::to_string(e.arg != 0) + ", but the model's cpu" +
         std::to_string(cpu) + "." + what + " is " + std::to_string(want) + " after " +
         std::to_string(tracker_.steps()) + " model steps\nmodel state:\n" +
         model::PrintState(params_, tracker_.state());
}

const MappingRow* ConformanceMapping::Row(ProtoEv event, long site) const {
  for (const MappingRow& row : table_)
    if (row.event == event && row.site == site) return &row;
  return nullptr;
}

std::optional<std::string> ConformanceMapping::Unmapped(const ProtoEvent& e,
                                                        const std::string& why) {
  std::string msg = "conformance: impl event `" + std::string(ProtoEvName(e.kind)) +
                    "` (task " + std::to_string(e.task) + ") has no model step: " + why +
                    "; after " + std::to_string(tracker_.steps()) +
                    " model steps the model allows only:";
  for (const model::ActionInstance& a : tracker_.Enabled()) msg += "\n  " + model::PrintAction(a);
  return msg;
}

// A state match of try_to_wake_up() on a smpboot thread is the model's wakeup step of the
// call site that announced it (kWakeIntent): the model's Wake() decides match and, for a
// blocked target, the whole wakeup in one step (its ATOMICITY comment); for a target
// still queued it leaves the TASK_RUNNING store pending (kTtwuDoWakeup).
std::optional<std::string> ConformanceMapping::Match(const ProtoEvent& e, TaskInfo& target) {
  TaskInfo& waker = Info(e.task);
  if (waker.wake_target != e.target)
    return Unmapped(e, "a wakeup of the smpboot thread of cpu" + std::to_string(target.cpu) +
                           " from a call site the model does not have");
  long site = waker.wake_site;
  waker.wake_target = kNoTask;
  // kthread_stop()'s wakeup: if its TIF_NOTIFY_SIGNAL already ended the thread's sleep,
  // the model took kKthreadStopWake then (kScheduleDecide); this match is the same
  // wakeup arriving late, and stutters.
  if (site == kWakeStop && stop_wake_absorbed_[target.cpu]) {
    stop_wake_absorbed_[target.cpu] = false;
    return std::nullopt;
  }
  const MappingRow* row = Row(ProtoEv::kTtwuStateMatch, site);
  if (row == nullptr)
    return Unmapped(e, "a wakeup from call site " + std::to_string(site) +
                           ", which the mapping has no row for");
  // A queue wakeup that matched woke a queued entry. One that did not match may find the
  // entry of a thread between finish_wait()'s TASK_RUNNING store (the model's step) and
  // its dequeue: it wakes nobody, as the model's wakeup of an unqueued thread.
  if (site == kWakeQueue && e.arg != 0 && !tracker_.state().cpu[target.cpu].queued)
    return Unmapped(e, "__wake_up() woke the thread of cpu" + std::to_string(target.cpu) +
                           " from the queue, where the model has no entry of it");
  if (auto f = Take(e, row->action, target.cpu)) return f;
  target.pending = e.arg != 0 && !target.dequeued;
  return std::nullopt;
}

std::optional<std::string> ConformanceMapping::OnEvent(const ProtoEvent& e) {
  TaskInfo& self = Info(e.task);
  switch (e.kind) {
    case ProtoEv::kSmpbootThreadCreated: {
      // Published after kthread_bind() found it inactive: asleep in kthread(), which is
      // where the model's threads start (kTNew).
      TaskInfo& t = Info(e.target);
      t.cpu = static_cast<int>(e.arg);
      t.dequeued = true;
      return std::nullopt;
    }
    case ProtoEv::kKthreadCreated: {
      // A plain kthread of the park scenarios: the model's thread i is the i-th one the
      // driver creates. kthread_create() returned once the thread completed `done`; it
      // is about to sleep in kthread() (preemption off until it does), which the model
      // counts as asleep already (kTNew): until its first wakeup tests SHOULD_STOP, its
      // schedule() is that sleep and stutters, and a wakeup is whole at its state match.
      if (plain() && next_thread_ < params_.cpus) {
        TaskInfo& t = Info(e.target);
        t.cpu = next_thread_++;
        t.dequeued = true;
        t.unwoken = true;
      }
      return std::nullopt;
    }
    case ProtoEv::kKthreadTestShouldStop:
      self.unwoken = false;
      break;
    case ProtoEv::kFnTestStop:
      // The wait-queue loop's `if (kthread_should_stop()) break;` after its wait.
      if (WaitLoop() && self.cpu >= 0 &&
          tracker_.state().cpu[self.cpu].pc == model::kWStopTest) {
        if (auto f = ReadMismatch(e, self.cpu)) return f;
        return Take(e, ActionId::kWaitStopTest, self.cpu);
      }
      // A timed loop's iteration that did not sleep (polling_loop with work to do) is the
      // model's timeout loop ending before its first sleep, as msleep_interruptible()'s
      // does with a signal pending.
      if (model::Timed(params_.thread_fn) && self.cpu >= 0 &&
          tracker_.state().cpu[self.cpu].pc == model::kFTimedTop)
        if (auto f = Take(e, ActionId::kFnTimedReturn, self.cpu)) return f;
      break;
    case ProtoEv::kWaitCondWork:
    case ProtoEv::kWaitCondStop: {
      // The same condition is the fast path's test and the loop's: the model's position
      // says which (model/steps_wait_event.h).
      if (!WaitLoop() || self.cpu < 0) return std::nullopt;
      int pc = tracker_.state().cpu[self.cpu].pc;
      bool work = e.kind == ProtoEv::kWaitCondWork;
      ActionId a = pc == model::kWFastWork || pc == model::kWFastStop
                       ? (work ? ActionId::kWaitFastWork : ActionId::kWaitFastStop)
                       : (work ? ActionId::kWaitCondWork : ActionId::kWaitCondStop);
      if (auto f = ReadMismatch(e, self.cpu)) return f;
      return Take(e, a, self.cpu);
    }
    case ProtoEv::kWaitPrepare:
    case ProtoEv::kWaitFinish:
      if (!WaitLoop()) return std::nullopt;  // another kind of thread's wait: stutter
      break;
    case ProtoEv::kFnTakeWork:
      if (WaitLoop() && self.cpu >= 0) return Take(e, ActionId::kWaitConsume, self.cpu);
      break;
    case ProtoEv::kWakeReturned: {
      // No state match used the announcement: __wake_up() found no entry of the thread,
      // and the model's wakeup must find it not queued (it then wakes nobody).
      TaskInfo& t = Info(e.target);
      if (self.wake_target != e.target || t.cpu < 0) return std::nullopt;
      self.wake_target = kNoTask;
      if (tracker_.state().cpu[t.cpu].queued)
        return Unmapped(e, "__wake_up() found no entry of the thread of cpu" +
                               std::to_string(t.cpu) + ", which in the model is queued");
      return Take(e, ActionId::kProducerWake, t.cpu);
    }
    case ProtoEv::kStopSetBit:
      // A plain driver's kthread_stop() is also the model controller's decision to stop
      // (kSmpbootUnregister): a controller-private step, so it merges with the set_bit.
      if (plain() && tracker_.state().shared.ctl_op == model::kOpIdle)
        if (auto f = Take(e, ActionId::kSmpbootUnregister, 0)) return f;
      break;
    case ProtoEv::kWakeIntent:
      self.wake_target = e.target;
      self.wake_site = e.arg;
      return std::nullopt;
    case ProtoEv::kTtwuStateMatch: {
      TaskInfo& t = Info(e.target);
      if (t.cpu < 0) return std::nullopt;  // wakes a task the model does not have
      return Match(e, t);
    }
    case ProtoEv::kTtwuDoWakeup: {
      TaskInfo& t = Info(e.target);
      t.dequeued = false;
      if (t.cpu < 0) return std::nullopt;
      if (t.store_absorbed) {  // already mapped, see kScheduleDecide and kExitComplete
        t.store_absorbed = false;
        return std::nullopt;
      }
      if (!t.pending) return std::nullopt;  // the model woke it at the state match
      t.pending = false;
      ++counts_.delayed_store;
      return Take(e, ActionId::kTtwuDoWakeup, t.cpu);
    }
    case ProtoEv::kScheduleDecide: {
      self.dequeued = e.arg == kSchedBlocks;
      if (self.cpu < 0 || self.unwoken) return std::nullopt;
      ActionId a = self.in_parkme        ? ActionId::kParkmeSchedule
                   : self.in_timed_sleep ? ActionId::kFnTimedSchedule
                   : plain()             ? ActionId::kFnSchedule
                                         : ActionId::kLoopSchedule;
      if (auto f = Take(e, a, self.cpu)) return f;
      // A plain kthread's model has TIF_NOTIFY_SIGNAL (kKthreadStopSignal): its schedule()
      // step did not block either.
      if (e.arg != kSchedSignalPending || plain()) return std::nullopt;
      // TIF_NOTIFY_SIGNAL (not modelled): kthread_stop() set it, after its unpark and just
      // before its wakeup, so the thread does not block. The model's schedule() blocked
      // (TASK_INTERRUPTIBLE); the signal ends that sleep as the wakeup it precedes would:
      // the in-flight wakeup's store if one is pending, else kthread_stop()'s wakeup.
      if (self.pending) {
        self.pending = false;
        self.store_absorbed = true;
        ++counts_.signal_store;
        return Take(e, ActionId::kTtwuDoWakeup, self.cpu);
      }
      ++counts_.signal_stop_wake;
      stop_wake_absorbed_[self.cpu] = true;
      return Take(e, ActionId::kKthreadStopWake, self.cpu);
    }
    case ProtoEv::kExitComplete:
      // The model's exit step waits for an in-flight wakeup (TASK_DEAD is stored under
      // pi_lock); complete(&exited) comes before TASK_DEAD and need not. Such a store
      // only overwrites the state of a thread that will not sleep again, so it is mapped
      // here, before the exit, and stutters when it lands.
      if (self.cpu >= 0 && self.pending) {
        self.pending = false;
        self.store_absorbed = true;
        ++counts_.exit_store;
        if (auto f = Take(e, ActionId::kTtwuDoWakeup, self.cpu)) return f;
      }
      break;
    case ProtoEv::kWorkTaken:
      // run_softirq() takes all n pending items at once; the model runs one per loop.
      // The first was kLoopThreadFn; each further one is a model loop that finds no stop
      // or park request and runs the next item (a refusal here means a request came in).
      if (e.arg > 1) ++counts_.batch;
      for (long i = 1; i < e.arg && self.cpu >= 0; ++i)
        for (ActionId a : {ActionId::kLoopSetInterruptible, ActionId::kLoopShouldStop,
                           ActionId::kLoopShouldPark, ActionId::kLoopStatus,
                           ActionId::kLoopThreadShouldRun, ActionId::kLoopThreadFn})
          if (auto f = Take(e, a, self.cpu)) return f;
      return std::nullopt;
    case ProtoEv::kStopSignal: {
      // The smpboot model has no TIF_NOTIFY_SIGNAL: see kScheduleDecide.
      TaskInfo& t = Info(e.target);
      if (!plain() || t.cpu < 0) return std::nullopt;
      return Take(e, ActionId::kKthreadStopSignal, t.cpu);
    }
    case ProtoEv::kTimedSleepSetState: {
      // One model step per stored state; the timeout's value is not modelled
      // (model/steps_timed_sleep.h), so sleeping again and returning are both allowed.
      if (self.cpu < 0) return std::nullopt;  // the driver's own msleep(), ktimers: stutter
      self.in_timed_sleep = true;
      ActionId a = e.arg == model::kTaskInterruptible ? ActionId::kFnTimedSetInterruptible
                                                      : ActionId::kFnTimedSetUninterruptible;
      return Take(e, a, self.cpu);
    }
    case ProtoEv::kTimedSleepReturn:
      if (self.cpu < 0) return std::nullopt;
      self.in_timed_sleep = false;
      return Take(e, ActionId::kFnTimedReturn, self.cpu);
    case ProtoEv::kParkmeSetParked:
      self.in_parkme = true;
      break;
    case ProtoEv::kParkmeSetRunning:
      self.in_parkme = false;
      break;
    case ProtoEv::kBindWaitInactive:
      if (e.arg != model::kTaskParked) return std::nullopt;
      break;
    default:
      break;
  }
  const MappingRow* row = Row(e.kind);
  if (row == nullptr) return std::nullopt;
  int cpu = 0;
  switch (row->cpu) {
    case CpuOf::kSelf: cpu = self.cpu; break;
    case CpuOf::kTarget: cpu = Info(e.target).cpu; break;
    case CpuOf::kArg: cpu = static_cast<int>(e.arg); break;
    case CpuOf::kZero: cpu = 0; break;
  }
  if (cpu < 0) return std::nullopt;  // not a smpboot thread: stutter
  if (auto f = ReadMismatch(e, cpu)) return f;
  return Take(e, row->action, cpu);
}

ConformanceRun::ConformanceRun(const model::Params& p, std::vector<MappingRow> table)
    : mapping_(p, std::move(table)) {
  observer_ = [this](const ProtoEvent& e) {
    std::optional<std::string> refused = mapping_.OnEvent(e);
    if (refused) sys().Finding("conformance", __FILE__, __LINE__, refused->c_str(), "conformance");
  };
}

ConformanceRun::~ConformanceRun() { SetProtoObserver(nullptr); }

void ConformanceRun::Begin() {
  mapping_.Reset();
  SetProtoObserver(&observer_);
}

}  // namespace kt::cli
