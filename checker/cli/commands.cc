#include "checker/cli/commands.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checker/cli/export.h"
#include "checker/cli/kernel_program.h"
#include "checker/cli/report.h"

namespace kt::cli {
namespace {

int Usage(const std::string& msg) {
  std::fprintf(stderr, "kthcheck: %s\n", msg.c_str());
  return kExitUsage;
}

int ExitFor(explore::VerdictKind k) {
  switch (k) {
    case explore::VerdictKind::kHolds: return kExitHolds;
    case explore::VerdictKind::kViolation: return kExitViolation;
    case explore::VerdictKind::kBoundReached: return kExitBound;
  }
  return kExitInternal;
}

void Progress(const explore::Progress& p) {
  std::fprintf(stderr, "progress: %llu executions (%.0f/s), %llu steps, %.0f s elapsed\n",
               static_cast<unsigned long long>(p.executions), p.executions / p.seconds,
               static_cast<unsigned long long>(p.steps), p.seconds);
}

// Checks one target; a counterexample is replayed for its trace and token.
Report CheckOne(const Target& target, const Options& opt) {
  Report r;
  r.target = target;
  explore::Program program = MakeProgram(target);
  explore::Search search = opt.strategy == "dfs" ? explore::Search::kDfs : explore::Search::kDpor;
  r.verdict = explore::Explore(program, search, opt.bounds, Progress);
  if (r.verdict.kind == explore::VerdictKind::kViolation) {
    explore::Replayed rep = explore::Replay(program, r.verdict.schedule, opt.bounds);
    r.trace = rep.trace;
    r.task_names = rep.task_names;
    r.token = explore::EncodeToken(MakeToken(target, r.verdict.schedule));
    if (!rep.error.empty() || rep.verdict.oracle != r.verdict.oracle) {
      std::fprintf(stderr, "[internal bug] the counterexample does not replay: %s\n",
                   rep.error.c_str());
      std::exit(kExitInternal);
    }
  }
  return r;
}

int CheckAll(const Options& opt) {
  std::vector<Report> reports;
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  std::string error;
  for (int i = 0; i < n; ++i)
    reports.push_back(CheckOne(*ResolveTarget(all[i]->name, "", opt.cpus, &error), opt));
  int nv = 0;
  const VariantInfo* variants = AllVariants(&nv);
  if (opt.with_variants)
    for (int i = 0; i < nv; ++i)
      reports.push_back(
          CheckOne(*ResolveTarget(variants[i].scenario, variants[i].name, opt.cpus, &error), opt));
  int status = kExitHolds;
  for (const Report& r : reports) {
    bool faithful = r.target.variant == Variant::kNone;
    int s = ExitFor(r.verdict.kind);
    if (!faithful) {  // a variant is expected to be caught by its oracle
      int k = 0;
      const VariantInfo* vi = AllVariants(&k);
      for (int i = 0; i < k; ++i)
        if (vi[i].id == r.target.variant) s = r.verdict.oracle == vi[i].expected_oracle ? 0 : 1;
    }
    status = std::max(status, s);
  }
  if (opt.format == "json") {
    nlohmann::json j;
    j["results"] = nlohmann::json::array();
    for (const Report& r : reports) j["results"].push_back(ToJson(r));
    std::cout << j.dump(2) << "\n";
    return status;
  }
  std::printf("%-22s %-30s %-14s %-12s %10s %9s\n", "scenario", "variant", "verdict", "oracle",
              "executions", "time");
  for (const Report& r : reports) PrintRow(std::cout, r);
  return status;
}

}  // namespace

int RunList(const Options& opt) {
  int n = 0, nv = 0;
  const Scenario* const* all = AllScenarios(&n);
  const VariantInfo* variants = AllVariants(&nv);
  if (opt.format == "json") {
    nlohmann::json j;
    j["scenarios"] = nlohmann::json::array();
    for (int i = 0; i < n; ++i)
      j["scenarios"].push_back({{"name", all[i]->name}, {"description", all[i]->description}});
    j["variants"] = nlohmann::json::array();
    for (int i = 0; i < nv; ++i)
      j["variants"].push_back({{"name", variants[i].name},
                               {"description", variants[i].description},
                               {"scenario", variants[i].scenario},
                               {"expected_oracle", variants[i].expected_oracle}});
    std::cout << j.dump(2) << "\n";
    return kExitHolds;
  }
  std::cout << "Scenarios:\n";
  for (int i = 0; i < n; ++i) std::printf("  %-22s %s\n", all[i]->name, all[i]->description);
  std::cout << "\nVariants (scenario, expected oracle):\n";
  for (int i = 0; i < nv; ++i)
    std::printf("  %-30s %s, %s: %s\n", variants[i].name, variants[i].scenario,
                variants[i].expected_oracle, variants[i].description);
  return kExitHolds;
}

int RunCheck(const Options& opt) {
  std::string error;
  if (opt.all) {
    if (!opt.scenario.empty() || !opt.variant.empty())
      return Usage("--all checks the whole catalog; do not combine it with --scenario/--variant");
    if (!ResolveTarget("basic_loop", "", opt.cpus, &error)) return Usage(error);
    return CheckAll(opt);
  }
  if (opt.with_variants) return Usage("--variants needs --all");
  if (opt.scenario.empty()) return Usage("check needs --scenario=NAME or --all");
  std::optional<Target> target = ResolveTarget(opt.scenario, opt.variant, opt.cpus, &error);
  if (!target) return Usage(error);
  Report r = CheckOne(*target, opt);
  if (opt.format == "json")
    std::cout << ToJson(r).dump(2) << "\n";
  else
    PrintText(std::cout, r);
  return ExitFor(r.verdict.kind);
}

int RunReplay(const Options& opt) {
  std::string error;
  std::optional<explore::ScheduleToken> token = explore::DecodeToken(opt.token, &error);
  if (!token) return Usage(error);
  std::optional<Target> target = TargetFromToken(*token, &error);
  if (!target) return Usage(error);
  Report r;
  r.target = *target;
  explore::Replayed rep = explore::Replay(MakeProgram(*target), token->choices, opt.bounds);
  if (!rep.error.empty()) return Usage("replay diverged: " + rep.error);
  r.verdict = rep.verdict;
  r.trace = rep.trace;
  r.task_names = rep.task_names;
  r.token = explore::EncodeToken(*token);
  // replay prints; report may write a file (--output). Formats: export.h.
  if (!EmitReport(r, opt.format, opt.output, &error)) return Usage(error);
  return ExitFor(r.verdict.kind);
}

}  // namespace kt::cli
