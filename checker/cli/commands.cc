#include "checker/cli/commands.h"

#include <cstdio>
#include <iostream>
#include <utility>
#include <nlohmann/json.hpp>

#include "checker/cli/export.h"
#include "checker/cli/kernel_program.h"
#include "checker/cli/report.h"
#include "checker/explore/parallel.h"
#include "checker/explore/portfolio.h"
#include "checker/explore/shard.h"
#include "checker/explore/shrink.h"

namespace kt::cli {

int Usage(const std::string& msg) {
  std::fprintf(stderr, "kthcheck: %s\n", msg.c_str());
  return kExitUsage;
}

namespace {

int ExitFor(explore::VerdictKind k) {
  switch (k) {
    case explore::VerdictKind::kHolds: return kExitHolds;
    case explore::VerdictKind::kViolation: return kExitViolation;
    case explore::VerdictKind::kBoundReached: return kExitBound;
  }
  return kExitInternal;
}

// One line on stderr about every second: executions, rate, depth (steps of the last
// execution), elapsed time, and an estimate when the search can make one (a DPOR tree's
// estimate grows as races are found, so it runs ahead: "rough").
void Progress(const explore::Progress& p) {
  char estimate[96] = "";
  if (p.fraction >= 0.01 && p.fraction < 1)
    std::snprintf(estimate, sizeof estimate, ", ~%.0f%% done, ~%.0f s left (rough)",
                  100 * p.fraction, p.seconds * (1 - p.fraction) / p.fraction);
  else if (p.fraction >= 0 && p.fraction < 0.01)
    std::snprintf(estimate, sizeof estimate, ", <1%% done");
  char depth[32] = "";
  if (p.depth > 0) std::snprintf(depth, sizeof depth, ", depth %d", p.depth);
  std::fprintf(stderr, "progress: %llu executions (%.0f/s)%s, %.0f s elapsed%s\n",
               static_cast<unsigned long long>(p.executions),
               p.seconds > 0 ? p.executions / p.seconds : 0.0, depth, p.seconds, estimate);
}

explore::Bounds BoundsFor(const Options& opt) {
  explore::Bounds b = opt.bounds;
  if (opt.strategy == "fair" && b.livelock_steps == 0) b.livelock_steps = explore::kDefaultLivelockSteps;
  if (opt.strategy != "fair") b.livelock_steps = 0;
  return b;
}

explore::SearchOptions SearchOptionsFor(const Options& opt) {
  explore::SearchOptions o;
  o.search = explore::ParseSearch(opt.strategy).value_or(explore::Search::kDpor);
  o.seed = opt.seed;
  o.executions = opt.executions;
  o.pct_depth = opt.pct_depth;
  o.shard_index = opt.shard_index;
  o.shard_count = opt.shard_count;
  o.checkpoint = opt.checkpoint;
  o.checkpoint_seconds = opt.checkpoint_seconds;
  o.count_traces = opt.count_traces;
  return o;
}

// What a checkpoint of `target` names: its schedule-token prefix.
std::string ProgramId(const Target& target) { return explore::EncodeToken(MakeToken(target, {})); }

// --shard (or Bazel's TEST_SHARD_INDEX/TEST_TOTAL_SHARDS), --jobs, --checkpoint, --resume.
bool ResolveSplit(Options* o, std::string* error) {
  std::optional<explore::Shard> shard =
      o->shard.empty() ? explore::ShardFromEnv(error) : explore::ParseShard(o->shard, error);
  if (!error->empty()) return false;
  if (shard) o->shard_index = shard->index, o->shard_count = shard->count;
  if (o->jobs == 0) o->jobs = explore::AvailableCores();
  if (o->jobs < 0 || o->jobs > 256) {
    *error = "--jobs=" + std::to_string(o->jobs) + ": between 1 and 256 (0: one per core)";
    return false;
  }
  if (o->checkpoint.empty() && o->resume.empty()) return true;
  if (o->strategy != "dpor" && o->strategy != "dfs")
    *error = "--checkpoint and --resume work with --strategy=dpor or dfs";
  else if (o->jobs > 1)
    *error = "--checkpoint and --resume save one process's search: split with --shard=i/n "
             "instead of --jobs";
  else if (o->all)
    *error = "--checkpoint and --resume save the search of one --scenario, not --all";
  else if (!(o->checkpoint_seconds >= 0))
    *error = "--checkpoint-every: seconds >= 0";
  return error->empty();
}

// Checks one target; a counterexample is replayed for its trace and token.
// A scenario beyond exhaustive search (Scenario::search_budget): PCT and DPOR, `budget`
// executions each (explore/portfolio.h: in turn in one process, PCT first with --jobs).
// No finding is bound_reached -- "holds" only if DPOR's tree
// ended within its share.
explore::Verdict BudgetedSearch(const explore::Program& program, const Options& opt,
                                const explore::SearchOptions& search, explore::Bounds bounds,
                                uint64_t budget) {
  explore::SearchOptions pct;
  pct.search = explore::Search::kPct;
  pct.seed = opt.seed;
  pct.executions = budget;
  pct.pct_depth = opt.pct_depth;
  bounds.max_executions = budget;
  explore::PortfolioResult r =
      explore::PctAndDpor(program, pct, search, bounds, opt.jobs, Progress);
  explore::Verdict v = r.verdict;
  if (v.kind == explore::VerdictKind::kViolation || v.exhaustive) return v;
  v.notes.insert(v.notes.begin(), "PCT: " + r.pct_guarantee);
  v.kind = explore::VerdictKind::kBoundReached;
  v.bound = "search_budget=" + std::to_string(budget);
  v.message = "no finding by PCT (depth " + std::to_string(pct.pct_depth) + ", seed " +
              std::to_string(opt.seed) +
              ") in " + std::to_string(r.pct_executions) + " executions, nor by DPOR in its first " +
              std::to_string(r.dpor_executions) + "; not exhaustive";
  v.notes.push_back("this scenario is beyond exhaustive search at these parameters: its "
                    "default check is PCT and DPOR, " + std::to_string(budget) +
                    " executions each (--strategy=dpor for an exhaustive attempt)");
  return v;
}

// A busy-polling scenario (Scenario::needs_fairness): after DPOR, the fair strategy with
// the livelock oracle, which DPOR cannot apply (an unfair schedule may never run the
// poller's victims). A livelock replaces the DPOR verdict; otherwise it stands, noted.
explore::Verdict ThenFair(const explore::Program& program, const Options& opt,
                          explore::Bounds* bounds, const explore::Verdict& dpor) {
  explore::SearchOptions fair;
  fair.search = explore::Search::kFair;
  fair.seed = opt.seed;
  fair.executions = opt.executions;
  explore::Bounds b = *bounds;
  b.livelock_steps = explore::kDefaultLivelockSteps;
  b.max_executions = explore::Bounds{}.max_executions;
  explore::Verdict v = explore::Explore(program, fair, b, Progress);
  if (v.kind == explore::VerdictKind::kViolation) {
    *bounds = b;  // the livelock oracle must be on when the counterexample replays
    v.notes.insert(v.notes.begin(), std::string("DPOR: ") + explore::VerdictName(dpor.kind) +
                                        " after " + std::to_string(dpor.executions) +
                                        " executions; then the fair strategy");
    return v;
  }
  explore::Verdict out = dpor;
  out.notes.push_back("fair strategy, livelock oracle on: no finding in " +
                      std::to_string(v.executions) + " executions (seed " +
                      std::to_string(opt.seed) + ")");
  return out;
}

Report CheckOne(const Target& target, const Options& opt,
                const std::optional<explore::Checkpoint>& resume = std::nullopt) {
  Report r;
  r.target = target;
  explore::Program program = MakeProgram(target);
  explore::Bounds bounds = BoundsFor(opt);
  explore::SearchOptions search = SearchOptionsFor(opt);
  search.program_id = ProgramId(target);
  search.resume = resume;
  const bool fair_too = target.scenario->needs_fairness && !opt.strategy_given && !resume;
  const uint64_t budget = target.scenario->search_budget;
  const bool budgeted = budget && !opt.strategy_given && !resume && search.shard_count == 1 &&
                        !opt.count_traces;
  if (budgeted)
    r.verdict = BudgetedSearch(program, opt, search, bounds, budget);
  else
    r.verdict = explore::ExploreParallel(program, search, bounds, opt.jobs, Progress);
  if (fair_too && r.verdict.kind != explore::VerdictKind::kViolation)
    r.verdict = ThenFair(program, opt, &bounds, r.verdict);
  if (r.verdict.kind == explore::VerdictKind::kViolation) {
    if (!opt.no_shrink) explore::ShrinkVerdict(program, bounds, &r.verdict);
    explore::Replayed rep = explore::Replay(program, r.verdict.schedule, bounds);
    r.trace = rep.trace;
    r.task_names = rep.task_names;
    explore::ScheduleToken token = MakeToken(target, r.verdict.schedule);
    if (bounds.livelock_steps)  // the oracle that fired must be on when it replays
      token.params.emplace_back("livelock", std::to_string(bounds.livelock_steps));
    r.token = explore::EncodeToken(token);
    if (!rep.error.empty() || rep.verdict.oracle != r.verdict.oracle) {
      std::fprintf(stderr, "[internal bug] the counterexample does not replay: %s\n",
                   rep.error.c_str());
      std::exit(kExitInternal);
    }
  }
  return r;
}

// A check's report, with the search's notes (seed, bound, shrinking): they describe how
// the counterexample was found, so a replay of it has none.
nlohmann::json CheckJson(const Report& r) {
  nlohmann::json j = ToJson(r);
  j["notes"] = r.verdict.notes;
  return j;
}

void PrintCheck(const Report& r, const std::string& format) {
  if (format == "json") {
    std::cout << CheckJson(r).dump(2) << "\n";
    return;
  }
  PrintText(std::cout, r);
  if (r.verdict.notes.empty()) return;
  std::cout << "\nSearch:\n";
  for (const std::string& n : r.verdict.notes) std::cout << "  " << n << "\n";
}

// --memory-model: empty means sc, or with `variant` that variant's own (variants.def).
rt::MemoryModel ModelFor(const Options& opt, Variant variant) {
  if (opt.memory_model.empty()) return VariantMemoryModel(variant);
  return *rt::ParseMemoryModel(opt.memory_model);
}

// --spurious-wakeups: not given means none, or with `variant` that variant's own.
int StraysFor(const Options& opt, Variant variant) {
  return opt.spurious_wakeups >= 0 ? opt.spurious_wakeups : VariantStrayWakeups(variant);
}

int CheckAll(const Options& opt) {
  std::vector<Report> reports;
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  std::string error;
  std::vector<std::pair<std::string, std::string>> not_followed;  // --conformance: name, why
  for (int i = 0; i < n; ++i) {
    Target t = *ResolveTarget(all[i]->name, "", opt.cpus, &error, opt.hotplug, opt.work);
    t.memory_model = ModelFor(opt, Variant::kNone);
    t.stray_wakeups = StraysFor(opt, Variant::kNone);
    t.irq_threaded = opt.irq == "threaded";
    if (opt.conformance) {
      // Only what model/ can follow is checked; each other scenario gets its one line,
      // so a catalog run with --conformance never passes a scenario silently.
      t.conformance = true;
      std::string why = CheckConformanceTarget(t);
      if (!why.empty()) {
        std::fprintf(stderr, "%s: not checked: %s\n", all[i]->name, why.c_str());
        not_followed.emplace_back(all[i]->name, why);
        continue;
      }
    }
    reports.push_back(CheckOne(t, opt));
  }
  int nv = 0;
  const VariantInfo* variants = AllVariants(&nv);
  if (opt.with_variants)
    for (int i = 0; i < nv; ++i) {
      Target t = *ResolveTarget(variants[i].scenario, variants[i].name, opt.cpus, &error,
                                opt.hotplug, opt.work);
      t.memory_model = ModelFor(opt, t.variant);
      t.stray_wakeups = StraysFor(opt, t.variant);
      t.irq_threaded = opt.irq == "threaded";
      reports.push_back(CheckOne(t, opt));
    }
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
    for (const Report& r : reports) j["results"].push_back(CheckJson(r));
    if (opt.conformance) {
      j["not_followed"] = nlohmann::json::array();
      for (const auto& [name, why] : not_followed)
        j["not_followed"].push_back({{"scenario", name}, {"why", why}});
    }
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
                               {"expected_oracle", variants[i].expected_oracle},
                               {"memory_model", variants[i].memory_model},
                               {"spurious_wakeups", variants[i].stray_wakeups}});
    std::cout << j.dump(2) << "\n";
    return kExitHolds;
  }
  std::cout << "Scenarios:\n";
  for (int i = 0; i < n; ++i) std::printf("  %-22s %s\n", all[i]->name, all[i]->description);
  std::cout << "\nVariants (scenario, expected oracle):\n";
  for (int i = 0; i < nv; ++i)
    std::printf("  %-30s %s, %s%s%s: %s\n", variants[i].name, variants[i].scenario,
                variants[i].expected_oracle,
                (std::string(variants[i].memory_model) != "sc"
                     ? std::string(" under ") + variants[i].memory_model
                     : std::string())
                    .c_str(),
                variants[i].stray_wakeups ? " with --spurious-wakeups=1" : "",
                variants[i].description);
  return kExitHolds;
}

