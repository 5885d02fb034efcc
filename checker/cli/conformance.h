// conformance.h -- conformance of the kernel port to the abstract smpboot model
// (DESIGN.md "Conformance"): every execution the checker explores maps, event by event,
// to a path of model/ or stutters.
//
// The port emits protocol events at the kernel lines the model's steps stand for
// (impl/platform/seam.h ProtoEv). A ConformanceMapping translates each event into model
// action instances (zero = stutter, one, or a few for the merged or batched cases its
// comments explain) and feeds them to a model::ModelTracker. The first instance the model
// does not allow is a finding with oracle `conformance`: the impl event, the task, the
// step it mapped to and the steps the model allowed instead (model/tracker.h).
//
// Which scenarios map (conformance_scope.cc): smpboot_hotplug, whose threads run
// smpboot_thread_fn under a driver that registers, hotplugs and unregisters, which is what
// model/ describes; and the scenarios of one plain kthread that the driver parks, unparks
// and stops (park_before_wakeup, park_unpark_stop, park_stop, stop_before_wakeup), in the
// model's plain-kthread configurations (model/state.h ThreadFn, Driver). ConformanceParams()
// rejects every other scenario with a one-line reason rather than letting every event
// stutter.
#ifndef KTHCHECK_CHECKER_CLI_CONFORMANCE_H_
#define KTHCHECK_CHECKER_CLI_CONFORMANCE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "impl/platform/proto_event.h"
#include "model/tracker.h"

namespace kt::cli {

namespace model = ::kthcheck::model;

// Whose CPU a one-to-one row acts on.
enum class CpuOf { kSelf, kTarget, kArg, kZero };

// A one-to-one row: the impl event stands for exactly this model step. Rows apply only
// to events of smpboot threads (kSelf) or on them (kTarget); other tasks' events stutter.
// A kTtwuStateMatch row also names the call site (WakeSite) that announced the wakeup.
struct MappingRow {
  ProtoEv event;
  model::ActionId action;
  CpuOf cpu;
  long site = -1;
};

// The faithful table (conformance.cc gives the reason for each row).
const std::vector<MappingRow>& FaithfulMapping();

// The model parameters for a scenario of the port, or nullopt with *why (one line):
// the scenario or variant has no counterpart in model/ (conformance_scope.cc).
std::vector<std::string> ConformanceScenarios();  // the covered ones, catalog names
// The model configuration of a covered scenario, at the port's parameters (faithful), or
// nullopt with *why (one line, starting with `flag`). `check --engine=model` uses it too.
std::optional<model::Params> ScenarioModelParams(const std::string& scenario, int cpus,
                                                 int hotplug, int work, const std::string& flag,
                                                 std::string* why);
// The configuration `check --engine=model --scenario=S` checks: ScenarioModelParams(), or
// more of the scenario where the model has it (completion_sync's start handshake,
// polling_loop's driver msleep()).
std::optional<model::Params> ScenarioCheckParams(const std::string& scenario, int cpus,
                                                 int hotplug, int work, std::string* why);
// The first covered scenario whose configuration (followed or checked) is p's, or "".
std::string ScenarioOfConfiguration(const model::Params& p);
std::optional<model::Params> ConformanceParams(const std::string& scenario,
                                               const std::string& variant, int cpus,
                                               int hotplug, int work, std::string* why);

// Follows one execution. Not thread-safe; one per process (searches fork for --jobs).
class ConformanceMapping {
 public:
  ConformanceMapping(const model::Params& p, std::vector<MappingRow> table);
  void Reset();  // a new execution
  // nullopt, or the finding text for the first model step the event's mapping is refused.
  std::optional<std::string> OnEvent(const ProtoEvent& e);
  int model_steps() const { return tracker_.steps(); }
  // How often each rule beyond a one-to-one row applied, over all executions since
  // construction: tests use them to show a search exercised the rule.
  struct RuleCounts {
    long delayed_store = 0;    // a wakeup's TASK_RUNNING store landed later (kTtwuDoWakeup)
    long signal_stop_wake = 0; // TIF_NOTIFY_SIGNAL ended a sleep: kthread_stop's wakeup
    long signal_store = 0;     // TIF_NOTIFY_SIGNAL ended a sleep: a pending wakeup's store
    long exit_store = 0;       // a pending store mapped before the exit
    long batch = 0;            // run_softirq took more than one item
  };
  const RuleCounts& rule_counts() const { return counts_; }
  const model::State& model_state() const { return tracker_.state(); }

 private:
  struct TaskInfo {
    int cpu = -1;                 // the smpboot thread of this CPU, or -1
    bool in_parkme = false;       // between kParkmeSetParked and kParkmeSetRunning
    bool in_timed_sleep = false;  // between kTimedSleepSetState and kTimedSleepReturn
    bool dequeued = false;        // blocked by schedule(): the model's Sleeping()
    bool pending = false;         // a matched wakeup whose TASK_RUNNING store is due
    bool store_absorbed = false;  // that store was already mapped (see conformance.cc)
    bool unwoken = false;         // a plain kthread before its first wakeup (kTNew)
    TaskId wake_target = kNoTask; // kWakeIntent: the next state match is from this site
    long wake_site = -1;
  };
  std::optional<std::string> Take(const ProtoEvent& e, model::ActionId a, int cpu);
  std::optional<std::string> ReadMismatch(const ProtoEvent& e, int cpu);
  std::optional<std::string> Unmapped(const ProtoEvent& e, const std::string& why);
  // The table's row for the event (and, for a wakeup's state match, its call site).
  const MappingRow* Row(ProtoEv event, long site = -1) const;
  std::optional<std::string> Match(const ProtoEvent& e, TaskInfo& target);
  TaskInfo& Info(TaskId t);
  // The scenario runs plain kthreads (the park scenarios), not smpboot threads.
  bool plain() const { return params_.thread_fn != model::ThreadFn::kSmpboot; }
  bool WaitLoop() const { return params_.thread_fn == model::ThreadFn::kWaitEventLoop; }

  model::Params params_;
  std::vector<MappingRow> table_;
  model::ModelTracker tracker_;
  std::vector<TaskInfo> tasks_;
  std::vector<bool> stop_wake_absorbed_;  // per CPU: kthread_stop's wakeup already mapped
  int next_thread_ = 0;                   // plain kthreads: the next one's model index
  RuleCounts counts_;
};

const char* ProtoEvName(ProtoEv e);

// A mapping installed as the seam's protocol observer for the executions of one program:
// Begin() at every boot; a refused step ends the execution with Finding("conformance").
class ConformanceRun {
 public:
  ConformanceRun(const model::Params& p, std::vector<MappingRow> table);
  ~ConformanceRun();  // uninstalls itself
  void Begin();
  const ConformanceMapping& mapping() const { return mapping_; }

 private:
  ConformanceMapping mapping_;
  ProtoObserver observer_;
};

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_CONFORMANCE_H_
