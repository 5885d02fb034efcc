// invariants.h -- the named invariants of invariants.def, written once over a value domain.
//
// Contract: Invariant<D>(k, id, c, s, t) is a predicate over the shared variables and the
// variables of CPU c (index c, CPU count k.n_cpus).  The model's property is
// "for all CPUs c < N: Invariant(c)" for every id; the explicit engine evaluates it on
// every reachable state, proofs/ proves it inductive for any N.  Like the steps, these use
// only domain operations, so both readings evaluate the same formula.
// The hang oracle is not a state predicate: it is "no step enabled and not a valid end"
// (ValidEnd() below; the engine and the BMC compute the enabled set).
#ifndef KTHCHECK_MODEL_INVARIANTS_H_
#define KTHCHECK_MODEL_INVARIANTS_H_

#include "model/ids.h"
#include "model/state.h"
#include "model/steps.h"

namespace kthcheck::model {

template <class D>
BoolOf<D> Implies(BoolOf<D> a, BoolOf<D> b) {
  return !a || b;
}

// The run is over: the controller unregistered every thread and the producer is not in
// the middle of a wakeup.  Work left unraised (no online CPU) is not a hang.
template <class D>
BoolOf<D> ValidEnd(const SharedT<D>& s) {
  return s.ctl_op == kOpDone && s.prod_pc == kProdIdle;
}

// Quiescence for the lost-wakeup oracle: nobody is about to issue a wakeup.
template <class D>
BoolOf<D> Quiescent(const SharedT<D>& s) {
  return s.prod_pc == kProdIdle && s.prod_left == 0 && (s.ctl_op == kOpIdle || s.ctl_op == kOpDone);
}

template <class D>
BoolOf<D> RunningPastBugOn(const CpuT<D>& t) {
  return t.pc == kLStatus || t.pc == kLRunCheck || t.pc == kLThreadFn || t.pc == kLSchedule;
}

template <class D>
BoolOf<D> InActiveLoop(const CpuT<D>& t) {
  return t.pc == kLRunCheck || t.pc == kLThreadFn || t.pc == kLSchedule || t.pc == kLSleep;
}

template <class D>
BoolOf<D> ParkPostcondition(const CpuT<D>& t) {
  return Implies<D>(t.park_returned,
                    t.pc == kPSleep && t.task_state == kTaskParked && t.should_park);
}

template <class D>
BoolOf<D> CompletionBalance(typename D::Int c, const SharedT<D>& s, const CpuT<D>& t) {
  auto parking = s.ctl_cpu == c && (s.ctl_sub == kSubParkWake || s.ctl_sub == kSubParkWait);
  return t.parked_done <= 1 && Implies<D>(t.parked_done == 1, parking) && t.exited_done <= 1 &&
         Implies<D>(t.exited_done == 1, t.pc == kTDead || t.pc == kTExitResult);
}

// kTExitResult is exactly "`exited` completed, result not stored" (exit_before_result).
template <class D>
BoolOf<D> ResultBeforeExited(const CpuT<D>& t) {
  return t.pc != kTExitResult;
}

// The driver's last step is kthread_stop()'s return (unregister's, module exit's): past it
// no thread may still live. exit_without_stop's driver ends without it.
template <class D>
BoolOf<D> Lifetime(const SharedT<D>& s, const CpuT<D>& t) {
  return Implies<D>(s.ctl_op == kOpDone, t.pc == kTDead);
}

template <class D>
BoolOf<D> SpecialStateExclusivity(const CpuT<D>& t) {
  return Implies<D>(t.task_state == kTaskParked, t.pending != kPendNormal) &&
         Implies<D>(t.pc == kPSleep, t.task_state == kTaskParked);
}

// status_warn (state.h) records a status move that skipped the order.
template <class D>
BoolOf<D> SmpbootStatus(const CpuT<D>& t) {
  return Implies<D>(InActiveLoop(t), t.status == kHpActive) &&
         Implies<D>(t.park_returned, t.status != kHpActive) && t.status <= kHpParked &&
         !t.status_warn;
}

// Also covers the park callback: (d) runs BUG_ON(td->cpu != smp_processor_id()) before
// ht->park() when the status is ACTIVE (18.8: callbacks run on td->cpu).
template <class D>
BoolOf<D> Binding(const CpuT<D>& t) {
  auto parks_active = t.pc == kLPark && t.should_park && t.status == kHpActive;
  return !t.bind_warn && Implies<D>(RunningPastBugOn(t) || parks_active, t.online);
}

template <class D>
BoolOf<D> NoLostWakeup(const SharedT<D>& s, const CpuT<D>& t) {
  // kFSleep: the sleep of the plain loops with work (ThreadFn::kEventLoop, kWaitEventLoop).
  return !(Quiescent(s) && t.pending == kPendNone && (t.pc == kLSleep || t.pc == kFSleep) &&
           t.work > 0);
}

// kWConsume is the line of the wait-queue loop's WARN_ON(!work) (steps_wait_event.h).
template <class D>
BoolOf<D> WaitCondition(const CpuT<D>& t) {
  return Implies<D>(t.pc == kWConsume, t.work > 0);
}

// kSubStartWarn is the line of completion_sync's WARN_ON(!initialised) (steps_start.h).
template <class D>
BoolOf<D> StartCondition(const SharedT<D>& s) {
  return Implies<D>(s.ctl_sub == kSubStartWarn, s.initialised);
}

// kSubThawTask is the line of __thaw_task(), whose WARN_ON_ONCE(freezing(p)) leaves the
// task frozen (steps_freezer.h kThawTask).
template <class D>
BoolOf<D> ThawCondition(typename D::Int c, const SharedT<D>& s, const CpuT<D>& t) {
  return Implies<D>(CtlAt(s, c, kSubThawTask), !Freezing(s, t));
}

// kZTryFreeze is the line of try_to_freeze(), whose might_sleep() WARNs in any other
// state (steps_freezer.h, steps_worker.h).
template <class D>
BoolOf<D> MightSleep(const CpuT<D>& t) {
  return Implies<D>(t.pc == kZTryFreeze, t.task_state == kTaskRunning);
}

// The port's worker_list checks (impl/kthread/kthread_worker.cc): a flush work on
// delayed_work_list is one the list holds (no timer moves it); the others are checks at
// their sites, which the steps record in the ghost bit list_warn (steps_delayed_work.h).
// Vacuous outside the kthread_worker configuration, whose fields stay clear.
template <class D>
BoolOf<D> WorkerList(const StepContext<D>& k, const SharedT<D>& s) {
  if (k.driver != Driver::kRunWorkerDelayedExit) return k.d.B(true);
  return !s.flush_delayed && !s.list_warn;
}

// Once kthread_destroy_worker() returned (the driver's last line), nothing is left on
// either list and no timer is armed.
template <class D>
BoolOf<D> WorkerDestroy(const StepContext<D>& k, const SharedT<D>& s, const CpuT<D>& t) {
  if (k.driver != Driver::kRunWorkerDelayedExit) return k.d.B(true);
  auto empty = t.work == 0 && !t.flush_queued && s.dwork == kDworkIdle && !s.flush_delayed;
  return Implies<D>(s.ctl_op == kOpDone, empty && !s.dwork_timer);
}

// hotplug_migrate's last CPU, once offline, has no regular task queued
// (steps_migrate.h). Vacuous elsewhere: last_cpu stays up.
template <class D>
BoolOf<D> CpuVacated(const StepContext<D>& k, const SharedT<D>& s, const CpuT<D>& t) {
  if (k.driver != Driver::kRunCpuDownStop) return k.d.B(true);
  return Implies<D>(s.last_cpu == kLastCpuOffline, !QueuedOnLastCpu(k, s, t));
}

}  // namespace kthcheck::model