int RunCheck(const Options& options) {
  std::string error;
  Options opt = options;
  if (opt.engine == "model") return RunCheckModel(opt);
  if (opt.symmetry) return Usage("--symmetry is the model engine's (--engine=model)");
  if (!opt.memory_model.empty() && !rt::ParseMemoryModel(opt.memory_model))
    return Usage("--memory-model=" + opt.memory_model + ": expected sc, tso or pso");
  if (opt.spurious_wakeups > kMaxStrayWakeups)
    return Usage("--spurious-wakeups=" + std::to_string(opt.spurious_wakeups) +
                 ": between 0 and " + std::to_string(kMaxStrayWakeups));
  if (opt.strategy == "spurious") {  // DPOR with stray wakeups injected (default 1)
    opt.strategy = "dpor";
    if (opt.spurious_wakeups < 0) opt.spurious_wakeups = 1;
  }
  if (!ResolveSplit(&opt, &error)) return Usage(error);
  if (opt.conformance && opt.all && opt.with_variants)
    return Usage("--conformance with --all follows the faithful catalog; drop --variants");
  if (opt.conformance && opt.all) {  // the same line for every scenario: say it once
    rt::MemoryModel m = opt.memory_model.empty() ? rt::MemoryModel::kSc
                                                 : *rt::ParseMemoryModel(opt.memory_model);
    std::string why = ConformanceRunRefused(m, opt.spurious_wakeups);
    if (!why.empty()) return Usage(why);
  }
  if (opt.all) {
    if (!opt.scenario.empty() || !opt.variant.empty() || !opt.ops.empty())
      return Usage("--all checks the whole catalog; do not combine it with --scenario/--variant/--ops");
    if (!ResolveTarget("basic_loop", "", opt.cpus, &error, opt.hotplug, opt.work)) return Usage(error);
    return CheckAll(opt);
  }
  if (opt.with_variants) return Usage("--variants needs --all");
  if (opt.count_traces &&
      ((opt.strategy != "dpor" && opt.strategy != "dfs") || opt.jobs > 1 ||
       opt.shard_count > 1 || !opt.resume.empty() || !opt.checkpoint.empty()))
    return Usage("--count-traces counts the traces of one whole search: --strategy=dpor or "
                 "dfs, in one process, without --shard, --checkpoint or --resume");
  if (opt.scenario.empty()) return Usage("check needs --scenario=NAME or --all");
  std::optional<Target> target = ResolveTarget(opt.scenario, opt.variant, opt.cpus, &error, opt.hotplug, opt.work);
  if (!target) return Usage(error);
  if (!opt.ops.empty() && !SetTargetOps(&*target, opt.ops, &error)) return Usage("--" + error);
  if (!opt.memory_model.empty()) target->memory_model = *rt::ParseMemoryModel(opt.memory_model);
  if (opt.spurious_wakeups >= 0) target->stray_wakeups = opt.spurious_wakeups;
  target->irq_threaded = opt.irq == "threaded";
  target->conformance = opt.conformance;
  if (opt.conformance) {
    std::string why = CheckConformanceTarget(*target);
    if (!why.empty()) return Usage(why);
  }
  std::optional<explore::Checkpoint> resume;
  if (!opt.resume.empty()) {
    resume = explore::LoadCheckpoint(opt.resume, &error);
    if (!resume) return Usage(error);
    explore::SearchOptions search = SearchOptionsFor(opt);
    search.program_id = ProgramId(*target);
    std::string why = explore::CheckpointMismatch(*resume, explore::KeyFor(search, BoundsFor(opt)));
    if (!why.empty()) return Usage("--resume=" + opt.resume + ": " + why);
    why = explore::CheckpointFits(MakeProgram(*target), *resume, BoundsFor(opt));
    if (!why.empty())
      return Usage("--resume=" + opt.resume +
                   ": the checkpoint does not fit this build of the scenario (" + why + ")");
  }
  Report r = CheckOne(*target, opt, resume);
  PrintCheck(r, opt.format);
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
  explore::Bounds bounds = opt.bounds;
  if (const std::string* l = token->Param("livelock")) {
    if (l->empty() || l->size() > 9 || l->find_first_not_of("0123456789") != std::string::npos)
      return Usage("bad schedule token: livelock=" + *l + ": expected a step count");
    bounds.livelock_steps = std::stoull(*l);
  }
  explore::Replayed rep = explore::Replay(MakeProgram(*target), token->choices, bounds);
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
