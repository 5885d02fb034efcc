// state.h -- the variables of the smpboot hotplug model, generic over a value domain.
//
// Contract:
// - SharedT<D> holds the controller and producer variables; CpuT<D> holds everything that
//   belongs to one CPU: its smpboot thread (program counter, task state, kthread flags,
//   completions, td->status, in-flight wakeup), its online bit and its pending work.
// - D is a value domain (model/domain.h for bool/int, proofs/symbolic_domain.h for z3::expr).
//   The same structs are the explicit engine's state and the solver's state vector, so the
//   two readings of a step cannot disagree about which variables exist.
// - Task states are the kernel's bit values (include/linux/sched.h, v6.x), so
//   ttwu_state_match() is literally `state & mask` in both readings.
// - Field lists are X-macros (KTH_SHARED_FIELDS, KTH_CPU_FIELDS): packing, printing, the
//   solver's variable declarations and the property test all iterate the same list.
#ifndef KTHCHECK_MODEL_STATE_H_
#define KTHCHECK_MODEL_STATE_H_

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>

namespace kthcheck::model {

inline constexpr int kMaxCpus = 4;
inline constexpr int kMaxHotplug = 7;  // fits the 3-bit offlines_left field
inline constexpr int kMaxWork = 7;     // fits the 3-bit work and prod_left fields

// include/linux/sched.h (v6.x) bit values.
enum TaskStateBits : int {
  kTaskRunning = 0x0000,
  kTaskInterruptible = 0x0001,
  kTaskUninterruptible = 0x0002,
  kTaskParked = 0x0040,
  kTaskDead = 0x0080,
  // v6.1+ freezer (ThreadFn::kFreezableWaitLoop only): TASK_FREEZABLE marks a sleep the
  // freezer may freeze in place; TASK_FROZEN is the state it freezes it in.
  kTaskFreezable = 0x2000,
  kTaskFrozen = 0x8000,
};
inline constexpr int kTaskNormal = kTaskInterruptible | kTaskUninterruptible;

enum ThreadPc : int {
#define THREAD_PC(e, label) e,
#define CTL_OP(e, label)
#define CTL_SUB(e, label)
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
  kNumThreadPcs
};

enum CtlOp : int {
#define THREAD_PC(e, label)
#define CTL_OP(e, label) e,
#define CTL_SUB(e, label)
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
  kNumCtlOps
};

enum CtlSub : int {
#define THREAD_PC(e, label)
#define CTL_OP(e, label)
#define CTL_SUB(e, label) e,
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
  kNumCtlSubs
};

// td->status (kernel/smpboot.c): HP_THREAD_NONE, HP_THREAD_ACTIVE, HP_THREAD_PARKED.
enum HpStatus : int { kHpNone = 0, kHpActive = 1, kHpParked = 2 };
// parked.done after complete_all() (the kernel's UINT_MAX; parkme_complete_all only).
inline constexpr int kCompletionDoneAll = 3;
// The kind of a try_to_wake_up() whose state match happened but whose TASK_RUNNING store
// has not (the target was still on its runqueue; kernel-semantics 2.3 step 3).
enum PendingWake : int { kPendNone = 0, kPendNormal = 1, kPendParked = 2 };
// The producer is idle (may raise work) or about to wake the thread it raised work for.
// kProdBuffered is ttwu_no_barrier's only: its try_to_wake_up() already read the thread's
// state and returned, and the work store it follows is still in the store buffer.
enum ProdPc : int { kProdIdle = 0, kProdWake = 1, kProdBuffered = 2 };

// X(name, bits, is_bool).  Widths are for model/pack.cc; the solver ignores them.
#define KTH_SHARED_FIELDS(X) \
  X(ctl_op, 3, false)        \
  X(ctl_sub, 6, false)       \
  X(ctl_cpu, 2, false)       \
  X(offlines_left, 3, false) \
  X(prod_pc, 2, false)       \
  X(prod_cpu, 2, false)      \
  X(prod_left, 3, false)     \
  X(ctl_state, 2, false)     \
  X(initialised, 1, true)    \
  X(started, 1, true)        \
  X(nosig_freezing, 1, true) \
  X(dwork, 2, false)         \
  X(dwork_timer, 1, true)    \
  X(canceling, 1, true)      \
  X(dwork_ran, 1, true)      \
  X(flush_delayed, 1, true)  \
  X(flush_first, 1, true)    \
  X(list_warn, 1, true)      \
  X(last_cpu, 2, false)      \
  X(task_cpu_last, 1, true)  \
  X(cpu_is_down, 1, true)

// task_state and saved_state are packed through an index (they hold kernel bit values up
// to 0x8000).
#define KTH_CPU_FIELDS(X)   \
  X(pc, 6, false)           \
  X(task_state, 3, false)   \
  X(parked_done, 2, false)  \
  X(exited_done, 1, false)  \
  X(status, 2, false)       \
  X(pending, 2, false)      \
  X(work, 3, false)         \
  X(should_stop, 1, true)   \
  X(should_park, 1, true)   \
  X(is_per_cpu, 1, true)    \
  X(online, 1, true)        \
  X(park_returned, 1, true) \
  X(bind_warn, 1, true)     \
  X(fn_parkme, 1, true)     \
  X(status_warn, 1, true)   \
  X(notify_signal, 1, true) \
  X(sb_state, 1, true)      \
  X(queued, 1, true)        \
  X(freezable, 1, true)     \
  X(saved_state, 3, false)  \
  X(current_work, 2, false) \
  X(flush_queued, 1, true)  \
  X(flush_done, 1, true)

#define KTH_DECLARE_FIELD(name, bits, is_bool) \
  std::conditional_t<is_bool, typename D::Bool, typename D::Int> name;

// Driver::kRunWaitStop only (completion_sync's start handshake): ctl_state is the
// creator's own __state (kTaskRunning or kTaskUninterruptible, which its hand-rolled wait
// sets; a blocked creator is ctl_sub == kSubStartSleep), initialised the module's flag,
// started the done count of its `thread_started` completion (0 or 1: completed once).
// Driver::kRunFreezeStop only (steps_freezer.h): nosig_freezing is pm_nosig_freezing, the
// freezer's condition for kernel threads (freezer_active follows it: no user task freezes).
// Driver::kRunWorkerDelayedExit only (steps_delayed_work.h), the kthread_worker module's
// delayed work (kept here, not per CPU: the one worker is CPU 0's thread, and the per-CPU
// fields fill the packed words): dwork is where its node is (DworkWhere), dwork_timer its
// timer armed, canceling its work->canceling (0 or 1: only the driver cancels), dwork_ran
// that delayed_work_func() ran once (it requeues itself on its first run only),
// flush_delayed a flush work linked after it on delayed_work_list, flush_first that the
// flush work (flush_queued) precedes it on work_list. list_warn is a ghost bit: one of the
// port's worker_list checks failed at its site (a work inserted while canceling, or the
// work pending when kthread_cancel_delayed_work_sync() returns).
// Driver::kRunCpuDownStop only (steps_migrate.h), hotplug_migrate's machine: last_cpu is
// the state of the CPU the thread is bound to (LastCpu), task_cpu_last that task_cpu()
// of the thread is that CPU, cpu_is_down the module's flag; `started` is its `started`
// completion.
template <class D>
struct SharedT {
  KTH_SHARED_FIELDS(KTH_DECLARE_FIELD)
};

// park_returned is a ghost bit: set when kthread_park() returns, cleared when
// kthread_unpark() clears SHOULD_PARK; it lets park_postcondition be a state predicate.
// bind_warn records the WARN of __kthread_bind_mask() (binding skipped).
// status_warn is a ghost bit: a td->status move that did not start from the status it
// moves from (the port checks each move; only smpboot_park_ignores_status makes one).
// sb_state: the thread's TASK_INTERRUPTIBLE store is still in its store buffer (set by
// the memory-model variants' __set_current_state() only, steps.h StateStoreBuffered()): the
// thread goes on with its loads, other CPUs still read the old __state, and the store
// becomes visible in kStateStoreDrain, before the thread's next store or schedule().
// queued: the thread's wait_queue_entry is on the wait queue (ThreadFn::kWaitEventLoop).
// fn_parkme is the return address of __kthread_parkme() for a plain kthread's loop: set
// when its threadfn called kthread_parkme() (return to its set_current_state()), clear
// when kthread() called it (return to the threadfn's top). Always clear for smpboot,
// whose loop top is both return points.
// freezable: PF_NOFREEZE is clear (set_freezable() ran). saved_state: the sleep state the
// freezer froze the thread in, or TASK_RUNNING once a wakeup matched it while frozen
// (v6.7+, ttwu_state_match()); the freezable configurations only.
// The kthread_workers only (ThreadFn::kFreezableWorker, steps_worker.h; ThreadFn::kWorker,
// steps_delayed_work.h): `work` is my_work on work_list (0 or 1), flush_queued a flush work
// on it (after my_work when both are there: the driver queues my_work first),
// current_work the worker's (WorkItem), flush_done the flush's completion (the driver
// waits for one flush at a time).
template <class D>
struct CpuT {
  KTH_CPU_FIELDS(KTH_DECLARE_FIELD)
};

#undef KTH_DECLARE_FIELD

// Model parameters.  Validate() returns "" or one line naming the bad value (exit 2).
enum class Variant : int {
  kFaithful,
#define VARIANT(e, name, oracle, bound, cpus, hotplug, work, desc) e,
#include "model/variants.def"
#undef VARIANT
};

// Configurations beyond smpboot (model/steps_threadfn.h), for the conformance of the
// park scenarios of the catalog. The default is the smpboot protocol this model is about;
// proofs/, the golden counts and promela/ are of that configuration.
//
// ThreadFn: what kthread() runs after its first __kthread_parkme().
enum class ThreadFn : int {
  kSmpboot,      // smpboot_thread_fn(): the per-CPU loop with td->status and work
  kStopLoop,     // while (!kthread_should_stop()) { set_current_state(TASK_INTERRUPTIBLE);
                 //   if (!kthread_should_stop()) schedule(); __set_current_state(TASK_RUNNING); }
  kParkableLoop, // the same loop with `if (kthread_should_park()) kthread_parkme();` at its
                 // top and `&& !kthread_should_park()` in its sleep test
  kEventLoop,    // while (!kthread_should_stop()) { set_current_state(TASK_INTERRUPTIBLE);
                 //   if (!has_pending_work()) { schedule(); continue; }
                 //   __set_current_state(TASK_RUNNING); process_pending_work(); }
                 // with a producer: W times add work, wake_up_process() (steps_event_loop.h)
  kTimedLoop,    // while (!kthread_should_stop()) { work; msleep*() or usleep_range(); }:
                 // the sleep is a schedule_timeout() loop its timer ends (steps_timed_sleep.h)
  kParkableTimedLoop,  // the timed loop with `if (kthread_should_park()) kthread_parkme();`
                       // at its top (the seed's per-CPU thread)
  kWaitEventLoop,  // while (!kthread_should_stop()) { wait_event_interruptible(wq,
                   //   work || kthread_should_stop()); if (kthread_should_stop()) break;
                   //   WARN_ON(!work); work = 0; }, its producer's wakeup a
                   //   wake_up_interruptible() of wq (steps_wait_event.h)
  kFreezableWaitLoop,  // the seed's freezable thread: set_freezable(), then the wait-queue
                       // loop with wait_event_freezable() (TASK_INTERRUPTIBLE |
                       // TASK_FREEZABLE); Driver::kRunFreezeStop only (steps_freezer.h)
  kFreezableWorker,    // kthread_worker_fn() of a KTW_FREEZABLE worker: set_freezable(),
                       // then take a work or sleep, and try_to_freeze() between works;
                       // Driver::kRunWorkerFreezeStop only (steps_worker.h)
  kWorker,             // kthread_worker_fn() of a plain worker, whose works are an
                       // immediate one, a delayed one that requeues itself once, and flush
                       // works; Driver::kRunWorkerDelayedExit only (steps_delayed_work.h)
  kBusyWait,           // hotplug_migrate's regular kthread: complete(&started), then
                       // busy-wait (preemptible) until told its CPU is down, and return;
                       // Driver::kRunCpuDownStop only (steps_migrate.h)
};
// worker->current_work of ThreadFn::kFreezableWorker.
// ThreadFn::kWorker's current_work may also be the delayed work.
enum WorkItem : int { kWorkNone = 0, kWorkMine = 1, kWorkFlush = 2, kWorkDelayed = 3 };
// Where the delayed work's node is (shared dwork).
enum DworkWhere : int { kDworkIdle = 0, kDworkDelayedList = 1, kDworkWorkList = 2 };
// The hotplug state of hotplug_migrate's last CPU (shared last_cpu): online and active;
// inactive (sched_cpu_deactivate(): balance_push() armed); offline (take_cpu_down()).
enum LastCpu : int { kLastCpuUp = 0, kLastCpuInactive = 1, kLastCpuOffline = 2 };
// Driver: the controller's program. Every driver but kSmpboot and kPercpu has one thread
// (N = 1), made by kthread_create() (not per-CPU), and no hotplug; only kEventLoop has a
// producer.
enum class Driver : int {
  kSmpboot,            // register (park + unpark each CPU), H offline/online cycles,
                       // unregister (stop each CPU); with N = 1, H = 0 it is also
                       // kthread_create, kthread_park, kthread_unpark, kthread_stop
  kRunParkUnparkStop,  // kthread_run (its wake_up_process), then park, unpark, stop
  kRunParkStop,        // kthread_run, park, then stop the parked thread
  kCreateStop,         // kthread_create, then kthread_stop with no wakeup before it
  kRunStop,            // kthread_run, then kthread_stop (whatever the driver does between
                       // the two touches no kthread state of the thread)
  kPercpu,             // the seed's per-CPU module: kthread_create_on_cpu() + wake each of
                       // N threads (bound, not KTHREAD_IS_PER_CPU), park the last, kick
                       // each with wake_up_process(), unpark the last, stop each in order
  kRunWaitStop,        // completion_sync: kthread_run, wait for the thread's start signal
                       // (its threadfn sets `initialised` and complete()s `thread_started`
                       // first), WARN_ON(!initialised), kthread_stop (steps_start.h)
  kRunSleepStop,       // polling_loop: kthread_run, msleep(5), kthread_stop. The port's
                       // clock is virtual: time passes only while every task is idle, so
                       // the driver's sleep ends only while its thread sleeps or is dead
                       // (steps_timed_sleep.h kDriverSleepReturn)
  kRunFreezeStop,      // freezable: kthread_run, freeze the kernel threads, raise work and
                       // wake_up(&wq) while they are frozen, thaw, kthread_stop
                       // (steps_freezer.h)
  kRunWorkerFreezeStop,  // freezable_worker: kthread_run_worker(KTW_FREEZABLE), freeze,
                         // queue a work while frozen, thaw, kthread_destroy_worker()
                         // (flush the worker, kthread_stop) (steps_worker.h)
  kRunWorkerDelayedExit,  // kthread_worker: kthread_run_worker(0), queue a work and a
                          // delayed work, then module exit: kthread_cancel_delayed_work_
                          // sync(), kthread_destroy_worker() (steps_delayed_work.h)
  kRunCpuDownStop,  // hotplug_migrate: kthread_create + kthread_bind() to the last CPU, wake
                    // it, wait for its start, cpu_down() of that CPU, tell it,
                    // kthread_stop() (steps_migrate.h)
};

// The drivers whose first line is kthread_run()'s wake_up_process() (kKthreadRunWake): all
// but smpboot's registration and kthread_create() + kthread_stop().
inline bool StartsWithKthreadRun(Driver d) {
  return d != Driver::kSmpboot && d != Driver::kCreateStop;
}

struct Params {
  int cpus = 2;
  int hotplug = 1;
  int work = 1;
  Variant variant = Variant::kFaithful;
  ThreadFn thread_fn = ThreadFn::kSmpboot;
  Driver driver = Driver::kSmpboot;
  // The any-order closure of model/symmetry.h: registration and unregistration may take
  // the CPUs in any order. Used only by the symmetric search (smpboot protocol only).
  bool any_cpu_order = false;
};

// The smpboot protocol (the default): where lemmas, proofs and golden counts apply.
inline bool IsSmpboot(const Params& p) {
  return p.thread_fn == ThreadFn::kSmpboot && p.driver == Driver::kSmpboot;
}

std::string Validate(const Params& p);

// Variant table access (model/tables.cc).
struct VariantInfo {
  Variant variant;
  const char* name;
  const char* oracle;
  int bmc_bound;
  int bmc_cpus;
  int bmc_hotplug;
  int bmc_work;
  // The configuration it is checked in: the smpboot protocol, or a plain kthread's loop for
  // a VARIANT_PLAIN row.
  ThreadFn thread_fn;
  Driver driver;
  const char* description;
};
inline constexpr int kNumVariants = 0
#define VARIANT(e, name, oracle, bound, cpus, hotplug, work, desc) +1
#include "model/variants.def"
#undef VARIANT
    ;
const std::array<VariantInfo, kNumVariants>& Variants();
// Where BMC, the variant tests and `kthcheck model` check a variant: its bmc_* parameters in
// its configuration.
inline Params VariantParams(const VariantInfo& v) {
  Params p{v.bmc_cpus, v.bmc_hotplug, v.bmc_work, v.variant};
  p.thread_fn = v.thread_fn;
  p.driver = v.driver;
  return p;
}
// "" -> kFaithful; unknown names return false.
bool ParseVariant(const std::string& name, Variant* out);
std::string VariantName(Variant v);

const char* ThreadPcLabel(int pc);
const char* CtlOpLabel(int op);
const char* CtlSubLabel(int sub);
std::string TaskStateName(int state);

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STATE_H_
