// steps_migrate.h -- hotplug_migrate (ThreadFn::kBusyWait, Driver::kRunCpuDownStop;
// kernel-semantics.md section 15): a regular kthread bound to the last CPU busy-waits
// there while cpu_down() takes that CPU offline, and balance_push() must move it first.
// Included by model/steps.h only; see its contract. Every step is disabled (a C++ `if`
// on the parameter) under the other configurations.
//
// The thread (hotplug_migrate.cc busy_fn()):
//   complete(&started);                                    kBusyStarted
//   while (!READ_ONCE(cpu_is_down)) cpu_relax();           kBusySpin
//   return 0;                                              (kthread_exit())
// The stopper (kernel/sched/core.c balance_push(), __balance_push_cpu_stop()), at any
// point while the CPU is inactive and the thread is queued there:
//   move_queued_task() to select_fallback_rq()'s CPU        kBalancePush
// The driver (hotplug_migrate.cc run()); kthread_create() and kthread_bind() to the last
// CPU come before the first step (the initial state has task_cpu_last):
//   wake_up_process(busy);                                 steps_controller.h kKthreadRunWake
//   wait_for_completion(&started);                         kMigrateStartWait
//   cpu_down(cpu):
//     sched_cpu_deactivate();                              kCpuDeactivate
//     (smpboot_park_threads(): the last CPU has none here)
//     sched_cpu_wait_empty();                              kCpuWaitEmpty
//     take_cpu_down(): set_cpu_online(false); sched_cpu_dying()   kCpuTakeDown
//   WRITE_ONCE(cpu_is_down, 1);                            kCpuIsDown
//   kthread_stop(busy);                                    steps_controller.h
//   cpu_up(cpu);                                           (no step: nothing runs there)
// offline_before_wait_empty swaps sched_cpu_wait_empty() and take_cpu_down().
// Abstractions:
// - The model's one thread slot (CPU index 0) is the busy thread; the machine's CPUs are
//   not thread slots: the last CPU is the shared last_cpu, and where the thread runs is
//   task_cpu_last (the other CPU, once pushed, stays online).
// - The thread is queued on a runqueue from its first wakeup to its exit: it never
//   sleeps after kthread()'s start (QueuedTask()).
// - The kernel may push the task from the CPU's first schedule after
//   sched_cpu_deactivate(), the port only from inside sched_cpu_wait_empty(): the model
//   takes the kernel's window, which holds the port's.
#ifndef KTHCHECK_MODEL_STEPS_MIGRATE_H_
#define KTHCHECK_MODEL_STEPS_MIGRATE_H_

namespace kthcheck::model {

inline bool MigrateDriver(Driver d) { return d == Driver::kRunCpuDownStop; }

// task_on_rq_queued(): woken (or running) and not yet dead.
template <class D>
BoolOf<D> QueuedTask(const StepContext<D>& k, const CpuT<D>& t) {
  return !Sleeping(k, t) && t.task_state != kTaskDead;
}

// On the last CPU's runqueue.
template <class D>
BoolOf<D> QueuedOnLastCpu(const StepContext<D>& k, const SharedT<D>& s, const CpuT<D>& t) {
  return s.task_cpu_last && QueuedTask(k, t);
}

KTH_STEP(kBusyStarted) {
  const D& d = k.d;
  if (k.thread_fn != ThreadFn::kBusyWait) return d.B(false);
  ns.started = d.B(true);
  nt.pc = d.Lit(kMSpin);
  return t.pc == kMStart;
}

// Until the flag is set, the test changes nothing (the engines leave such a step out).
KTH_STEP(kBusySpin) {
  const D& d = k.d;
  if (k.thread_fn != ThreadFn::kBusyWait) return d.B(false);
  nt.pc = d.Ite(s.cpu_is_down, d.Lit(kTExit), d.Lit(kMSpin));
  return t.pc == kMSpin;
}

// The stopper runs where the task could be preempted (every step boundary here) and
// moves it to an online CPU, breaking its binding; also on the dead CPU, where the
// port's sched_cpu_wait_empty() comes after take_cpu_down() in the variant.
KTH_STEP(kBalancePush) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.task_cpu_last = d.B(false);
  return s.last_cpu != kLastCpuUp && QueuedOnLastCpu(k, s, t);
}

KTH_STEP(kMigrateStartWait) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.started = d.B(false);
  ns.ctl_sub = d.Lit(kSubCpuDeactivate);
  return CtlAt(s, c, kSubMigrateStartWait) && s.started;
}

inline bool OfflineFirst(Variant v) { return v == Variant::kOfflineBeforeWaitEmpty; }

KTH_STEP(kCpuDeactivate) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.last_cpu = d.Lit(kLastCpuInactive);
  ns.ctl_sub = d.Lit(OfflineFirst(k.variant) ? kSubCpuTakeDown : kSubCpuWaitEmpty);
  return CtlAt(s, c, kSubCpuDeactivate);
}

// rcuwait_wait_event(rq->nr_running == 1): returns once the thread is off the runqueue.
KTH_STEP(kCpuWaitEmpty) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.ctl_sub = d.Lit(OfflineFirst(k.variant) ? kSubCpuIsDown : kSubCpuTakeDown);
  return CtlAt(s, c, kSubCpuWaitEmpty) && !QueuedOnLastCpu(k, s, t);
}

// sched_cpu_dying()'s WARN is the invariant cpu_vacated, which holds from here on.
KTH_STEP(kCpuTakeDown) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.last_cpu = d.Lit(kLastCpuOffline);
  ns.ctl_sub = d.Lit(OfflineFirst(k.variant) ? kSubCpuWaitEmpty : kSubCpuIsDown);
  return CtlAt(s, c, kSubCpuTakeDown);
}

KTH_STEP(kCpuIsDown) {
  const D& d = k.d;
  if (!MigrateDriver(k.driver)) return d.B(false);
  ns.cpu_is_down = d.B(true);
  ToStop(d, ns);
  return CtlAt(s, c, kSubCpuIsDown);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_MIGRATE_H_
