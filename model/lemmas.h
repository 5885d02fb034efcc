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
  return InRange<D>(t.pc, 0, kTDead) && InRange<D>(t.status, 0, kHpParked) &&
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
  auto park_subs = sub == kSubParkSet || sub == kSubParkWake || sub == kSubParkWait ||
                   sub == kSubParkInactive;
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

// Where thread c stands relative to the controller's progress (registration order, parks,
// unparks, stops), and that a thread the controller waits for is never asleep without a
// wakeup on its way (the "no lost wakeup" core of hang freedom).
template <class D>
BoolOf<D> LemmaController(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s,
                          const CpuT<D>& t) {
  auto op = s.ctl_op;
  auto sub = s.ctl_sub;
  auto mine = s.ctl_cpu == c;
  auto before_me = c < s.ctl_cpu;
  auto after_me = s.ctl_cpu < c;
  auto fresh = t.pc == kTNew && !t.should_park && !t.should_stop && t.online &&
               t.work == 0 && t.parked_done == 0 && t.exited_done == 0 && t.pending == kPendNone;
  auto dead = t.pc == kTDead && t.exited_done == 0;
  auto stopping = op == kOpDone || (op == kOpUnregister && (before_me || (mine && sub != kSubStopSet)));
  auto held = t.park_returned;  // parked by the controller, not yet unparked
  auto waits = mine && (sub == kSubParkWait || sub == kSubStopWait);
  return CtlShape(k, s) &&
         Implies<D>(op == kOpRegister && (after_me || (mine && sub == kSubParkSet)), fresh) &&
         Implies<D>(t.pc == kPSleep && !t.should_park, mine && sub == kSubUnparkWake) &&
         Implies<D>(op == kOpOnline && mine, t.online) &&
         Implies<D>(t.pc == kTDead, (t.exited_done == 1) == (mine && op == kOpUnregister)) &&
         Implies<D>(op == kOpRegister, t.online && t.work == 0) &&
         Implies<D>(t.pc == kTNew, op == kOpRegister && !before_me &&
                                       k.d.IteB(mine, sub == kSubParkSet || sub == kSubParkWake, fresh)) &&
         Implies<D>(t.should_park, held || Parking(c, s)) &&
         t.should_stop == stopping &&
         Implies<D>(op == kOpDone || (op == kOpUnregister && before_me), dead) &&
         Implies<D>(t.exited_done == 1, mine && op == kOpUnregister && sub != kSubStopSet) &&
         Implies<D>(Parking(c, s), t.online && t.should_park && !t.park_returned) &&
         Implies<D>(mine && sub == kSubParkSet, t.online && !t.should_park && !t.park_returned) &&
         Implies<D>(mine && (sub == kSubParkWake || sub == kSubParkWait), (t.parked_done == 1) == PcIn(t, {kPSchedule, kPSleep})) &&
         Implies<D>(mine && sub == kSubParkInactive,
                    PcIn(t, {kPSchedule, kPSleep}) && t.parked_done == 0) &&
         Implies<D>(mine && (sub == kSubTakedown || sub == kSubUnparkBind || sub == kSubUnparkClear),
                    held) &&
         Implies<D>(mine && sub == kSubUnparkTest, held || (op == kOpUnregister && !t.should_park)) &&
         Implies<D>(mine && sub == kSubUnparkWake,
                    t.pc == kPSleep && !t.should_park && !t.park_returned) &&
         Implies<D>(held, (mine && (sub == kSubUnparkTest || sub == kSubUnparkBind ||
                                    sub == kSubUnparkClear || sub == kSubTakedown ||
                                    (op == kOpUnregister && sub == kSubStopSet))) ||
                              !t.online) &&
         Implies<D>(!t.online, held || stopping) &&
         Implies<D>(!t.online && !held,
                    PcIn(t, {kPSleep, kPSet, kPTest, kPBreak, kLSet, kLStop, kTExit, kTDead})) &&
         Implies<D>(mine && (sub == kSubStopWake || sub == kSubStopWait), t.pc != kPSleep) &&
         Implies<D>(waits && t.parked_done == 0 && t.exited_done == 0,
                    t.pc != kTNew && t.pc != kPSleep &&
                        Implies<D>(PastParkCheck(t), t.task_state == kTaskRunning ||
                                                         t.pending != kPendNone)) &&
         Implies<D>(mine && sub == kSubStopWait && t.pc == kLPark,
                    t.task_state == kTaskRunning || t.pending != kPendNone);
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
