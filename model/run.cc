// run.cc -- CheckModel(): the model's spec under the generic explicit engine.
#include "model/run.h"

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "model/symmetry.h"

namespace kthcheck::model {

ModelCheckResult CheckModel(int cpus, int hotplug, int work, const std::string& variant,
                            std::uint64_t max_states) {
  return CheckModel(cpus, hotplug, work, variant, max_states, "exact");
}

namespace {

ModelCheckResult Usage(const std::string& message) {
  ModelCheckResult out;
  out.verdict = "usage";
  out.detail = message;
  out.oracle = message;  // where the first version of this API put it (checker/cli reads it)
  return out;
}

}  // namespace

ModelCheckResult CheckModel(int cpus, int hotplug, int work, const std::string& variant,
                            std::uint64_t max_states, const std::string& store,
                            int threads, bool symmetry) {
  Params p{cpus, hotplug, work, Variant::kFaithful};
  p.any_cpu_order = symmetry;
  // The parameters' own refusals first, then the variant's name.
  std::string bad = Validate(p);
  if (!bad.empty()) return Usage(bad);
  if (!ParseVariant(variant, &p.variant))
    return Usage("--variant=" + variant + ": unknown; `kthcheck list` names the variants");
  return CheckModel(p, max_states, store, threads);
}

ModelCheckResult CheckModel(const Params& p, std::uint64_t max_states, const std::string& store,
                            int threads) {
  ModelCheckResult out;
  std::string bad = Validate(p);
  if (!bad.empty()) return Usage(bad);
  explicit_engine::Options options;
  options.max_states = max_states;
  options.threads = threads;
  if (store == "fingerprint") {
    options.store = explicit_engine::StoreMode::kFingerprint;
  } else if (store == "bitstate") {
    options.store = explicit_engine::StoreMode::kBitstate;
  } else if (store != "exact") {
    return Usage("--store=" + store + ": expected exact, fingerprint or bitstate");
  }
  explicit_engine::Result r = p.any_cpu_order
                                  ? explicit_engine::Explore(SymmetricSmpbootSpec(p), options)
                                  : explicit_engine::Explore(SmpbootSpec(p), options);
  out.verdict = explicit_engine::VerdictName(r.verdict);
  out.oracle = r.oracle;
  out.detail = r.verdict == explicit_engine::Verdict::kBoundReached ? r.bound_message : r.detail;
  out.states = r.stats.states_stored;
  out.matched = r.stats.states_matched;
  out.transitions = r.stats.transitions;
  out.depth = r.stats.depth;
  out.seconds = r.stats.seconds;
  out.collision_probability = r.stats.collision_probability;
  out.hash_factor = r.stats.hash_factor;
  for (const auto& step : r.trace) out.trace.push_back(step.action + " |" + step.change);
  if (!r.trace.empty()) out.final_state = r.trace.back().state;
  return out;
}

}  // namespace kthcheck::model
