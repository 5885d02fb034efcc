// api_sequence_fuzz_test -- the scenario fuzzer on api_sequence, where the input chooses
// the operation program as well as the schedule (scenario_fuzz.h):
//   - every kernel-side variant whose code path a program of kthread API calls reaches
//     is found from random inputs within a bounded number of them, by its expected
//     oracle, and the finding's token replays through the kthcheck binary to the same
//     oracle, with the program that ran (ops=) in it;
//   - on the faithful port, random inputs (programs, CPU counts, fair mode, schedules)
//     and random and PCT searches of a set of programs that use every operation find
//     nothing: the legalizer leaves no API misuse for the oracles to report.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "fuzz/scenario_fuzz.h"
#include "impl/modules/api_program.h"

namespace kt::fuzz {
namespace {

constexpr int kMaxInputs = 20000;  // per variant; the slowest took 552 (random driver, seed 1)

FuzzConfig ApiConfig(Variant v) {
  FuzzConfig c;
  c.variant = v;
  c.only_scenario = FindScenario("api_sequence");
  return c;
}

std::vector<uint8_t> RandomInput(std::mt19937_64* rng) {
  std::vector<uint8_t> in(std::uniform_int_distribution<size_t>(0, 200)(*rng));
  for (uint8_t& b : in) b = static_cast<uint8_t>((*rng)());
  return in;
}

std::string Kthcheck() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  return srcdir && ws ? std::string(srcdir) + "/" + ws + "/checker/cli/kthcheck"
                      : "checker/cli/kthcheck";
}

// `kthcheck replay TOKEN`: exit status and stdout (tokens need no quoting).
int Replay(const std::string& token, std::string* out) {
  FILE* p = popen((Kthcheck() + " replay " + token + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out->append(buf, n);
  int rc = pclose(p);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Variants of the port (not of another module) that api_sequence's calls reach, with
// the expected oracle of impl/variants.def.
const char* const kReachable[] = {
    "stop_without_unpark",        "park_without_wakeup",           "exit_before_result",
    "parkme_complete_before_state", "parkme_not_special",          "parkme_complete_all",
    "ttwu_matches_any_sleep",     "timer_fn_ignores_canceling",    "cancel_sync_without_canceling",
    "thaw_loses_stop_wakeup",     "thaw_before_unfreezing",        "worker_sleeps_while_freezing",
};

class PlantedTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PlantedTest, FoundFromRandomInputsAndReplaysThroughKthcheck) {
  const Variant v = *FindVariant(GetParam());
  int nv = 0;
  const VariantInfo* info = AllVariants(&nv);
  std::string expected;
  for (int i = 0; i < nv; ++i)
    if (info[i].id == v) expected = info[i].expected_oracle;
  std::mt19937_64 rng(1);
  const FuzzConfig config = ApiConfig(v);
  for (int i = 0; i < kMaxInputs; ++i) {
    std::vector<uint8_t> in = RandomInput(&rng);
    FuzzRun run = RunScenarioInput(in.data(), in.size(), config);
    if (run.oracle.empty()) continue;
    EXPECT_EQ(run.oracle, expected) << DescribeFinding(run);
    const std::string token = run.Token();
    EXPECT_NE(token.find(",ops=" + run.target.ops), std::string::npos) << token;
    std::string out;
    EXPECT_EQ(Replay(token, &out), 1) << out;  // 1: violation
    EXPECT_NE(out.find("violation [" + expected + "]"), std::string::npos) << out;
    std::printf("[ found ] %s after %d inputs: %s\n", GetParam(), i + 1, token.c_str());
    return;
  }
  ADD_FAILURE() << GetParam() << ": no finding in " << kMaxInputs << " random inputs";
}

INSTANTIATE_TEST_SUITE_P(Variants, PlantedTest, ::testing::ValuesIn(kReachable),
                         [](const auto& p) { return std::string(p.param); });

TEST(FaithfulTest, RandomInputsFindNothing) {
  std::mt19937_64 rng(7);
  const FuzzConfig config = ApiConfig(Variant::kNone);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> in = RandomInput(&rng);
    FuzzRun run = RunScenarioInput(in.data(), in.size(), config);
    ASSERT_EQ(run.oracle, "") << DescribeFinding(run);
  }
}

// Programs that between them use every operation, on every CPU count: random and PCT
// schedules find nothing.
TEST(FaithfulTest, ProgramsUsingEveryOperationHold) {
  const char* const programs[] = {
      kDefaultApiProgram,
      "c0p0u0s0",                      // park before the first wakeup
      "o1b4c2b5w2w1p1p2u2s2m0",        // create_on_cpu, bind, two parks, stop a parked one
      "r0d0p0e0u0d0s0e0",              // hotplug around park/unpark/stop
      "o4w1d1p1e1u1s1",                // a bound thread whose CPU goes down and comes back
      "z0r1i0w0p1u1j0s0s1",            // freezable thread across a freeze, parkable beside
      "k1q0l3i0q0l0j0h0v0x0y0t0",      // freezable worker across a freeze
      "k0l0q0x0q0h0l9v0m2y0t0k0q0l0",  // a second worker, left to module exit
      "c0c1c2s0s1s2r0r1r2p0p1p2",      // three slots, reused
  };
  for (const char* ops : programs) {
    for (int cpus = 1; cpus <= 4; ++cpus) {
      std::string error;
      std::optional<cli::Target> t = cli::ResolveTarget("api_sequence", "", cpus, &error);
      ASSERT_TRUE(t.has_value()) << error;
      ASSERT_TRUE(cli::SetTargetOps(&*t, ops, &error)) << error;
      for (explore::Search s : {explore::Search::kRandom, explore::Search::kPct}) {
        explore::SearchOptions o;
        o.search = s;
        o.executions = 300;
        explore::Verdict v = explore::Explore(cli::MakeProgram(*t), o, explore::Bounds{});
        EXPECT_NE(v.kind, explore::VerdictKind::kViolation)
            << ops << " (canonical " << t->ops << "), " << cpus << " CPUs: " << v.oracle
            << ": " << v.message;
      }
    }
  }
}

}  // namespace
}  // namespace kt::fuzz
