// steps.h -- every guarded step of the smpboot hotplug model, written once over a value
// domain D (model/domain.h).
//
// Contract of Step<D>(k, a, c, s, t, ns, nt):
// - (s, t) are the shared variables and the variables of CPU c before the step; (ns, nt)
//   must be copies of (s, t) on entry and hold the variables after the step on return,
//   computed as if the guard held.  The result is the guard.
// - A step touches only the shared variables and CPU c.  proofs/induction.cc relies on this
//   locality to prove invariants for any number of CPUs with two symbolic CPU indices.
// - Effects use k.d.Ite/IteB on domain values; C++ `if` only on parameters (variant, N).
//
// Process structure (kernel-semantics.md sections 8-12, 15):
// - thread c: kthread() first sleep -> test SHOULD_STOP -> __kthread_parkme() ->
//   smpboot_thread_fn() loop; exits through kthread_exit().
// - controller: smpboot_register_percpu_thread() (park then unpark each CPU in order),
//   then cpu_down/cpu_up of any CPU until H offlines are used, then unregister
//   (kthread_stop() of each CPU in order).
// - producer: W times: raise work on an online CPU, then wake_up_process() its thread.
// - try_to_wake_up(): the state match and, for a blocked target, the wakeup happen in one
//   step (ATOMICITY: a blocked target cannot observe the TASK_WAKING window; other wakers
//   see no match either way).  For a target still on its runqueue the TASK_RUNNING store is
//   a later step (kTtwuDoWakeup), so the target can overwrite or be overwritten in between.
//   A waker waits while a wakeup of the same target is in flight (it spins on p->pi_lock).
#ifndef KTHCHECK_MODEL_STEPS_H_
#define KTHCHECK_MODEL_STEPS_H_

#include "model/ids.h"
#include "model/state.h"

