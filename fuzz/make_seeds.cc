// make_seeds -- writes the seed corpora under fuzz/corpus/ (how the checked-in seeds were
// made; rerun it when the input formats change, then check the diff).
//
//   bazel run //fuzz:make_seeds -- $PWD/fuzz/corpus
//
// scenario_fuzzer: one input per scenario of the catalog without preemptions (2 bytes:
//   config, scenario), a few with CPU/hotplug/work/fair settings, and
//   `event_loop_lost_wakeup`: the shortest input found (random search, then shrinking)
//   that shows the lost wakeup when KT_FUZZ_VARIANT=event_check_before_set_state is set,
//   and runs clean on the faithful port.
// token_fuzzer: tokens of real counterexamples (DPOR on planted variants), canonical and
//   non-canonical spellings, the memory_model, spurious and irq parameters, and a few
//   malformed ones.
// checkpoint_fuzzer: checkpoints of DPOR and DFS searches cut after a few executions,
//   and malformed JSON.
// compare_fuzzer: real `kthcheck check --all --format=json` output of small runs (1 or 2
//   CPUs, 5 or 300 executions) alone and in pairs, a caught variant's one-row file beside
//   the same check stopped by its bound, and a few broken files.
// model_walk_fuzzer: parameter bytes with no choices, and a few short walks, on the smpboot
// protocol and on plain-kthread configurations.
//
// Further arguments name the fuzzers to write seeds for (default: all), so regenerating one
// corpus leaves the others' files (which hold timings) as they are.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checker/cli/commands.h"
#include "checker/cli/kernel_program.h"
#include "checker/explore/checkpoint.h"
#include "checker/explore/explorer.h"
#include "checker/explore/rng.h"
#include "checker/explore/schedule.h"
#include "fuzz/scenario_fuzz.h"
#include "impl/modules/api_program.h"

