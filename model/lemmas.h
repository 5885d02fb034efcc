// lemmas.h -- strengthening lemmas (is_lemma rows of invariants.def).
//
// They make the conjunction of invariants inductive for proofs/induction.cc; each is a
// per-CPU predicate like the invariants, and the explicit engine checks them on the
// faithful model (for variants they may legitimately fail, so they are skipped there).
// Included by model/invariants.h only (uses its helpers).
#ifndef KTHCHECK_MODEL_LEMMAS_H_
#define KTHCHECK_MODEL_LEMMAS_H_

#include <initializer_list>

namespace kthcheck::model {

template <class D>
BoolOf<D> InRange(const typename D::Int& v, int lo, int hi) {
  return lo <= v && v <= hi;
}

template <class D>
BoolOf<D> PcIn(const CpuT<D>& t, std::initializer_list<int> pcs) {
  auto e = t.pc == *pcs.begin();
  for (int pc : pcs) e = e || t.pc == pc;
  return e;
}

// Inside __kthread_parkme() after set_special_state(TASK_PARKED).
template <class D>
BoolOf<D> InParkedSection(const CpuT<D>& t) {
  return PcIn(t, {kPTest, kPBreak, kPComplete, kPSchedule, kPSleep});
}

// smpboot_thread_fn positions after the (d) should_park test, up to the sleep.
template <class D>
BoolOf<D> PastParkCheck(const CpuT<D>& t) {
  return PcIn(t, {kLStatus, kLRunCheck, kLThreadFn, kLSchedule, kLSleep});
}

// Each program counter fixes the task state, and a wakeup is in flight only for a
// TASK_INTERRUPTIBLE sleeper of the loop (or one that just stored TASK_RUNNING over it).
template <class D>
BoolOf<D> LemmaTaskState(const StepContext<D>& k, const CpuT<D>& t) {
  auto running = t.task_state == kTaskRunning;
  auto loop_state = running || t.task_state == kTaskInterruptible;
  return !t.sb_state && InRange<D>(t.pc, 0, kTDead) && InRange<D>(t.status, 0, kHpParked) &&
         InRange<D>(t.pending, 0, kPendNormal) && InRange<D>(t.parked_done, 0, 1) &&
         InRange<D>(t.exited_done, 0, 1) && InRange<D>(t.work, 0, kMaxWork) &&
         Implies<D>(t.pc == kTNew, t.task_state == kTaskUninterruptible && t.status == kHpNone) &&
         Implies<D>(t.pc == kTStarted, running && t.status == kHpNone) &&
         Implies<D>(t.pc == kPSet || t.pc == kLSet || t.pc == kTExit, running) &&
         Implies<D>(InParkedSection(t), t.task_state == kTaskParked) &&
         Implies<D>(InParkedSection(t) || t.pc == kPSet, t.status != kHpActive) &&
         Implies<D>(PcIn(t, {kLStop, kLPark}) || PastParkCheck(t), loop_state) &&
         Implies<D>(t.pc == kLSleep, t.task_state == kTaskInterruptible) &&
         Implies<D>(t.pc == kTDead, t.task_state == kTaskDead) &&
         Implies<D>(t.pending != kPendNone,
                    PcIn(t, {kPSet, kLSet, kLStop, kLPark, kTExit}) || PastParkCheck(t)) &&
         Implies<D>(t.pending != kPendNone && (PcIn(t, {kLStop, kLPark}) || PastParkCheck(t)),
                    t.task_state == kTaskInterruptible) &&
         Implies<D>(t.pc == kLThreadFn, t.work > 0) &&
         Implies<D>(PcIn(t, {kPComplete, kPSchedule}), t.should_park) &&
         Implies<D>(t.parked_done == 1, PcIn(t, {kPSchedule, kPSleep}) && t.should_park) &&
         Implies<D>(PcIn(t, {kTExit, kTDead}), t.should_stop && !t.should_park) &&
         Implies<D>(t.exited_done == 1, t.pending == kPendNone) && t.is_per_cpu && !t.bind_warn &&
         k.d.B(true);
}

// The controller is inside kthread_park(c) after setting SHOULD_PARK.
template <class D>
BoolOf<D> Parking(typename D::Int c, const SharedT<D>& s) {
  return s.ctl_cpu == c &&
         (s.ctl_sub == kSubParkWake || s.ctl_sub == kSubParkWait || s.ctl_sub == kSubParkInactive);
}

template <class D>
BoolOf<D> CtlShape(const StepContext<D>& k, const SharedT<D>& s) {
  auto op = s.ctl_op;
  auto sub = s.ctl_sub;
  auto park_subs =
      sub == kSubParkSet || sub == kSubParkWake || sub == kSubParkWait || sub == kSubParkInactive;
  auto unpark_subs = sub == kSubUnparkTest || sub == kSubUnparkBind || sub == kSubUnparkClear ||
                     sub == kSubUnparkWake;
  auto stop_subs = sub == kSubStopSet || sub == kSubStopWake || sub == kSubStopWait;
  return InRange<D>(op, 0, kOpDone) && 0 <= s.ctl_cpu && s.ctl_cpu < k.n_cpus &&
         InRange<D>(s.offlines_left, 0, kMaxHotplug) &&
         Implies<D>(op == kOpRegister, park_subs || unpark_subs) &&
         Implies<D>(op == kOpIdle || op == kOpDone, sub == kSubNone && s.ctl_cpu == 0) &&
         Implies<D>(op == kOpOffline, park_subs || sub == kSubTakedown) &&
         Implies<D>(op == kOpOnline, unpark_subs) &&
         Implies<D>(op == kOpUnregister, unpark_subs || stop_subs) &&
         Implies<D>(op == kOpDone, s.offlines_left == 0) &&
         Implies<D>(op == kOpUnregister, s.offlines_left == 0);
}

// The controller's position relative to CPU c, shared by the lemma groups below.
template <class D>
struct CtlView {
  BoolOf<D> mine, before_me, after_me, stopping, held;
  typename D::Int op, sub;