namespace kthcheck::model {

template <class D>
struct StepContext {
  const D& d;
  Variant variant;
  typename D::Int n_cpus;  // N; symbolic in the parametric proofs
  // The configuration (state.h); proofs/ reads only the smpboot default.
  ThreadFn thread_fn = ThreadFn::kSmpboot;
  Driver driver = Driver::kSmpboot;
};

template <class D>
using BoolOf = typename D::Bool;

// The event test before the state store: event_check_before_set_state, and
// event_test_under_preempt_disable, which does the same with preemption disabled around
// the test and the store. The model has no CPUs and no preemption: it cannot say which
// tasks preempt_disable() keeps out (those of the same CPU), and the waker the port's
// variant loses (a hard interrupt) is not one of them. So the two take the same steps
// here, but for the one line the port's variant leaves out (kFnTestWork); --irq=threaded,
// where they differ in the port, has no model counterpart.
inline bool TestsBeforeState(Variant v) {
  return v == Variant::kEventCheckBeforeSetState || v == Variant::kEventTestUnderPreemptDisable;
}

// The loops' TASK_INTERRUPTIBLE store without the smp_mb() of set_current_state(): it goes
// to the store buffer (sb_state) and drains in kStateStoreDrain, at any point before the
// thread's next store to its state or its schedule() (whose rq lock is a full barrier). In
// between, the thread's flag and work loads run and other CPUs read the old TASK_RUNNING:
// a wakeup then does nothing, and the drain leaves the thread to sleep. This is the store
// buffer of TSO for that one store; the model's other accesses stay sequentially
// consistent.
inline bool StateStoreBuffered(Variant v) {
  return v == Variant::kEventLoopNoBarrier || v == Variant::kSmpbootNoBarrier ||
         v == Variant::kParkableLoopNoBarrier;
}

// kthread_exit() makes what kthread_stop() waits for visible before the result:
// exit_before_result completes `exited` first; exit_flag_without_release's flag store
// passes the result store (PSO), and the model takes the same two steps for it.
inline bool ResultAfterPublication(Variant v) {
  return v == Variant::kExitBeforeResult || v == Variant::kExitFlagWithoutRelease;
}

// A thread step that stores to its own __state (`writes`) waits for a buffered state store
// to drain first: TSO drains a CPU's stores in order (StateStoreBuffered).
template <class D>
BoolOf<D> Drained(const CpuT<D>& t, BoolOf<D> writes) {
  return !(t.sb_state && writes);
}

// Where smpboot_thread_fn's loop starts: at set_current_state(TASK_INTERRUPTIBLE), or, in
// the event_check_before_set_state and smpboot_check_before_set_state variants, at the
// first event test.
inline int LoopTop(Variant v) {
  bool late = TestsBeforeState(v) || v == Variant::kSmpbootCheckBeforeSetState;
  return late ? kLStop : kLSet;
}

// Where smpboot_thread_fn's schedule() returns to: the loop top, or, in
// smpboot_park_after_schedule, the should_park test that follows schedule() there.
inline int AfterSchedule(Variant v) {
  return v == Variant::kSmpbootParkAfterSchedule ? kLPark : LoopTop(v);
}

// Where __kthread_parkme()'s loop starts: at set_special_state(TASK_PARKED), or, in
// parkme_complete_before_state, at the `parked` completion that precedes it there.
inline int ParkmeTop(Variant v) {
  return v == Variant::kParkmeCompleteBeforeState ? kPComplete : kPSet;
}

// The loops that wait on a wait queue (steps_wait_event.h): wait_event_interruptible(), and
// the freezable thread's wait_event_freezable() (steps_freezer.h).
inline bool WaitLoop(ThreadFn f) {
  return f == ThreadFn::kWaitEventLoop || f == ThreadFn::kFreezableWaitLoop;
}
// The configurations with the freezer (steps_freezer.h): the freezable thread, and the
// KTW_FREEZABLE kthread_worker (steps_worker.h).
inline bool Freezable(ThreadFn f) {
  return f == ThreadFn::kFreezableWaitLoop || f == ThreadFn::kFreezableWorker;
}
inline bool FreezerDriver(Driver d) {
  return d == Driver::kRunFreezeStop || d == Driver::kRunWorkerFreezeStop;
}

// The blocked (dequeued) positions. The refrigerator's is one only where there is a
// freezer: the other configurations' formulas stay as they were (the BMC's time on the
// deep rows moves with any change to them, proofs/README.md).
template <class D>
BoolOf<D> Sleeping(const StepContext<D>& k, const CpuT<D>& t) {
  auto r = t.pc == kTNew || t.pc == kPSleep || t.pc == kLSleep || t.pc == kFSleep ||
           t.pc == kFTimedSleep;
  if (Freezable(k.thread_fn)) r = r || t.pc == kZFrozenSleep;
  return r;
}

// Where kthread_stop() goes after its kthread_unpark(): its wakeup, or, for a plain kthread,
// first TIF_NOTIFY_SIGNAL (v6.1+). The smpboot model leaves the signal out (its proofs and
// counts predate it); conformance maps the port's signal there (checker/cli/conformance.cc).
inline int StopAfterUnpark(ThreadFn f) {
  return f == ThreadFn::kSmpboot ? kSubStopWake : kSubStopSignal;
}

// Where a parkable threadfn goes on past its park test (and where kthread_parkme() called
// there returns): its set_current_state(), or the parkable timed loop's msleep().
inline int AfterParkTest(ThreadFn f) {
  return f == ThreadFn::kParkableTimedLoop ? kFTimedTop : kFSet;
}

// Where a plain kthread's threadfn starts, once kthread()'s first __kthread_parkme()
// returns: its loop's top, or, in completion_sync's start handshake, the start signal
// before it (steps_start.h); the freezable thread's and worker's set_freezable()
// (steps_freezer.h).
inline int FnEntry(Driver d) {
  if (FreezerDriver(d)) return kZSetFreezable;
  if (d == Driver::kRunWorkerDelayedExit) return kKSet;  // kthread_worker_fn()'s repeat:
  if (d == Driver::kRunCpuDownStop) return kMStart;      // hotplug_migrate's busy_fn()
  return d == Driver::kRunWaitStop ? kFStartFlag : kFTop;
}

// schedule() of a plain kthread: does it block? Not if a wakeup's TASK_RUNNING store landed,
// nor in TASK_INTERRUPTIBLE with TIF_NOTIFY_SIGNAL set (signal_pending_state(); __schedule()
// then stores TASK_RUNNING itself).
template <class D>
BoolOf<D> FnBlocks(const CpuT<D>& t) {
  return t.task_state != kTaskRunning &&
         !((t.task_state & kTaskInterruptible) != 0 && t.notify_signal);
}

// hand_rolled_wait_without_loop: the wait-queue loop's wait written out by hand, with
// neither the fast-path test nor the loop around schedule() (steps_wait_event.h).
inline bool HandRolledWait(Variant v) { return v == Variant::kHandRolledWaitWithoutLoop; }

// hog_loop: the timed loop without its sleep: `while (!kthread_should_stop()) poll();`.
inline bool HogLoop(Variant v) { return v == Variant::kHogLoop; }

// start_flag_without_loop: completion_sync's creator hand-rolls its wait for the thread's
// start signal, with one test and no loop (steps_start.h).
inline bool HandRolledStart(Variant v) { return v == Variant::kStartFlagWithoutLoop; }

// Where a plain threadfn's schedule() returns to: its TASK_RUNNING store, or, in the event
// loop (`schedule(); continue;`), the loop's top.
// In ___wait_event() (kWaitEventLoop) it is the loop's prepare_to_wait_event(); in the
// hand-rolled wait, which does not loop, its finish_wait().
inline int AfterFnSchedule(ThreadFn f, Variant v) {
  if (WaitLoop(f)) return HandRolledWait(v) ? kWFinish : kWPrepare;
  if (f == ThreadFn::kFreezableWorker) return kZTryFreeze;  // kthread_worker_fn()
  if (f == ThreadFn::kWorker) return kKSet;  // not freezable: try_to_freeze() returns
  return f == ThreadFn::kEventLoop ? kFTop : kFRunning;
}

// The position after the schedule() call that a blocked thread sleeps in.
template <class D>
typename D::Int Resume(const StepContext<D>& k, const CpuT<D>& t) {
  const D& d = k.d;
  auto r = d.Ite(t.pc == kTNew, d.Lit(kTStarted),
                 d.Ite(t.pc == kPSleep, d.Lit(ParkmeTop(k.variant)),
                       d.Ite(t.pc == kFSleep, d.Lit(AfterFnSchedule(k.thread_fn, k.variant)),
                             d.Ite(t.pc == kFTimedSleep, d.Lit(kFTimedTop),
                                   d.Lit(AfterSchedule(k.variant))))));
  if (Freezable(k.thread_fn))  // the refrigerator's schedule() loops to its state store
    r = d.Ite(t.pc == kZFrozenSleep, d.Lit(kZRefrigSet), r);
  return r;
}

// try_to_wake_up(p, mask) with the ttwu_state_match() rule (kernel-semantics 2.2).
// Guard (pi_lock): no other wakeup of p in flight.
template <class D>
BoolOf<D> Wake(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt, int mask, int kind) {
  const D& d = k.d;
  // ttwu_matches_any_sleep: any state but TASK_RUNNING matches, whatever mask is named.
  auto match = k.variant == Variant::kTtwuMatchesAnySleep ? t.task_state != kTaskRunning
                                                          : (t.task_state & mask) != 0;
  auto now = match && Sleeping(k, t);
  nt.task_state = d.Ite(now, d.Lit(kTaskRunning), t.task_state);
  nt.pc = d.Ite(now, Resume(k, t), t.pc);
  nt.pending = d.Ite(match && !Sleeping(k, t), d.Lit(kind), t.pending);
  if (Freezable(k.thread_fn)) {
    // v6.7+: a frozen sleeper whose saved state matches keeps sleeping; the wakeup is
    // recorded in saved_state (TASK_RUNNING) for __thaw_task(), and it succeeds.
    auto saved = !match && (t.saved_state & mask) != 0;
    nt.saved_state = d.Ite(saved, d.Lit(kTaskRunning), t.saved_state);
  }
  return t.pending == kPendNone;
}

// The effects of a try_to_wake_up() computed into `woken` (a copy of nt), kept only where
// `when` holds: a wakeup inside a step that may not send it.
template <class D>
void MergeWake(const StepContext<D>& k, const CpuT<D>& woken, CpuT<D>& nt, BoolOf<D> when) {
  const D& d = k.d;
  nt.task_state = d.Ite(when, woken.task_state, nt.task_state);
  nt.pc = d.Ite(when, woken.pc, nt.pc);
  nt.pending = d.Ite(when, woken.pending, nt.pending);
  if (Freezable(k.thread_fn)) nt.saved_state = d.Ite(when, woken.saved_state, nt.saved_state);
}

// A try_to_wake_up(p, mask) that only happens when `when` holds, inside a step whose other
// effects are already in nt (the freezer's and the worker's). Its guard (pi_lock) binds
// only then.
template <class D>
BoolOf<D> WakeWhen(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt, BoolOf<D> when,
                   int mask) {
  CpuT<D> woken = nt;
  auto g = Wake(k, t, woken, mask, kPendNormal);
  MergeWake(k, woken, nt, when);
  return !when || g;
}

// __wake_up(wq, mask, 1) under wq->lock, for the wait-queue loops: a queued entry's
// autoremove_wake_function() tries to wake the thread, and takes the entry off the queue
// if that succeeded (the state, or the frozen sleeper's saved state, matched); an empty
// queue wakes nobody. The step waits for an in-flight wakeup of the thread either way, as
// it did before WakeWhen() existed (the wait-queue loop's golden counts rest on it).
template <class D>
BoolOf<D> WakeQueue(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt, int mask) {
  CpuT<D> woken = nt;
  auto g = Wake(k, t, woken, mask, kPendNormal);
  BoolOf<D> success = (t.task_state & mask) != 0;
  if (Freezable(k.thread_fn)) success = success || (t.saved_state & mask) != 0;
  MergeWake(k, woken, nt, t.queued);
  nt.queued = t.queued && !success;
  return g;
}

// wait_task_inactive(p, TASK_PARKED) can return: p is off its runqueue (blocked, no
// wakeup in flight), or p's state no longer matches (it returns 0 and the caller WARNs).
template <class D>
BoolOf<D> InactiveOrMismatch(const StepContext<D>& k, const CpuT<D>& t) {
  return (Sleeping(k, t) && t.pending == kPendNone) || (t.task_state & kTaskParked) == 0;
}

template <class D>
BoolOf<D> CtlAt(const SharedT<D>& s, typename D::Int c, int sub) {
  return s.ctl_sub == sub && s.ctl_cpu == c;
}

// Where the controller goes once kthread_unpark(c) returns: the next CPU of registration,
// idle after cpu_up, or on to kthread_stop()'s wakeup.  In unpark_before_online, cpu_up()
// stays on c with no sub-position: set_cpu_online() is still to come (kCpuUpOnline).
template <class D>
void AfterUnpark(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s, SharedT<D>& ns,
                 BoolOf<D> when) {
  const D& d = k.d;
  bool online_last = k.variant == Variant::kUnparkBeforeOnline;
  auto reg = s.ctl_op == kOpRegister;
  auto more = c + 1 < k.n_cpus;
  auto reg_next = reg && more;
  auto up = s.ctl_op == kOpOnline;
  auto to_idle = (reg && !more) || (online_last ? d.B(false) : up);
  auto to_none = to_idle || (online_last ? up : d.B(false));
  ns.ctl_op = d.Ite(when && to_idle, d.Lit(kOpIdle), ns.ctl_op);
  ns.ctl_cpu = d.Ite(when && reg_next, c + 1, d.Ite(when && to_idle, d.Lit(0), ns.ctl_cpu));
  ns.ctl_sub = d.Ite(when,
                     d.Ite(reg_next, d.Lit(kSubParkSet),
                           d.Ite(to_none, d.Lit(kSubNone), d.Lit(StopAfterUnpark(k.thread_fn)))),
                     ns.ctl_sub);
}

}  // namespace kthcheck::model

