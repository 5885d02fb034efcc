// steps_wait_event.h -- a plain kthread that waits on a wait queue (ThreadFn::kWaitEventLoop,
// state.h): the seed's wait_event_interruptible() loop (the port's wait_event_loop module).
// The freezable thread's wait_event_freezable() loop takes the same steps
// (ThreadFn::kFreezableWaitLoop, steps_freezer.h), in TASK_INTERRUPTIBLE|TASK_FREEZABLE.
// Included by model/steps.h only; see its contract. One step per line:
//   while (!kthread_should_stop()) {                            kFnTestStop
//     wait_event_interruptible(wq, work || kthread_should_stop()):
//       if (!(work ||                                           kWaitFastWork
//             kthread_should_stop()))                           kWaitFastStop
//         for (;;) {
//           prepare_to_wait_event(&wq, &e, TASK_INTERRUPTIBLE); kWaitPrepare
//           if (work ||                                         kWaitCondWork
//               kthread_should_stop()) break;                   kWaitCondStop
//           schedule();                                         kFnSchedule (kFSleep)
//         }
//         finish_wait(&wq, &e);                                 kWaitFinish
//     if (kthread_should_stop()) break;                         kWaitStopTest
//     WARN_ON(!work); work = 0;                                 kWaitConsume
//   }
// The producer is the smpboot model's (kRaiseWork, then kProducerWake), whose wakeup here is
// wake_up_interruptible(&wq): __wake_up() under wq->lock, autoremove_wake_function() of a
// queued entry. ___wait_event()'s -ERESTARTSYS exit is not a step: prepare_to_wait_event()
// sees the signal only once kthread_stop() set TIF_NOTIFY_SIGNAL, which it does after
// SHOULD_STOP, so the condition that follows holds and breaks the loop first.
//
// hand_rolled_wait_without_loop (HandRolledWait()) writes the wait out by hand:
//     prepare_to_wait(&wq, &wait, TASK_INTERRUPTIBLE);           kWaitPrepare
//     if (!(work ||                                              kWaitCondWork
//           kthread_should_stop()))                              kWaitCondStop
//       schedule();                                              kFnSchedule (kFSleep)
//     finish_wait(&wq, &wait);                                   kWaitFinish
// with no fast path and no loop: schedule() returns to finish_wait() whatever woke it.
#ifndef KTHCHECK_MODEL_STEPS_WAIT_EVENT_H_
#define KTHCHECK_MODEL_STEPS_WAIT_EVENT_H_

namespace kthcheck::model {

// Each test is one read of one variable, so one line is one step.
KTH_STEP(kWaitFastWork) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.work > 0, d.Lit(kWStopTest), d.Lit(kWFastStop));
  return t.pc == kWFastWork;
}

KTH_STEP(kWaitFastStop) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_stop, d.Lit(kWStopTest), d.Lit(kWPrepare));
  return t.pc == kWFastStop;
}

// ATOMICITY: the whole call runs under wq->lock, as does __wake_up(), so the producer's
// wakeup sees the entry queued with TASK_INTERRUPTIBLE set, or neither. With a signal
// pending (TIF_NOTIFY_SIGNAL) the entry comes off the queue and the state is left alone.
// The hand-rolled wait's prepare_to_wait() does not look at signals: it queues the entry
// and sets the state (schedule() then does not block, FnBlocks()).
KTH_STEP(kWaitPrepare) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  BoolOf<D> signalled = HandRolledWait(k.variant) ? d.B(false) : t.notify_signal;
  nt.queued = !signalled;
  // wait_event_freezable(): the freezer may freeze the sleeper in place (steps_freezer.h).
  const int state = kTaskInterruptible | (Freezable(k.thread_fn) ? kTaskFreezable : 0);
  nt.task_state = d.Ite(signalled, t.task_state, d.Lit(state));
  nt.pc = d.Lit(kWCondWork);
  return t.pc == kWPrepare;
}

KTH_STEP(kWaitCondWork) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.work > 0, d.Lit(kWFinish), d.Lit(kWCondStop));
  return t.pc == kWCondWork;
}

KTH_STEP(kWaitCondStop) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_stop, d.Lit(kWFinish), d.Lit(kFSchedule));
  return t.pc == kWCondStop;
}

// finish_wait(): __set_current_state(TASK_RUNNING), then the entry off the queue under
// wq->lock if a wakeup did not take it off. ATOMICITY: a __wake_up() between the two finds
// the entry with TASK_RUNNING: try_to_wake_up() fails, so autoremove_wake_function() leaves
// it for finish_wait() to remove; the same as a wakeup after the step.
KTH_STEP(kWaitFinish) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.queued = d.B(false);
  nt.pc = d.Lit(kWStopTest);
  return t.pc == kWFinish;
}

KTH_STEP(kWaitStopTest) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_stop, d.Lit(kTExit), d.Lit(kWConsume));
  return t.pc == kWStopTest;
}

// WARN_ON(!work): the invariant wait_condition (invariants.h) is that it does not fire
// here. The faithful loop returns from its wait only with work or a stop; the hand-rolled
// wait returns from any wakeup, a stale one too. ATOMICITY: the read and the store of 0
// are one step because the producer stores its one item once (W <= 1, Validate()), so
// nothing comes in between.
KTH_STEP(kWaitConsume) {
  const D& d = k.d;
  if (!WaitLoop(k.thread_fn)) return d.B(false);
  nt.work = d.Lit(0);
  nt.pc = d.Lit(kFTop);
  return t.pc == kWConsume;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_WAIT_EVENT_H_
