// conformance_scope.cc -- which scenarios of the catalog model/ can follow, in which model
// configuration, and a one-line reason for each one it cannot (conformance.h).
//
// The model has two families of configurations (model/state.h): the smpboot protocol
// (per-CPU threads in smpboot_thread_fn, a hotplug controller, a work producer), and
// plain kthreads (one, or one per CPU for percpu) whose threadfn is a
// kthread_should_stop()/kthread_should_park() loop, a loop around a timed sleep (parkable
// or not), or an event loop with a producer, created, parked, unparked and stopped by a
// driver. A scenario is covered when its threads and its driver are one
// of these; its port variants are covered when model/ has the same change.
#include <optional>
#include <string>

#include "checker/cli/conformance.h"

namespace kt::cli {
namespace {

struct Covered {
  const char* scenario;
  model::ThreadFn thread_fn;
  model::Driver driver;
  // Where `check --engine=model` has more of the scenario than conformance follows: the
  // driver it checks (completion_sync's start handshake, polling_loop's msleep(), whose
  // port events stutter in conformance).
  std::optional<model::Driver> checked_driver = std::nullopt;
};

// The scenarios whose every protocol event has a model step (or stutters).
constexpr Covered kCovered[] = {
    {"smpboot_hotplug", model::ThreadFn::kSmpboot, model::Driver::kSmpboot},
    // kthread_create, kthread_park, kthread_unpark, kthread_stop: the smpboot driver's
    // register (create + park + unpark) and unregister (stop) with one thread, H = 0.
    {"park_before_wakeup", model::ThreadFn::kStopLoop, model::Driver::kSmpboot},
    {"park_unpark_stop", model::ThreadFn::kParkableLoop, model::Driver::kRunParkUnparkStop},
    {"park_stop", model::ThreadFn::kParkableLoop, model::Driver::kRunParkStop},
    // Its threadfn never runs: kthread() sees SHOULD_STOP at the first wakeup.
    {"stop_before_wakeup", model::ThreadFn::kStopLoop, model::Driver::kCreateStop},
    // A kthread_should_stop() loop around a timed sleep, kthread_run then kthread_stop: the
    // driver's own sleeps and completion waits stutter (no kthread state of the thread).
    {"basic_loop", model::ThreadFn::kTimedLoop, model::Driver::kRunStop},
    // Its creator's wait for `thread_started` stutters; the model engine checks it too,
    // with the handshake (model/steps_start.h), where start_flag_without_loop is.
    {"completion_sync", model::ThreadFn::kTimedLoop, model::Driver::kRunStop,
     model::Driver::kRunWaitStop},
    // Its driver's msleep() stutters; the model engine checks it too, with that sleep ended
    // only while every task is idle (the port's virtual clock), where hog_loop is.
    {"polling_loop", model::ThreadFn::kTimedLoop, model::Driver::kRunStop,
     model::Driver::kRunSleepStop},
    // A loop that waits for a producer's work (the driver's add_work() and wakeup, or the
    // device interrupt's): set_current_state(), test, schedule(). kthread_create() +
    // wake_up_process() (irq_event, with kthread_bind() between) is kthread_run().
    {"event_loop", model::ThreadFn::kEventLoop, model::Driver::kRunStop},
    {"irq_event", model::ThreadFn::kEventLoop, model::Driver::kRunStop},
    // One bound thread per CPU in the parkable timed loop; park, kick, unpark the last,
    // stop each. kthread_create_on_cpu()'s kthread_bind() of the new thread stutters.
    {"percpu", model::ThreadFn::kParkableTimedLoop, model::Driver::kPercpu},
    // wait_event_interruptible(work || kthread_should_stop()) on a wait queue that the
    // driver's wake_up_interruptible() wakes: the model's wait-queue loop, W = 1.
    {"wait_event_loop", model::ThreadFn::kWaitEventLoop, model::Driver::kRunStop},
};

// Scenarios that `check --engine=model` checks, but conformance does not follow: its
// mapping of port events to model steps has no rows for the freezer's (freeze_task(),
// __thaw_task(), the refrigerator) nor the worker's (kthread_queue_work(), its loop, the
// delayed work's timer and cancel), nor the scheduler's hotplug callbacks and migration.
constexpr Covered kCheckedOnly[] = {
    {"kthread_worker", model::ThreadFn::kWorker, model::Driver::kRunWorkerDelayedExit},
    {"hotplug_migrate", model::ThreadFn::kBusyWait, model::Driver::kRunCpuDownStop},
    {"freezable", model::ThreadFn::kFreezableWaitLoop, model::Driver::kRunFreezeStop},
    {"freezable_worker", model::ThreadFn::kFreezableWorker, model::Driver::kRunWorkerFreezeStop},
};

struct NotCovered {
  const char* scenario;
  const char* why;
};

constexpr NotCovered kNotCovered[] = {
    {"kthread_worker",
     "conformance has no mapping for the worker's events (`check --engine=model` checks the "
     "scenario: model/steps_delayed_work.h)"},
    {"freezable",
     "conformance has no mapping for the freezer's events (`check --engine=model` checks the "
     "scenario: model/steps_freezer.h)"},
    {"freezable_worker",
     "conformance has no mapping for the freezer's and the worker's events (`check "
     "--engine=model` checks the scenario: model/steps_worker.h)"},
    {"hotplug_migrate",
     "conformance has no mapping for the scheduler's hotplug callbacks and balance_push()'s "
     "migration (`check --engine=model` checks the scenario: model/steps_migrate.h)"},
    {"api_sequence",
     "its driver runs an operation program (several threads, workers, freezing, hotplug) "
     "chosen by its user; model/ has fixed driver programs of one kind of thread only"},
};

// The port variants whose executions conformance follows in the model variant of the same
// name, up to the variant's own finding. Left out, although model/ has them (the port
// emits no protocol event where the model's reordered step is, or the two diverge on
// purpose; model/README.md, "Conformance of the port"): unpark_before_rebind,
// unpark_before_online, smpboot_park_after_schedule, smpboot_check_before_set_state and
// parkme_complete_before_state.
constexpr const char* kConformingVariants[] = {
    "stop_without_unpark",
    "park_without_wakeup",
    "smpboot_park_ignores_status",
    "parkme_complete_all",
    "parkme_not_special",
    "event_check_before_set_state",
    "exit_before_result",
    "exit_without_stop",
    "ttwu_matches_any_sleep",
    "event_test_under_preempt_disable",
    "hand_rolled_wait_without_loop",
};

bool ConformsWithVariant(const std::string& variant) {
  for (const char* v : kConformingVariants)
    if (variant == v) return true;
  return false;
}

std::string ConformingList() {
  std::string out;
  for (const char* v : kConformingVariants) out += std::string(out.empty() ? "" : ", ") + v;
  return out;
}

std::string CoveredList() {
  std::string out;
  for (const Covered& c : kCovered) out += std::string(out.empty() ? "" : ", ") + c.scenario;
  return out;
}

}  // namespace

std::vector<std::string> ConformanceScenarios() {
  std::vector<std::string> out;
  for (const Covered& c : kCovered) out.push_back(c.scenario);
  return out;
}

std::optional<model::Params> ScenarioModelParams(const std::string& scenario, int cpus, int hotplug,
                                                 int work, const std::string& flag,
                                                 std::string* why) {
  const Covered* covered = nullptr;
  for (const Covered& c : kCovered)
    if (scenario == c.scenario) covered = &c;
  if (!covered) {
    std::string reason = "its threads and driver have no model processes";
    for (const NotCovered& n : kNotCovered)
      if (scenario == n.scenario) reason = n.why;
    *why = flag + ": model/ cannot follow '" + scenario + "': " + reason +
           " (covered: " + CoveredList() + ")";
    return std::nullopt;
  }
  model::Params p;
  p.thread_fn = covered->thread_fn;
  p.driver = covered->driver;
  if (model::IsSmpboot(p)) {
    p.cpus = cpus;
    // The driver takes CPUs 1..N-1 down in turn and never CPU 0, so on one CPU it runs no
    // hotplug cycle at all; the model's controller must then be given none either.
    p.hotplug = cpus > 1 ? hotplug : 0;
    p.work = work;
  } else if (p.driver == model::Driver::kPercpu) {
    p.cpus = cpus;  // a thread per CPU
    p.hotplug = 0;
    p.work = 0;
  } else {
    // One thread, whatever the number of CPUs the port runs on (they only place tasks);
    // an event loop's producer raises one item (event_loop's add_work(), irq_event's
    // single interrupt).
    p.cpus = 1;
    p.hotplug = 0;
    p.work =
        p.thread_fn == model::ThreadFn::kEventLoop || p.thread_fn == model::ThreadFn::kWaitEventLoop
            ? 1
            : 0;
  }
  return p;
}

std::optional<model::Params> ScenarioCheckParams(const std::string& scenario, int cpus, int hotplug,
                                                 int work, std::string* why) {
  for (const Covered& c : kCheckedOnly) {
    if (scenario != c.scenario) continue;
    model::Params p{1, 0, 0};  // one thread; its driver raises its own work
    p.thread_fn = c.thread_fn;
    p.driver = c.driver;
    return p;
  }
  std::optional<model::Params> p =
      ScenarioModelParams(scenario, cpus, hotplug, work, "--engine=model", why);
  for (const Covered& c : kCovered)
    if (p && scenario == c.scenario && c.checked_driver) p->driver = *c.checked_driver;
  return p;
}

std::string ScenarioOfConfiguration(const model::Params& p) {
  for (const Covered& c : kCheckedOnly)
    if (c.thread_fn == p.thread_fn && c.driver == p.driver) return c.scenario;
  for (const Covered& c : kCovered)
    if (c.thread_fn == p.thread_fn && (c.driver == p.driver || c.checked_driver == p.driver))
      return c.scenario;
  return "";
}

std::optional<model::Params> ConformanceParams(const std::string& scenario,
                                               const std::string& variant, int cpus, int hotplug,
                                               int work, std::string* why) {
  std::optional<model::Params> p =
      ScenarioModelParams(scenario, cpus, hotplug, work, "--conformance", why);
  if (!p) return std::nullopt;
  // Variants of the port that are also variants of the model, with the same change.
  // (loop_ignores_should_stop changes completion_sync's loop in the port, not
  // smpboot_thread_fn; event_check_before_set_state is event_loop's in both, Validate()
  // refuses it on the other configurations.)
  if (variant.empty() || variant == "none") {
    p->variant = model::Variant::kFaithful;
  } else if (ConformsWithVariant(variant) && model::ParseVariant(variant, &p->variant)) {
  } else {
    *why = "--conformance: variant '" + variant +
           "' of the port has no counterpart in model/ that conformance follows (those it "
           "follows: " +
           ConformingList() + ")";
    return std::nullopt;
  }
  std::string bad = model::Validate(*p);
  if (!bad.empty()) {
    *why = "--conformance: " + bad;
    return std::nullopt;
  }
  return p;
}

}  // namespace kt::cli
