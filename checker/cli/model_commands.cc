// model_commands.cc -- `kthcheck model` (explicit-state search of the abstract protocol)
// and `kthcheck prove` (Z3 proofs and BMC of it); the engines live in model/ and proofs/.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checker/cli/commands.h"
#include "model/run.h"
#include "proofs/prove.h"

namespace kt::cli {

int RunModel(const Options& opt) {
  kthcheck::model::ModelCheckResult r = kthcheck::model::CheckModel(
      opt.cpus, opt.hotplug, opt.work, opt.variant, opt.max_states);
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
                        {"trace", r.trace}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "model (" << opt.cpus << " CPUs, " << opt.hotplug << " hotplug cycles, "
              << opt.work << " work items, variant " << (opt.variant.empty() ? "none" : opt.variant)
              << "): " << r.verdict << (r.oracle.empty() ? "" : " [" + r.oracle + "]") << "\n";
    if (!r.detail.empty()) std::cout << "  " << r.detail << "\n";
    std::cout << "  states " << r.states << ", matched " << r.matched << ", transitions "
              << r.transitions << ", depth " << r.depth << "\n";
    for (const std::string& line : r.trace) std::cout << "    " << line << "\n";
  }
  if (r.verdict == "holds") return kExitHolds;
  if (r.verdict == "violation") return kExitViolation;
  return kExitBound;
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
