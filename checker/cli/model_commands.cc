// model_commands.cc -- `kthcheck model` (explicit-state search of the abstract protocol)
// and `kthcheck prove` (Z3 proofs and BMC of it); the engines live in model/ and proofs/.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.h"
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

kthcheck::model::ModelCheckResult Search(const Options& opt) {
  int threads = opt.jobs == 0 ? explore::AvailableCores() : opt.jobs;
  return kthcheck::model::CheckModel(opt.cpus, opt.hotplug, opt.work, opt.variant,
                                     opt.max_states, "exact", threads, opt.symmetry);
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

}  // namespace

// `check --engine=model`: the smpboot_hotplug scenario searched on the abstract model,
// printed in the impl engine's JSON shape plus the explicit engine's counts.
int RunCheckModel(const Options& opt) {
  if (opt.scenario != "smpboot_hotplug")
    return Usage("--engine=model checks --scenario=smpboot_hotplug (the protocol model/ covers)");
  if (opt.all || opt.conformance || opt.spurious_wakeups > 0 ||
      (!opt.memory_model.empty() && opt.memory_model != "sc") || opt.strategy_given)
    return Usage("--engine=model takes --cpus, --hotplug, --work, --variant, --max-states, "
                 "--symmetry, --jobs and --format; the other options are the impl engine's");
  kthcheck::model::ModelCheckResult r = Search(opt);
  if (r.verdict == "usage") return Usage(r.detail);
  if (opt.format != "json") return RunModel(opt);
  nlohmann::json trace = nlohmann::json::array();
  for (std::size_t i = 0; i < r.trace.size(); ++i)
    trace.push_back(TraceEntry(static_cast<int>(i), r.trace[i]));
  nlohmann::json j = {
      {"engine", "model"}, {"scenario", "smpboot_hotplug"},
      {"variant", opt.variant.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.variant)},
      {"cpus", opt.cpus}, {"hotplug", opt.hotplug}, {"work", opt.work},
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

int RunModel(const Options& opt) {
  kthcheck::model::ModelCheckResult r = Search(opt);
  if (r.verdict == "usage") {
    std::fprintf(stderr, "kthcheck: %s\n", r.oracle.c_str());
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
    std::cout << "model (" << opt.cpus << " CPUs, " << opt.hotplug << " hotplug cycles, "
              << opt.work << " work items, variant " << (opt.variant.empty() ? "none" : opt.variant)
              << (opt.symmetry ? ", any-order closure by CPU orbits" : "") << "): " << r.verdict << (r.oracle.empty() ? "" : " [" + r.oracle + "]") << "\n";
    if (!r.detail.empty()) std::cout << "  " << r.detail << "\n";
    std::cout << "  states " << r.states << ", matched " << r.matched << ", transitions "
              << r.transitions << ", depth " << r.depth << "\n";
    for (const std::string& line : r.trace) std::cout << "    " << line << "\n";
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