namespace kt::fuzz {
namespace {

std::string g_root;

void Write(const std::string& fuzzer, const std::string& name, const std::string& bytes) {
  std::string path = g_root + "/" + fuzzer + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) {
    std::fprintf(stderr, "make_seeds: cannot write %s (does the directory exist?)\n",
                 path.c_str());
    std::exit(1);
  }
}

std::string Bytes(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

int IndexOf(const char* scenario) {
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  for (int i = 0; i < n; ++i)
    if (std::string(all[i]->name) == scenario) return i;
  std::fprintf(stderr, "make_seeds: no scenario %s\n", scenario);
  std::exit(1);
}

// config byte: cpus 1-4, hotplug 0-3, work 0-3, fair.
uint8_t Config(int cpus, int hotplug, int work, bool fair) {
  return static_cast<uint8_t>((cpus - 1) | hotplug << 2 | work << 4 | (fair ? 64 : 0));
}

std::string Oracle(const std::vector<uint8_t>& in, const FuzzConfig& c) {
  return RunScenarioInput(in.data(), in.size(), c, {false, false}).oracle;
}

// The shortest input showing the lost wakeup under the variant: random inputs, then
// shrinking (erase choice bytes, or make them 0: no preemption).
std::vector<uint8_t> LostWakeupSeed() {
  FuzzConfig variant{Variant::kEventCheckBeforeSetState, FindScenario("event_loop")};
  uint8_t scenario = static_cast<uint8_t>(IndexOf("event_loop"));
  explore::Rng rng(1);
  std::vector<uint8_t> best;
  for (int i = 0; i < 1000000 && best.empty(); ++i) {
    std::vector<uint8_t> in(rng.Below(64));
    for (uint8_t& b : in) b = static_cast<uint8_t>(rng.Next());
    in.push_back(Config(2, 1, 1, false));
    in.push_back(scenario);
    if (Oracle(in, variant) == "lost_wakeup") best = in;
  }
  if (best.empty()) {
    std::fprintf(stderr, "make_seeds: no lost wakeup in 1e6 random inputs\n");
    std::exit(1);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i + 2 < best.size(); ++i) {
      for (int v : {-1, 0}) {  // -1: erase the byte, 0: no preemption there
        std::vector<uint8_t> t = best;
        if (v < 0) t.erase(t.begin() + i);
        else if (t[i] != 0) t[i] = 0;
        else continue;
        if (Oracle(t, variant) == "lost_wakeup") {
          best = t;
          changed = true;
          break;
        }
      }
    }
  }
  FuzzConfig faithful{Variant::kNone, nullptr};
  if (!Oracle(best, faithful).empty()) {
    std::fprintf(stderr, "make_seeds: the seed shows a finding on the faithful port\n");
    std::exit(1);
  }
  return best;
}

// An api_sequence input running `ops` (api_program.h) on `cpus` CPUs with `schedule`:
// the operation bytes are read from the end, after the scenario, config and count bytes
// (scenario_fuzz.h), so they are written in reverse; a byte is letter + kApiOpCount * digit.
std::string ApiSeed(const std::string& ops, int cpus, std::vector<uint8_t> schedule) {
  std::vector<uint8_t> in = std::move(schedule);
  for (size_t i = ops.size(); i >= 2; i -= 2) {
    int letter = static_cast<int>(std::string(kApiOpLetters).find(ops[i - 2]));
    in.push_back(static_cast<uint8_t>(letter + kApiOpCount * (ops[i - 1] - '0')));
  }
  in.push_back(static_cast<uint8_t>(ops.size() / 2));
  in.push_back(Config(cpus, 0, 0, false));
  in.push_back(static_cast<uint8_t>(IndexOf("api_sequence")));
  return Bytes(in);
}

void ApiSequenceSeeds() {
  Write("scenario_fuzzer", "api_sequence_park_unpark_stop", ApiSeed("r0p0u0s0", 2, {}));
  Write("scenario_fuzzer", "api_sequence_park_before_wakeup", ApiSeed("c0p0u0s0", 2, {1, 2}));
  Write("scenario_fuzzer", "api_sequence_bound_hotplug", ApiSeed("o4w1d1p1e1u1s1", 3, {1, 0, 2}));
  Write("scenario_fuzzer", "api_sequence_freeze",
        ApiSeed("z0r1i0w0p1u1j0s0s1", 2, {0, 1, 0, 1}));
  Write("scenario_fuzzer", "api_sequence_freezable_worker",
        ApiSeed("k1q0l3i0q0l0j0h0v0x0y0t0", 2, {1, 1, 1, 1}));
  Write("scenario_fuzzer", "api_sequence_two_workers",
        ApiSeed("k0l0q0x0q0h0l9v0m2y0t0k0q0l0", 1, {}));
}

void ScenarioSeeds() {
  // One seed per scenario of the catalog, so a scenario added later gets one too.
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  for (int i = 0; i < n; ++i)
    Write("scenario_fuzzer", all[i]->name,
          Bytes({Config(2, 1, 1, false), static_cast<uint8_t>(i)}));
  Write("scenario_fuzzer", "smpboot_hotplug_cpus3_hotplug2_work2",
        Bytes({1, 2, 0, 1, 1, 0, 2, Config(3, 2, 2, false),
               static_cast<uint8_t>(IndexOf("smpboot_hotplug"))}));
  Write("scenario_fuzzer", "park_unpark_stop_fair_cpus1",
        Bytes({3, 1, 4, 1, 5, 9, 2, 6, Config(1, 1, 1, true),
               static_cast<uint8_t>(IndexOf("park_unpark_stop"))}));
  Write("scenario_fuzzer", "kthread_worker_preempting",
        Bytes({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, Config(2, 0, 3, false),
               static_cast<uint8_t>(IndexOf("kthread_worker"))}));
  Write("scenario_fuzzer", "event_loop_lost_wakeup", Bytes(LostWakeupSeed()));
  ApiSequenceSeeds();
}

std::string CounterexampleToken(const char* scenario, const char* variant) {
  std::string error;
  cli::Target t = *cli::ResolveTarget(scenario, variant, 2, &error);
  t.memory_model = cli::VariantMemoryModel(t.variant);  // a pso row is caught under pso
  explore::Verdict v = explore::Explore(cli::MakeProgram(t), explore::Search::kDpor, {});
  return explore::EncodeToken(cli::MakeToken(t, v.schedule));
}

void TokenSeeds() {
  Write("token_fuzzer", "event_check_before_set_state",
        CounterexampleToken("event_loop", "event_check_before_set_state"));
  Write("token_fuzzer", "stop_without_unpark",
        CounterexampleToken("park_stop", "stop_without_unpark"));
  Write("token_fuzzer", "exit_without_stop", CounterexampleToken("basic_loop", "exit_without_stop"));
  Write("token_fuzzer", "faithful_short", "kt1:event_loop:variant=none,cpus=2:a3b2a");
  Write("token_fuzzer", "non_canonical", "kt1:park_stop:variant=none,cpus=1,hotplug=1,work=1:a1aab01");
  Write("token_fuzzer", "livelock_param",
        "kt1:completion_sync:variant=none,cpus=2,livelock=1000:a5b5c5");
  Write("token_fuzzer", "tso_param", "kt1:event_loop:variant=none,cpus=2,memory_model=tso:a3b2a");
  Write("token_fuzzer", "pso_param", "kt1:event_loop:variant=none,cpus=2,memory_model=pso:a3b2a");
  Write("token_fuzzer", "exit_flag_without_release",
        CounterexampleToken("stop_before_wakeup", "exit_flag_without_release"));
  Write("token_fuzzer", "spurious_param",
        "kt1:completion_sync:variant=none,cpus=2,spurious=1:a5b5c5");
  Write("token_fuzzer", "irq_threaded_param",
        "kt1:irq_event:variant=none,cpus=2,irq=threaded:a3b2a");
  Write("token_fuzzer", "api_sequence_ops",
        "kt1:api_sequence:variant=none,cpus=2,ops=c0p0u0s0:a3b2a");
  Write("token_fuzzer", "api_sequence_illegal_ops",  // legalized to r0p0u0s0
        "kt1:api_sequence:variant=none,cpus=2,ops=u0r0p0p0u0s0s0:a3b2a");
  Write("token_fuzzer", "bad_letter", "kt1:event_loop:variant=none,cpus=2:a3Z");
  Write("token_fuzzer", "bad_version", "kt2:event_loop:variant=none,cpus=2:a");
}

void CheckpointSeed(const char* name, explore::Search search, uint64_t executions,
                    int max_preemptions) {
  std::string error;
  cli::Target t = *cli::ResolveTarget("event_loop", "", 2, &error);
  std::string token = explore::EncodeToken(cli::MakeToken(t, {}));
  explore::SearchOptions o;
  o.search = search;
  o.program_id = token.substr(0, token.size() - 1);  // without the empty choices
  o.checkpoint = g_root + "/checkpoint_fuzzer/" + name;
  explore::Bounds b;
  b.max_executions = executions;
  b.max_preemptions = max_preemptions;
  explore::Explore(cli::MakeProgram(t), o, b);
}

void CheckpointSeeds() {
  CheckpointSeed("dpor_after_3", explore::Search::kDpor, 3, -1);
  CheckpointSeed("dfs_after_2", explore::Search::kDfs, 2, -1);
  CheckpointSeed("dpor_bounded_after_5", explore::Search::kDpor, 5, 1);
  Write("checkpoint_fuzzer", "not_a_checkpoint", "{\"kthcheck_checkpoint\": 2}");
  Write("checkpoint_fuzzer", "truncated", "{\"kthcheck_checkpoint\": 1, \"key\": {\"prog");
}

// What `kthcheck check` prints for `opt` with --format=json (RunCheck writes it to
// std::cout).
std::string CheckJson(cli::Options opt) {
  opt.format = "json";
  std::ostringstream out;
  std::streambuf* saved = std::cout.rdbuf(out.rdbuf());
  cli::RunCheck(opt);
  std::cout.rdbuf(saved);
  return out.str();
}

// `kthcheck check --all --cpus=<cpus> --max-executions=<executions> --format=json`.
std::string CheckAllJson(int cpus, uint64_t executions) {
  cli::Options opt;
  opt.all = true;
  opt.cpus = cpus;
  opt.bounds.max_executions = executions;
  opt.strategy_given = true;  // as main.cc sets it for --max-executions
  return CheckJson(opt);
}

// The row `check --all --variants --cpus=1` gives one variant, as a file of its own (the
// whole run's file is about 700 kB, mostly counterexample traces).
std::string VariantJson(const char* scenario, const char* variant, uint64_t executions) {
  cli::Options opt;
  opt.scenario = scenario;
  opt.variant = variant;
  opt.cpus = 1;
  if (executions) {
    opt.bounds.max_executions = executions;
    opt.strategy_given = true;
  }
  return "{\"results\": [" + CheckJson(opt) + "]}\n";
}

// A pair of files is one input: BEFORE, a NUL byte, AFTER (compare_fuzzer.cc).
std::string Pair(const std::string& before, const std::string& after) {
  return before + '\0' + after;
}

void CompareSeeds() {
  const std::string small = CheckAllJson(1, 5);
  Write("compare_fuzzer", "all_cpus1_bound5", small);
  Write("compare_fuzzer", "all_cpus1_then_cpus2", Pair(small, CheckAllJson(2, 5)));
  Write("compare_fuzzer", "all_bound5_then_bound300", Pair(small, CheckAllJson(1, 300)));
  Write("compare_fuzzer", "variant_caught_then_bound",
        Pair(VariantJson("stop_before_wakeup", "exit_before_result", 0),
             VariantJson("stop_before_wakeup", "exit_before_result", 1)));
  Write("compare_fuzzer", "truncated", small.substr(0, 300));
  Write("compare_fuzzer", "results_not_an_array", "{\"results\": {}}");
  Write("compare_fuzzer", "row_without_cpus",
        "{\"results\": [{\"scenario\": \"event_loop\", \"verdict\": \"holds\"}]}");
  Write("compare_fuzzer", "cpus_not_an_integer",
        "{\"results\": [{\"scenario\": \"event_loop\", \"verdict\": \"holds\", "
        "\"cpus\": 2.0}]}");
  Write("compare_fuzzer", "good_then_junk", Pair(small, "not json"));
  Write("compare_fuzzer", "two_empty_files", Pair("", ""));
}

void ModelSeeds() {
  Write("model_walk_fuzzer", "cpus1_no_choices", Bytes({Config(1, 0, 0, false)}));
  Write("model_walk_fuzzer", "cpus2_hotplug1_work1", Bytes({Config(2, 1, 1, false)}));
  Write("model_walk_fuzzer", "cpus3_hotplug1_work2",
        Bytes({2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, Config(3, 1, 2, false)}));
  Write("model_walk_fuzzer", "cpus4_round_robin",
        Bytes({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, Config(4, 2, 1, false)}));
  // A plain-kthread configuration: bit 6 of the parameter byte set (Config's `fair`), the
  // byte before it the index into model_walk_fuzzer.cc's kPlain.
  Write("model_walk_fuzzer", "wait_event_loop", Bytes({1, 0, 2, 1, 0, 3, 9, Config(1, 0, 0, true)}));
  Write("model_walk_fuzzer", "freezable", Bytes({2, 1, 0, 1, 2, 0, 1, 10, Config(1, 0, 0, true)}));
  Write("model_walk_fuzzer", "freezable_worker",
        Bytes({1, 2, 0, 2, 1, 0, 1, 2, 11, Config(1, 0, 0, true)}));
  Write("model_walk_fuzzer", "kthread_worker",
        Bytes({2, 0, 1, 1, 0, 2, 1, 0, 1, 2, 12, Config(1, 0, 0, true)}));
  Write("model_walk_fuzzer", "hotplug_migrate",
        Bytes({0, 1, 0, 2, 1, 0, 0, 1, 13, Config(1, 0, 0, true)}));
  Write("model_walk_fuzzer", "percpu_cpus3", Bytes({1, 2, 3, 4, 5, 6, 8, Config(3, 0, 0, true)}));
  // Found by model_walk_fuzzer with KT_FUZZ_VARIANT=worker_sleeps_while_freezing (the
  // variant picks its own configuration): the walk to its might_sleep. Clean on the
  // faithful model; corpus_regression_test's ModelWalkDeathTest replays it with the variant.
  Write("model_walk_fuzzer", "worker_sleeps_while_freezing_walk",
        Bytes({0, 0, 0, 0, 0, 0, 0, 0x0b, 0x79, 0x41, 0x0a}));
}

}  // namespace
}  // namespace kt::fuzz

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: make_seeds <corpus root, e.g. $PWD/fuzz/corpus> [fuzzer...]\n");
    return 2;
  }
  kt::fuzz::g_root = argv[1];
  const std::set<std::string> only(argv + 2, argv + argc);
  auto want = [&](const char* fuzzer) { return only.empty() || only.count(fuzzer); };
  if (want("scenario_fuzzer")) kt::fuzz::ScenarioSeeds();
  if (want("token_fuzzer")) kt::fuzz::TokenSeeds();
  if (want("checkpoint_fuzzer")) kt::fuzz::CheckpointSeeds();
  if (want("compare_fuzzer")) kt::fuzz::CompareSeeds();
  if (want("model_walk_fuzzer")) kt::fuzz::ModelSeeds();
  std::fprintf(stderr, "make_seeds: wrote the seeds under %s\n", argv[1]);
  return 0;
}
