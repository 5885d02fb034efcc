// steps_controller.h -- steps of the hotplug controller and of the work producer.
// Included by model/steps.h only (which defines KTH_STEP); see its contract.  Kernel text:
// kernel-semantics.md sections 11, 12 (kthread_park/unpark/stop) and 15.3-15.4 (register, hotplug,
// unregister).
#ifndef KTHCHECK_MODEL_STEPS_CONTROLLER_H_
#define KTHCHECK_MODEL_STEPS_CONTROLLER_H_

namespace kthcheck::model {

// kthread_park(): WARN checks pass in this model (no double park, no exiting target).
KTH_STEP(kKthreadParkSetBit) {
  nt.should_park = k.d.B(true);
  bool skip_wake = k.variant == Variant::kParkWithoutWakeup;
  ns.ctl_sub = k.d.Lit(skip_wake ? kSubParkWait : kSubParkWake);
  return CtlAt(s, c, kSubParkSet);
}

KTH_STEP(kKthreadParkWake) {
  auto g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  ns.ctl_sub = k.d.Lit(kSubParkWait);
  return CtlAt(s, c, kSubParkWake) && g;
}

// wait_for_completion(&parked): no timeout; a park that never completes is a hang.
// A complete_all()'d completion stays done (parkme_complete_all).
KTH_STEP(kKthreadParkWaitParked) {
  const D& d = k.d;
  nt.parked_done = t.parked_done - 1;
  if (k.variant == Variant::kParkmeCompleteAll)
    nt.parked_done = d.Ite(t.parked_done == kCompletionDoneAll, t.parked_done, t.parked_done - 1);
  ns.ctl_sub = k.d.Lit(kSubParkInactive);
  return CtlAt(s, c, kSubParkWait) && t.parked_done > 0;
}

// WARN_ON_ONCE(!wait_task_inactive(k, TASK_PARKED)); kthread_park() returns 0 either way,
// so park_returned is set unconditionally and park_postcondition reports the mismatch.
KTH_STEP(kKthreadParkWaitInactive) {
  const D& d = k.d;
  nt.park_returned = d.B(true);
  ns.ctl_sub = d.Ite(s.ctl_op == kOpRegister, d.Lit(kSubUnparkTest), d.Lit(kSubTakedown));
  if (k.driver == Driver::kRunParkStop) {  // no unpark: kthread_stop() of the parked thread
    ns.ctl_op = d.Lit(kOpUnregister);
    ns.ctl_sub = d.Lit(kSubStopSet);
  }
  if (k.driver == Driver::kPercpu) {  // the kicks, from CPU 0's thread on
    ns.ctl_cpu = d.Lit(0);
    ns.ctl_sub = d.Lit(kSubKick);
  }
  return CtlAt(s, c, kSubParkInactive) && InactiveOrMismatch(k, t);
}

// kthread_unpark() (v6.12+): `if (!test_bit(SHOULD_PARK)) return;` then rebind if per-CPU.
// unpark_before_rebind clears and wakes first, and rebinds last (kKthreadUnparkWake).
KTH_STEP(kKthreadUnparkTest) {
  const D& d = k.d;
  auto parked = t.should_park;
  if (k.variant == Variant::kUnparkWithoutShouldParkCheck) parked = d.B(true);
  ns.ctl_sub = d.Ite(t.is_per_cpu, d.Lit(kSubUnparkBind), d.Lit(kSubUnparkClear));
  if (k.variant == Variant::kUnparkBeforeRebind) ns.ctl_sub = d.Lit(kSubUnparkClear);
  AfterUnpark(k, c, s, ns, !parked);
  return CtlAt(s, c, kSubUnparkTest);
}

// __kthread_bind(k, cpu, TASK_PARKED): wait_task_inactive() fails -> WARN, binding skipped.
KTH_STEP(kKthreadUnparkBind) {
  nt.bind_warn = t.bind_warn || (t.task_state & kTaskParked) == 0;
  ns.ctl_sub = k.d.Lit(kSubUnparkClear);
  if (k.variant == Variant::kUnparkBeforeRebind) AfterUnpark(k, c, s, ns, k.d.B(true));
  return CtlAt(s, c, kSubUnparkBind) && InactiveOrMismatch(k, t);
}

KTH_STEP(kKthreadUnparkClear) {
  nt.should_park = k.d.B(false);
  nt.park_returned = k.d.B(false);
  ns.ctl_sub = k.d.Lit(kSubUnparkWake);
  return CtlAt(s, c, kSubUnparkClear);
}

// wake_up_state(k, TASK_PARKED): the only wakeup that matches TASK_PARKED.
KTH_STEP(kKthreadUnparkWake) {
  auto g = Wake(k, t, nt, kTaskParked, kPendParked);
  if (k.variant == Variant::kUnparkBeforeRebind) {  // the rebind of a per-CPU thread follows
    ns.ctl_sub = k.d.Ite(t.is_per_cpu, k.d.Lit(kSubUnparkBind), ns.ctl_sub);
    AfterUnpark(k, c, s, ns, !t.is_per_cpu);
  } else {
    AfterUnpark(k, c, s, ns, k.d.B(true));
  }
  return CtlAt(s, c, kSubUnparkWake) && g;
}

// kthread_stop(): set_bit(SHOULD_STOP); kthread_unpark(k); wake_up_process(k); wait exited.
KTH_STEP(kKthreadStopSetBit) {
  nt.should_stop = k.d.B(true);
  bool skip_unpark = k.variant == Variant::kStopWithoutUnpark;
  ns.ctl_sub = k.d.Lit(skip_unpark ? StopAfterUnpark(k.thread_fn) : kSubUnparkTest);
  return CtlAt(s, c, kSubStopSet);
}

// set_tsk_thread_flag(k, TIF_NOTIFY_SIGNAL), plain kthreads only (StopAfterUnpark()).
KTH_STEP(kKthreadStopSignal) {
  if (k.thread_fn == ThreadFn::kSmpboot) return k.d.B(false);
  nt.notify_signal = k.d.B(true);
  ns.ctl_sub = k.d.Lit(kSubStopWake);
  return CtlAt(s, c, kSubStopSignal);
}

KTH_STEP(kKthreadStopWake) {
  auto g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  ns.ctl_sub = k.d.Lit(kSubStopWait);
  return CtlAt(s, c, kSubStopWake) && g;
}

// wait_for_completion(&exited), then smpboot_destroy_threads() moves to the next CPU.
KTH_STEP(kKthreadStopWaitExited) {
  const D& d = k.d;
  auto last = !(c + 1 < k.n_cpus);
  nt.exited_done = t.exited_done - 1;
  ns.ctl_op = d.Ite(last, d.Lit(kOpDone), s.ctl_op);
  ns.ctl_sub = d.Ite(last, d.Lit(kSubNone), d.Lit(kSubStopSet));
  ns.ctl_cpu = d.Ite(last, d.Lit(0), c + 1);
  return CtlAt(s, c, kSubStopWait) && t.exited_done > 0;
}

// cpu_down(c): the CPUHP_AP_SMPBOOT_THREADS teardown parks the thread (kthread_park), then
// takedown_cpu() clears the online bit.  The model does not keep a last CPU online (the boot
// CPU is abstracted away), so N = 1 can take part in hotplug.
KTH_STEP(kCpuDownBegin) {
  const D& d = k.d;
  ns.ctl_op = d.Lit(kOpOffline);
  ns.ctl_cpu = c;
  ns.ctl_sub = d.Lit(kSubParkSet);
  ns.offlines_left = s.offlines_left - 1;
  return s.ctl_op == kOpIdle && t.online && s.offlines_left > 0;
}

KTH_STEP(kTakedownCpu) {
  const D& d = k.d;
  nt.online = d.B(false);
  ns.ctl_op = d.Lit(kOpIdle);
  ns.ctl_sub = d.Lit(kSubNone);
  ns.ctl_cpu = d.Lit(0);
  return CtlAt(s, c, kSubTakedown);
}

// cpu_up(c): the CPU is marked online at bringup, before CPUHP_AP_SMPBOOT_THREADS startup
// runs smpboot_unpark_threads() -> kthread_unpark().  ATOMICITY: the controller's choice of
// CPU is private, so choosing and marking online are one step.
// unpark_before_online unparks first: this step then chooses the CPU and starts the unpark,
// and, once kthread_unpark() returned (AfterUnpark leaves cpu_up at kSubNone), marks the CPU
// online and goes idle.
KTH_STEP(kCpuUpOnline) {
  const D& d = k.d;
  if (k.variant == Variant::kUnparkBeforeOnline) {
    auto begin = s.ctl_op == kOpIdle && !t.online;
    auto finish = s.ctl_op == kOpOnline && CtlAt(s, c, kSubNone);
    nt.online = finish;
    ns.ctl_op = d.Ite(begin, d.Lit(kOpOnline), d.Lit(kOpIdle));
    ns.ctl_cpu = d.Ite(begin, c, d.Lit(0));
    ns.ctl_sub = d.Ite(begin, d.Lit(kSubUnparkTest), d.Lit(kSubNone));
    return begin || finish;
  }
  nt.online = d.B(true);
  ns.ctl_op = d.Lit(kOpOnline);
  ns.ctl_cpu = c;
  ns.ctl_sub = d.Lit(kSubUnparkTest);
  return s.ctl_op == kOpIdle && !t.online;
}

// smpboot_unregister_percpu_thread(): after the H offlines; stops CPUs 0..N-1 in order,
// including the parked threads of offline CPUs.
// exit_without_stop: the module's exit returns without kthread_stop() (the seed's unload
// bug): the driver is done while its threads live.
KTH_STEP(kSmpbootUnregister) {
  const D& d = k.d;
  const bool no_stop = k.variant == Variant::kExitWithoutStop;
  ns.ctl_op = d.Lit(no_stop ? kOpDone : kOpUnregister);
  ns.ctl_cpu = d.Lit(0);
  ns.ctl_sub = d.Lit(no_stop ? kSubNone : kSubStopSet);
  return s.ctl_op == kOpIdle && s.offlines_left == 0 && c == 0;
}

// kthread_run(): the wake_up_process() after kthread_create(), before the driver parks.
// Only the kRun* drivers start at kSubRunWake; under kSmpboot the step does not exist.
// kRunStop goes idle, and from there to kthread_stop() (kSmpbootUnregister); kRunWaitStop
// first waits for its thread's start signal (steps_start.h kStartWarn goes idle).
// kPercpu wakes its threads in CPU order, then parks the last one.
KTH_STEP(kKthreadRunWake) {
  const D& d = k.d;
  if (!StartsWithKthreadRun(k.driver)) return d.B(false);
  auto g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  if (k.driver == Driver::kRunWaitStop) {  // on to the wait for the start (steps_start.h)
    ns.ctl_sub = d.Lit(HandRolledStart(k.variant) ? kSubStartSet : kSubStartWait);
    return CtlAt(s, c, kSubRunWake) && g;
  }
  if (FreezerDriver(k.driver)) {  // on to the suspend (steps_freezer.h)
    ns.ctl_sub = d.Lit(kSubFreezeBegin);
    return CtlAt(s, c, kSubRunWake) && g;
  }
  if (k.driver == Driver::kRunCpuDownStop) {  // on to the wait for its start (steps_migrate.h)
    ns.ctl_sub = d.Lit(kSubMigrateStartWait);
    return CtlAt(s, c, kSubRunWake) && g;
  }
  if (k.driver == Driver::kRunWorkerDelayedExit) {  // on to its works (steps_delayed_work.h)
    ns.ctl_sub = d.Lit(kSubWorkerQueue);
    return CtlAt(s, c, kSubRunWake) && g;
  }
  if (k.driver == Driver::kRunSleepStop) {  // on to its msleep() (steps_timed_sleep.h)
    ns.ctl_sub = d.Lit(kSubDriverSleep);
    return CtlAt(s, c, kSubRunWake) && g;
  }
  ns.ctl_sub = d.Lit(k.driver == Driver::kRunStop ? kSubNone : kSubParkSet);
  if (k.driver == Driver::kRunStop) ns.ctl_op = d.Lit(kOpIdle);
  if (k.driver == Driver::kPercpu) {
    auto more = c + 1 < k.n_cpus;
    ns.ctl_cpu = d.Ite(more, c + 1, c);
    ns.ctl_sub = d.Ite(more, d.Lit(kSubRunWake), d.Lit(kSubParkSet));
  }
  return CtlAt(s, c, kSubRunWake) && g;
}

// percpu's kick: wake_up_process() of each thread in CPU order while the last one is
// parked (it must not end that park); then kthread_unpark() of the last one, whose
// AfterUnpark() leaves the controller idle, and kthread_stop() of each (kSmpbootUnregister).
KTH_STEP(kKthreadKickWake) {
  const D& d = k.d;
  if (k.driver != Driver::kPercpu) return d.B(false);
  auto g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  auto more = c + 1 < k.n_cpus;
  ns.ctl_cpu = d.Ite(more, c + 1, c);
  ns.ctl_sub = d.Ite(more, d.Lit(kSubKick), d.Lit(kSubUnparkTest));
  return CtlAt(s, c, kSubKick) && g;
}

// The producer makes ht->thread_should_run() true for an online CPU (raise_softirq).  It
// can find the thread only after registration published it (__smpboot_create_thread step
// 5 stores it after kthread_park()), so it starts once the controller left registration.
template <class D>
BoolOf<D> ProducerMayStart(const SharedT<D>& s, const CpuT<D>& t) {
  return s.prod_pc == kProdIdle && s.prod_left > 0 && t.online && s.ctl_op != kOpRegister;
}

// In ttwu_no_barrier this is also where a work store that an early wakeup left in the
// store buffer drains (kProdBuffered, below): the item becomes visible, the producer is done.
KTH_STEP(kRaiseWork) {
  const D& d = k.d;
  auto raise = ProducerMayStart(s, t);
  auto drain = k.variant == Variant::kTtwuNoBarrier ? s.prod_pc == kProdBuffered && s.prod_cpu == c
                                                    : d.B(false);
  nt.work = t.work + 1;
  ns.prod_left = d.Ite(drain, s.prod_left, s.prod_left - 1);
  ns.prod_pc = d.Ite(drain, d.Lit(kProdIdle), d.Lit(kProdWake));
  ns.prod_cpu = d.Ite(drain, d.Lit(0), c);
  return raise || drain;
}

// wakeup_softirqd(): wake_up_process(tsk), i.e. try_to_wake_up(tsk, TASK_NORMAL).
//
// ttwu_no_barrier: without smp_mb__after_spinlock() the load of p->__state in
// try_to_wake_up() may pass the producer's buffered work store, so the wakeup can come
// first. The model takes that order only where the wakeup reads a state that does not match
// (it stores nothing): a wakeup that does store TASK_RUNNING would have to become visible
// after the work store, which the one producer position cannot hold. Every execution
// explored is so a TSO one; the wakeup that reads TASK_RUNNING is the one the bug loses.
//
// ThreadFn::kWaitEventLoop: wake_up_interruptible(&wq), i.e. __wake_up(wq,
// TASK_INTERRUPTIBLE, 1) under wq->lock (steps.h WakeQueue()).
KTH_STEP(kProducerWake) {
  const D& d = k.d;
  BoolOf<D> g = d.B(true);
  if (k.thread_fn == ThreadFn::kWaitEventLoop) {
    g = WakeQueue(k, t, nt, kTaskInterruptible);
  } else {
    g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  }
  auto raised = s.prod_pc == kProdWake && s.prod_cpu == c;
  auto early = k.variant == Variant::kTtwuNoBarrier
                   ? ProducerMayStart(s, t) && (t.task_state & kTaskNormal) == 0
                   : d.B(false);
  ns.prod_pc = d.Ite(early, d.Lit(kProdBuffered), d.Lit(kProdIdle));
  ns.prod_cpu = d.Ite(early, c, d.Lit(0));
  ns.prod_left = d.Ite(early, s.prod_left - 1, s.prod_left);
  return (raised || early) && g;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_CONTROLLER_H_
