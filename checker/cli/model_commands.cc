// model_commands.cc -- `kthcheck model` (explicit-state search of the abstract protocol)
// and `kthcheck prove` (Z3 proofs and BMC of it); the engines live in model/ and proofs/.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.h"
#include "checker/cli/conformance.h"
#include "checker/explore/parallel.h"
#include "model/run.h"
#include "proofs/prove.h"

namespace kt::cli {

namespace {

int ExitForModel(const kthcheck::model::ModelCheckResult& r) {
  if (r.verdict == "holds") return kExitHolds;
  if (r.verdict == "violation") return kExitViolation;
  return kExitBound;
}

// The search of `kthcheck model` and `check --engine=model`: the smpboot protocol at the
// given parameters, or the model configuration of another scenario that the model covers
// (the one conformance follows it in, conformance_scope.cc). Refusals are verdict "usage".
struct ModelRun {
  kthcheck::model::Params params;
  kthcheck::model::ModelCheckResult result;
};

kthcheck::model::ModelCheckResult UsageResult(const std::string& message) {
  kthcheck::model::ModelCheckResult r;
  r.verdict = "usage";
  r.detail = r.oracle = message;
  return r;
}

// A variant of a plain kthread's code (model/variants.def VARIANT_PLAIN) exists only in
// that code's configuration: refuse it elsewhere with the command that checks it there.
std::optional<std::string> VariantElsewhere(const std::string& variant,
                                            const kthcheck::model::Params& here) {
  namespace model = kthcheck::model;
  model::Variant v;
  if (!model::ParseVariant(variant, &v)) return std::nullopt;
  for (const model::VariantInfo& info : model::Variants()) {
    if (info.variant != v || info.thread_fn == model::ThreadFn::kSmpboot ||
        (info.thread_fn == here.thread_fn && info.driver == here.driver))
      continue;
    std::string home = ScenarioOfConfiguration(model::VariantParams(info));
    return "--variant=" + variant + " changes " + home + "'s code, which this model " +
           "configuration does not run: `kthcheck check --engine=model --scenario=" + home +
           " --variant=" + variant + "`";
  }
  return std::nullopt;
}

ModelRun Search(const Options& opt, const std::string& scenario) {
  namespace model = kthcheck::model;
  int threads = opt.jobs == 0 ? explore::AvailableCores() : opt.jobs;
  ModelRun run{model::Params{opt.cpus, opt.hotplug, opt.work}, {}};
  if (scenario == "smpboot_hotplug") {
    if (auto elsewhere = VariantElsewhere(opt.variant, model::Params{})) {
      run.result = UsageResult(*elsewhere);
      return run;
    }
    run.result = model::CheckModel(opt.cpus, opt.hotplug, opt.work, opt.variant, opt.max_states,
                                   "exact", threads, opt.symmetry);
    return run;
  }
  std::string why;
  std::optional<model::Params> p =
      ScenarioCheckParams(scenario, opt.cpus, opt.hotplug, opt.work, &why);
  if (!p) {
    run.result = UsageResult(why);
  } else if (!model::ParseVariant(opt.variant, &p->variant)) {
    run.result =
        UsageResult("--variant=" + opt.variant + ": unknown; `kthcheck list` names the variants");
  } else if (auto elsewhere = VariantElsewhere(opt.variant, *p)) {
    run.result = UsageResult(*elsewhere);
  } else {
    p->any_cpu_order = opt.symmetry;
    run.params = *p;
    run.result = model::CheckModel(*p, opt.max_states, "exact", threads);
  }
  return run;
}

// One model trace line, "cpu1 kthread_park: set_bit(...) | cpu1.should_park=1", as a
// trace entry of the impl engine's JSON (the model's steps belong to a CPU's slot: its
// thread or the controller acting on it).
nlohmann::json TraceEntry(int step, const std::string& line) {
  std::string action = line.substr(0, line.find(" |"));
  std::string change = line.size() > action.size() + 2 ? line.substr(action.size() + 2) : "";
  int cpu = -1;
  std::string fn = action;
  if (action.rfind("cpu", 0) == 0 && action.find(' ') != std::string::npos) {
    cpu = std::atoi(action.c_str() + 3);
    fn = action.substr(action.find(' ') + 1);
  }
  std::string event = fn.find(": ") == std::string::npos ? "" : fn.substr(fn.find(": ") + 2);
  fn = fn.substr(0, fn.find(": "));
  if (!change.empty()) event += (event.empty() ? "" : " | ") + change.substr(change.find_first_not_of(' '));
  return {{"step", step}, {"task", cpu < 0 ? "model" : "cpu" + std::to_string(cpu)},
          {"cpu", cpu}, {"function", fn}, {"event", event}, {"preempted", false}};
}

void PrintModelText(const Options& opt, const ModelRun& run) {
  const kthcheck::model::Params& p = run.params;
  const kthcheck::model::ModelCheckResult& r = run.result;
  std::cout << "model (" << p.cpus << " CPUs, " << p.hotplug << " hotplug cycles, " << p.work
            << " work items, variant " << (opt.variant.empty() ? "none" : opt.variant)
            << (opt.symmetry ? ", any-order closure by CPU orbits" : "") << "): " << r.verdict
            << (r.oracle.empty() ? "" : " [" + r.oracle + "]") << "\n";
  if (!r.detail.empty()) std::cout << "  " << r.detail << "\n";
  std::cout << "  states " << r.states << ", matched " << r.matched << ", transitions "
            << r.transitions << ", depth " << r.depth << "\n";
  for (const std::string& line : r.trace) std::cout << "    " << line << "\n";
}

}  // namespace

// `check --engine=model`: a scenario searched on the abstract model (smpboot_hotplug, or a
// scenario conformance follows, in its configuration), printed in the impl engine's JSON
// shape plus the explicit engine's counts.
int RunCheckModel(const Options& opt) {
  if (opt.all || opt.conformance || opt.spurious_wakeups > 0 ||
      (!opt.memory_model.empty() && opt.memory_model != "sc") || opt.strategy_given)
    return Usage("--engine=model takes --scenario, --cpus, --hotplug, --work, --variant, "
                 "--max-states, --symmetry, --jobs and --format; the other options are the impl "
                 "engine's");
  ModelRun run = Search(opt, opt.scenario);
  const kthcheck::model::ModelCheckResult& r = run.result;
  if (r.verdict == "usage") return Usage(r.detail);
  if (opt.format != "json") {
    PrintModelText(opt, run);
    return ExitForModel(r);
  }
  nlohmann::json trace = nlohmann::json::array();
  for (std::size_t i = 0; i < r.trace.size(); ++i)
    trace.push_back(TraceEntry(static_cast<int>(i), r.trace[i]));
  nlohmann::json j = {
      {"engine", "model"}, {"scenario", opt.scenario},
      {"variant", opt.variant.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.variant)},
      {"cpus", run.params.cpus}, {"hotplug", run.params.hotplug}, {"work", run.params.work},
      {"memory_model", "sc"}, {"spurious_wakeups", 0}, {"irq", "hard"},
      {"verdict", r.verdict},
      {"oracle", r.oracle.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.oracle)},
      {"message", r.detail}, {"details", nlohmann::json::array()},
      {"exhaustive", r.verdict == "holds"}, {"executions", nullptr}, {"sleep_blocked", 0},
      {"steps", r.transitions},
      {"bound", r.verdict == "bound_reached" ? nlohmann::json(r.detail) : nlohmann::json(nullptr)},
      {"seconds", r.seconds}, {"schedule", nullptr}, {"preemptions", 0}, {"trace", trace},
      {"notes", nlohmann::json::array()}, {"states", r.states}, {"matched", r.matched},
      {"transitions", r.transitions}, {"depth", r.depth}, {"symmetry", opt.symmetry}};
  std::cout << j.dump(2) << "\n";
  return ExitForModel(r);
}

