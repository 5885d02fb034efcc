// tables.cc -- names generated from the X-macro tables (actions, invariants, pcs, variants),
// and parameter validation.
#include <sstream>

#include "model/ids.h"
#include "model/state.h"

namespace kthcheck::model {
namespace {

struct ActionRow {
  const char* enum_name;
  Process process;
  const char* label;
};
constexpr ActionRow kActions[] = {
#define ACTION(e, process, label) {#e, Process::process, label},
#include "model/actions.def"
#undef ACTION
};

struct InvariantRow {
  const char* name;
  bool is_lemma;
};
constexpr InvariantRow kInvariants[] = {
#define INVARIANT(e, name, is_lemma, desc) {name, is_lemma},
#include "model/invariants.def"
#undef INVARIANT
};

constexpr const char* kThreadPcs[] = {
#define THREAD_PC(e, label) label,
#define CTL_OP(e, label)
#define CTL_SUB(e, label)
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
};
constexpr const char* kCtlOps[] = {
#define THREAD_PC(e, label)
#define CTL_OP(e, label) label,
#define CTL_SUB(e, label)
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
};
constexpr const char* kCtlSubs[] = {
#define THREAD_PC(e, label)
#define CTL_OP(e, label)
#define CTL_SUB(e, label) label,
#include "model/pcs.def"
#undef THREAD_PC
#undef CTL_OP
#undef CTL_SUB
};

template <std::size_t N>
const char* Lookup(const char* const (&table)[N], int i) {
  return i >= 0 && i < static_cast<int>(N) ? table[i] : "?";
}

}  // namespace

const char* ActionLabel(ActionId a) { return kActions[static_cast<int>(a)].label; }
const char* ActionEnumName(ActionId a) { return kActions[static_cast<int>(a)].enum_name; }
Process ActionProcess(ActionId a) { return kActions[static_cast<int>(a)].process; }
const char* InvariantName(InvariantId i) { return kInvariants[static_cast<int>(i)].name; }
bool InvariantIsLemma(InvariantId i) { return kInvariants[static_cast<int>(i)].is_lemma; }
std::string InvariantOracle(InvariantId i) {
  if (i == InvariantId::kNoLostWakeup) return "lost_wakeup";
  if (i == InvariantId::kLifetime) return "lifetime";
  return std::string("invariant:") + InvariantName(i);
}

const char* ThreadPcLabel(int pc) { return Lookup(kThreadPcs, pc); }
const char* CtlOpLabel(int op) { return Lookup(kCtlOps, op); }
const char* CtlSubLabel(int sub) { return Lookup(kCtlSubs, sub); }

std::string TaskStateName(int state) {
  switch (state) {
    case kTaskRunning:
      return "TASK_RUNNING";
    case kTaskInterruptible:
      return "TASK_INTERRUPTIBLE";
    case kTaskUninterruptible:
      return "TASK_UNINTERRUPTIBLE";
    case kTaskParked:
      return "TASK_PARKED";
    case kTaskDead:
      return "TASK_DEAD";
    case kTaskInterruptible | kTaskFreezable:
      return "TASK_INTERRUPTIBLE|TASK_FREEZABLE";
    case kTaskFrozen:
      return "TASK_FROZEN";
  }
  std::ostringstream o;
  o << "0x" << std::hex << state;
  return o.str();
}

const std::array<VariantInfo, kNumVariants>& Variants() {
  static const std::array<VariantInfo, kNumVariants> kTable = {{
#define VARIANT(e, name, oracle, bound, cpus, hotplug, work, desc)                 \
  {Variant::e,       name, oracle, bound, cpus, hotplug, work, ThreadFn::kSmpboot, \
   Driver::kSmpboot, desc},
#define VARIANT_PLAIN(e, name, oracle, bound, thread_fn, driver, work, desc) \
  {Variant::e, name, oracle, bound, 1, 0, work, ThreadFn::thread_fn, Driver::driver, desc},
#include "model/variants.def"
#undef VARIANT_PLAIN
#undef VARIANT
  }};
  return kTable;
}

bool ParseVariant(const std::string& name, Variant* out) {
  if (name.empty() || name == "faithful") {
    *out = Variant::kFaithful;
    return true;
  }
  for (const VariantInfo& v : Variants()) {
    if (name == v.name) {
      *out = v.variant;
      return true;
    }
  }
  return false;
}

std::string VariantName(Variant v) {
  for (const VariantInfo& i : Variants()) {
    if (i.variant == v) return i.name;
  }
  return "faithful";
}

namespace {

// The variants whose steps a plain kthread configuration shares with smpboot, and which the
// port checks on its park scenarios; and the event loop's own ordering bug.
bool PlainKthreadVariant(const Params& p) {
  switch (p.variant) {
    case Variant::kEventCheckBeforeSetState:
    case Variant::kEventTestUnderPreemptDisable:
    case Variant::kEventLoopNoBarrier:
    case Variant::kTtwuNoBarrier:  // the producer's wakeup; only the event loop has one
      return p.thread_fn == ThreadFn::kEventLoop;
    case Variant::kParkableLoopNoBarrier:
      return p.thread_fn == ThreadFn::kParkableLoop;
    case Variant::kHandRolledWaitWithoutLoop:
      return p.thread_fn == ThreadFn::kWaitEventLoop;
    case Variant::kStartFlagWithoutLoop:
      return p.driver == Driver::kRunWaitStop;
    case Variant::kHogLoop:
      return p.driver == Driver::kRunSleepStop;
    case Variant::kThawLosesStopWakeup:
    case Variant::kThawBeforeUnfreezing:
      return p.driver == Driver::kRunFreezeStop;
    case Variant::kWorkerSleepsWhileFreezing:
      return p.driver == Driver::kRunWorkerFreezeStop;
    case Variant::kFlushOnDelayedList:
    case Variant::kTimerFnIgnoresCanceling:
    case Variant::kDestroyWithPendingDelayed:
    case Variant::kCancelSyncWithoutCanceling:
      return p.driver == Driver::kRunWorkerDelayedExit;
    case Variant::kOfflineBeforeWaitEmpty:
      return p.driver == Driver::kRunCpuDownStop;
    case Variant::kExitWithoutStop:  // the plain drivers whose stops are unregister's
      return p.driver == Driver::kRunStop || p.driver == Driver::kPercpu;
    case Variant::kExitBeforeResult:
    case Variant::kExitFlagWithoutRelease:
    case Variant::kTtwuMatchesAnySleep:
    case Variant::kFaithful:
    case Variant::kStopWithoutUnpark:
    case Variant::kParkWithoutWakeup:
    case Variant::kParkmeCompleteBeforeState:
    case Variant::kParkmeCompleteAll:
    case Variant::kParkmeNotSpecial:
      return true;
    default:
      return false;
  }
}

// A VARIANT_PLAIN row changes code that only its own configuration runs.
const VariantInfo* PlainVariant(Variant v) {
  for (const VariantInfo& i : Variants())
    if (i.variant == v && i.thread_fn != ThreadFn::kSmpboot) return &i;
  return nullptr;
}

}  // namespace

std::string Validate(const Params& p) {
  std::ostringstream o;
  if (p.cpus < 1 || p.cpus > kMaxCpus) {
    o << "--cpus=" << p.cpus << ": the model has 1 to " << kMaxCpus << " CPUs";
  } else if (p.hotplug < 0 || p.hotplug > kMaxHotplug) {
    o << "--hotplug=" << p.hotplug << ": the model allows 0 to " << kMaxHotplug << " cycles";
  } else if (p.work < 0 || p.work > kMaxWork) {
    o << "--work=" << p.work << ": the model allows 0 to " << kMaxWork << " work items";
  } else if (const VariantInfo* v = PlainVariant(p.variant);
             v && (p.thread_fn != v->thread_fn || p.driver != v->driver)) {
    o << "--variant=" << v->name
      << " changes a plain kthread's code that this configuration "
         "does not run: the model checks it in that code's own configuration (N=1 H=0 W="
      << v->bmc_work << ")";
  } else if (!IsSmpboot(p) && ((p.cpus != 1 && p.driver != Driver::kPercpu) || p.hotplug != 0 ||
                               (p.work != 0 && p.thread_fn != ThreadFn::kEventLoop &&
                                p.thread_fn != ThreadFn::kWaitEventLoop))) {
    o << "a plain kthread configuration (thread_fn/driver) has one thread (but for the "
         "per-CPU driver), no hotplug and no work (but for the event and wait-queue loops): N=1 "
         "H=0 W=0";
  } else if (p.thread_fn == ThreadFn::kWaitEventLoop && p.work > 1) {
    o << "--work=" << p.work
      << ": the wait-queue loop's work is the port's work_pending flag, "
         "raised once: W = 0 or 1";
  } else if ((p.driver == Driver::kPercpu) != (p.thread_fn == ThreadFn::kParkableTimedLoop)) {
    o << "the per-CPU driver runs the parkable timed loop, and only it does";
  } else if ((p.driver == Driver::kRunWaitStop || p.driver == Driver::kRunSleepStop) &&
             p.thread_fn != ThreadFn::kTimedLoop) {
    o << "the drivers of completion_sync (start handshake) and polling_loop (msleep) run "
         "the timed loop, and no other";
  } else if ((p.driver == Driver::kRunWorkerFreezeStop) !=
             (p.thread_fn == ThreadFn::kFreezableWorker)) {
    o << "the freezable worker's driver runs kthread_worker_fn(), and only it does";
  } else if ((p.driver == Driver::kRunWorkerDelayedExit) != (p.thread_fn == ThreadFn::kWorker)) {
    o << "the kthread_worker driver (a delayed work, cancel, destroy) runs the plain "
         "kthread_worker_fn(), and only it does";
  } else if ((p.driver == Driver::kRunCpuDownStop) != (p.thread_fn == ThreadFn::kBusyWait)) {
    o << "hotplug_migrate's driver (cpu_down() under a busy thread) runs its busy-wait "
         "thread, and only it does";
  } else if ((p.driver == Driver::kRunFreezeStop) !=
             (p.thread_fn == ThreadFn::kFreezableWaitLoop)) {
    o << "the freezable driver (one suspend/resume cycle) runs the freezable wait loop, and "
         "only it does";
  } else if (p.driver != Driver::kSmpboot && p.thread_fn == ThreadFn::kSmpboot) {
    o << "the kthread_run/kthread_create drivers run a plain threadfn, not smpboot_thread_fn";
  } else if (!IsSmpboot(p) && !PlainKthreadVariant(p)) {
    o << "a plain kthread configuration takes only the controller's variants "
         "(stop_without_unpark, park_without_wakeup), the port's __kthread_parkme(), "
         "kthread_exit() and ttwu ones (parkme_complete_before_state, parkme_complete_all, "
         "parkme_not_special, exit_before_result, exit_flag_without_release, "
         "ttwu_matches_any_sleep), exit_without_stop with the kthread_run/kthread_stop and "
         "per-CPU drivers, the event loop's event_check_before_set_state, "
         "event_test_under_preempt_disable, event_loop_no_barrier and ttwu_no_barrier, "
         "the parkable loop's parkable_loop_no_barrier, the wait-queue loop's "
         "hand_rolled_wait_without_loop, the start handshake's start_flag_without_loop, "
         "polling_loop's hog_loop, the freezer's thaw_loses_stop_wakeup, "
         "thaw_before_unfreezing and worker_sleeps_while_freezing, and the kthread_worker's "
         "flush_on_delayed_list, timer_fn_ignores_canceling, destroy_with_pending_delayed "
         "and cancel_sync_without_canceling, and hotplug_migrate's offline_before_wait_empty";
  } else if (p.any_cpu_order && !IsSmpboot(p)) {
    o << "--symmetry: only the smpboot protocol has CPUs to rename";
  }
  return o.str();
}

}  // namespace kthcheck::model