// The signature every step shares: kName##Step(k, c, s, t, ns, nt) -> guard.
#define KTH_STEP(name)                                                                          \
  template <class D>                                                                            \
  BoolOf<D> name##Step(const StepContext<D>& k, [[maybe_unused]] typename D::Int c,             \
                       [[maybe_unused]] const SharedT<D>& s, [[maybe_unused]] const CpuT<D>& t, \
                       [[maybe_unused]] SharedT<D>& ns, [[maybe_unused]] CpuT<D>& nt)

// clang-format off: the order is the one each header's helpers are declared in.
#include "model/steps_controller.h"  // IWYU pragma: export
#include "model/steps_thread.h"      // IWYU pragma: export
#include "model/steps_threadfn.h"    // IWYU pragma: export
#include "model/steps_event_loop.h"  // IWYU pragma: export
#include "model/steps_wait_event.h"  // IWYU pragma: export
#include "model/steps_timed_sleep.h" // IWYU pragma: export
#include "model/steps_start.h"       // IWYU pragma: export
#include "model/steps_freezer.h"     // IWYU pragma: export
#include "model/steps_worker.h"      // IWYU pragma: export
#include "model/steps_delayed_work.h" // IWYU pragma: export
#include "model/steps_migrate.h"     // IWYU pragma: export
// clang-format on

#undef KTH_STEP

namespace kthcheck::model {

template <class D>
BoolOf<D> Step(const StepContext<D>& k, ActionId a, typename D::Int c, const SharedT<D>& s,
               const CpuT<D>& t, SharedT<D>& ns, CpuT<D>& nt) {
  switch (a) {
#define ACTION(e, process, label) \
  case ActionId::e:               \
    return e##Step(k, c, s, t, ns, nt);
#include "model/actions.def"
#undef ACTION
  }
  return k.d.B(false);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_H_