// `kthcheck model`: the smpboot protocol.
int RunModel(const Options& opt) {
  ModelRun run = Search(opt, "smpboot_hotplug");
  const kthcheck::model::ModelCheckResult& r = run.result;
  if (r.verdict == "usage") {
    std::fprintf(stderr, "kthcheck: %s\n", r.detail.c_str());
    return kExitUsage;
  }
  if (opt.format == "json") {
    nlohmann::json j = {{"verdict", r.verdict},
                        {"oracle", r.oracle.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.oracle)},
                        {"detail", r.detail},
                        {"states", r.states},
                        {"matched", r.matched},
                        {"transitions", r.transitions},
                        {"depth", r.depth},
                        {"symmetry", opt.symmetry},
                        {"trace", r.trace}};
    std::cout << j.dump(2) << "\n";
  } else {
    PrintModelText(opt, run);
  }
  return ExitForModel(r);
}

int RunProve(const Options& opt) {
  kthcheck::proofs::ProveOptions p;
  p.variant = opt.variant;
  std::string error;
  std::vector<kthcheck::proofs::ObligationResult> rows = kthcheck::proofs::Prove(p, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "kthcheck: %s\n", error.c_str());
    return kExitUsage;
  }
  if (opt.format == "json")
    kthcheck::proofs::PrintJson(rows, std::cout);
  else
    kthcheck::proofs::PrintTable(rows, std::cout);
  return kthcheck::proofs::ExitCode(rows);
}

}  // namespace kt::cli