#include "model/lemmas.h"  // IWYU pragma: export

namespace kthcheck::model {

template <class D>
BoolOf<D> Invariant(const StepContext<D>& k, InvariantId id, typename D::Int c, const SharedT<D>& s,
                    const CpuT<D>& t) {
  switch (id) {
    case InvariantId::kParkPostcondition:
      return ParkPostcondition(t);
    case InvariantId::kCompletionBalance:
      return CompletionBalance(c, s, t);
    case InvariantId::kSpecialStateExclusivity:
      return SpecialStateExclusivity(t);
    case InvariantId::kSmpbootStatus:
      return SmpbootStatus(t);
    case InvariantId::kBinding:
      return Binding(t);
    case InvariantId::kNoLostWakeup:
      return NoLostWakeup(s, t);
    case InvariantId::kResultBeforeExited:
      return ResultBeforeExited(t);
    case InvariantId::kLifetime:
      return Lifetime(s, t);
    case InvariantId::kWaitCondition:
      return WaitCondition(t);
    case InvariantId::kStartCondition:
      return StartCondition(s);
    case InvariantId::kThawCondition:
      return ThawCondition(c, s, t);
    case InvariantId::kMightSleep:
      return MightSleep(t);
    case InvariantId::kWorkerList:
      return WorkerList(k, s);
    case InvariantId::kWorkerDestroy:
      return WorkerDestroy(k, s, t);
    case InvariantId::kCpuVacated:
      return CpuVacated(k, s, t);
    case InvariantId::kLemmaTaskState:
      return LemmaTaskState(k, t);
    case InvariantId::kLemmaController:
      return LemmaController(k, c, s, t);
    case InvariantId::kLemmaProducer:
      return LemmaProducer(k, c, s, t);
  }
  return k.d.B(false);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_INVARIANTS_H_