  CtlView(typename D::Int c, const SharedT<D>& s, const CpuT<D>& t)
      : mine(s.ctl_cpu == c),
        before_me(c < s.ctl_cpu),
        after_me(s.ctl_cpu < c),
        // kthread_stop(c) has set SHOULD_STOP (or the thread was stopped earlier).
        stopping(s.ctl_op == kOpDone ||
                 (s.ctl_op == kOpUnregister &&
                  (c < s.ctl_cpu || (s.ctl_cpu == c && s.ctl_sub != kSubStopSet)))),
        held(t.park_returned),  // parked by the controller, not yet unparked
        op(s.ctl_op),
        sub(s.ctl_sub) {}

  BoolOf<D> At(int which) const { return mine && sub == which; }
};

// Registration order: CPUs after the controller's are untouched, and no thread has work or
// a stop request before it is published; stopped threads are dead.
template <class D>
BoolOf<D> LemmaRegisterAndStop(const StepContext<D>& k, const CtlView<D>& v, const CpuT<D>& t) {
  auto fresh = t.pc == kTNew && !t.should_park && !t.should_stop && t.online && t.work == 0 &&
               t.parked_done == 0 && t.exited_done == 0 && t.pending == kPendNone;
  auto reg = v.op == kOpRegister;
  auto early = v.mine && (v.sub == kSubParkSet || v.sub == kSubParkWake);
  return Implies<D>(reg && (v.after_me || v.At(kSubParkSet)), fresh) &&
         Implies<D>(reg, t.online && t.work == 0) &&
         Implies<D>(t.pc == kTNew, reg && !v.before_me && k.d.IteB(v.mine, early, fresh)) &&
         t.should_stop == v.stopping &&
         Implies<D>(v.op == kOpDone || (v.op == kOpUnregister && v.before_me),
                    t.pc == kTDead && t.exited_done == 0) &&
         Implies<D>(t.pc == kTDead, (t.exited_done == 1) == (v.mine && v.op == kOpUnregister)) &&
         Implies<D>(t.exited_done == 1, v.mine && v.op == kOpUnregister && v.sub != kSubStopSet) &&
         Implies<D>(v.op == kOpOnline && v.mine, t.online);
}

// The park/unpark handshake: SHOULD_PARK, parked.done and park_returned against the
// controller's position inside kthread_park()/kthread_unpark(), and where an offline CPU's
// thread can be.
template <class D>
BoolOf<D> LemmaParkHandshake(typename D::Int c, const SharedT<D>& s, const CtlView<D>& v,
                             const CpuT<D>& t) {
  auto parked_pcs = PcIn(t, {kPSchedule, kPSleep});
  auto unparking = v.At(kSubUnparkTest) || v.At(kSubUnparkBind) || v.At(kSubUnparkClear);
  auto held_ok = unparking || v.At(kSubTakedown) || (v.op == kOpUnregister && v.At(kSubStopSet));
  return Implies<D>(t.should_park, v.held || Parking(c, s)) &&
         Implies<D>(Parking(c, s), t.online && t.should_park && !v.held) &&
         Implies<D>(v.At(kSubParkSet), t.online && !t.should_park && !v.held) &&
         Implies<D>(v.At(kSubParkWake) || v.At(kSubParkWait), (t.parked_done == 1) == parked_pcs) &&
         Implies<D>(v.At(kSubParkInactive), parked_pcs && t.parked_done == 0) &&
         Implies<D>(v.At(kSubTakedown) || v.At(kSubUnparkBind) || v.At(kSubUnparkClear), v.held) &&
         Implies<D>(v.At(kSubUnparkTest), v.held || (v.op == kOpUnregister && !t.should_park)) &&
         Implies<D>(v.At(kSubUnparkWake), t.pc == kPSleep && !t.should_park && !v.held) &&
         Implies<D>(t.pc == kPSleep && !t.should_park, v.At(kSubUnparkWake)) &&
         Implies<D>(v.held, held_ok || !t.online) && Implies<D>(!t.online, v.held || v.stopping) &&
         Implies<D>(!t.online && !v.held,
                    PcIn(t, {kPSleep, kPSet, kPTest, kPBreak, kLSet, kLStop, kTExit, kTDead}));
}

// A thread the controller waits for (parked or exited completion) is never asleep without a
// wakeup on its way: the "no lost wakeup" core of hang freedom.
template <class D>
BoolOf<D> LemmaWaitedThreadRuns(const CtlView<D>& v, const CpuT<D>& t) {
  auto waits = v.At(kSubParkWait) || v.At(kSubStopWait);
  auto woken = t.task_state == kTaskRunning || t.pending != kPendNone;
  return Implies<D>(v.At(kSubStopWake) || v.At(kSubStopWait), t.pc != kPSleep) &&
         Implies<D>(waits && t.parked_done == 0 && t.exited_done == 0,
                    t.pc != kTNew && t.pc != kPSleep && Implies<D>(PastParkCheck(t), woken)) &&
         Implies<D>(v.At(kSubStopWait) && t.pc == kLPark, woken);
}

// Where thread c stands relative to the controller's progress (registration order, parks,
// unparks, stops), and that a thread the controller waits for will run.
template <class D>
BoolOf<D> LemmaController(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s,
                          const CpuT<D>& t) {
  CtlView<D> v(c, s, t);
  return CtlShape(k, s) && LemmaRegisterAndStop(k, v, t) && LemmaParkHandshake(c, s, v, t) &&
         LemmaWaitedThreadRuns(v, t);
}

template <class D>
BoolOf<D> LemmaProducer(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s,
                        const CpuT<D>& t) {
  auto targets_me = s.prod_pc == kProdWake && s.prod_cpu == c;
  return InRange<D>(s.prod_pc, 0, kProdWake) && InRange<D>(s.prod_left, 0, kMaxWork) &&
         0 <= s.prod_cpu && s.prod_cpu < k.n_cpus &&
         Implies<D>(s.prod_pc == kProdIdle, s.prod_cpu == 0) && t.work + s.prod_left <= kMaxWork &&
         Implies<D>(s.ctl_op == kOpRegister, s.prod_pc == kProdIdle) &&
         Implies<D>(PcIn(t, {kLSchedule, kLSleep}) && t.task_state == kTaskInterruptible &&
                        t.pending == kPendNone && t.work > 0,
                    targets_me);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_LEMMAS_H_
