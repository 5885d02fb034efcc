// corpus_regression_test -- every file of fuzz/corpus/<fuzzer>/ through its fuzzer's entry
// point (LLVMFuzzerTestOneInput, compiled without libFuzzer and renamed per target by
// fuzz.bzl), so CI covers the seeds and every exported finding with no fuzzing time. A
// seed that makes a target abort fails the whole test binary, naming the file on stderr.
//
// model_walk_fuzzer's walk of a plain variant's configuration is pinned the same way
// (ModelWalkDeathTest).
//
// It also pins the seed `event_loop_lost_wakeup`: on the faithful port it runs clean, and
// with the variant event_check_before_set_state selected it reaches the lost wakeup, whose
// token replays (as `kthcheck replay` would) with the same oracle.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"
#include "fuzz/scenario_fuzz.h"

extern "C" int KtFuzzEntry_scenario_fuzzer(const uint8_t* data, size_t size);
extern "C" int KtFuzzEntry_token_fuzzer(const uint8_t* data, size_t size);
extern "C" int KtFuzzEntry_checkpoint_fuzzer(const uint8_t* data, size_t size);
extern "C" int KtFuzzEntry_compare_fuzzer(const uint8_t* data, size_t size);
extern "C" int KtFuzzEntry_model_walk_fuzzer(const uint8_t* data, size_t size);

namespace kt::fuzz {
namespace {

namespace fs = std::filesystem;

struct Target {
  const char* name;
  int (*entry)(const uint8_t*, size_t);
};

const Target kTargets[] = {
    {"scenario_fuzzer", KtFuzzEntry_scenario_fuzzer},
    {"token_fuzzer", KtFuzzEntry_token_fuzzer},
    {"checkpoint_fuzzer", KtFuzzEntry_checkpoint_fuzzer},
    {"compare_fuzzer", KtFuzzEntry_compare_fuzzer},
    {"model_walk_fuzzer", KtFuzzEntry_model_walk_fuzzer},
};

fs::path CorpusDir(const std::string& fuzzer) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  fs::path root = srcdir ? fs::path(srcdir) / (ws ? ws : "kthcheck") : fs::current_path();
  return root / "fuzz" / "corpus" / fuzzer;
}

std::vector<fs::path> Files(const std::string& fuzzer) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(CorpusDir(fuzzer), ec))
    if (e.path().filename().string()[0] != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint8_t> Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

class CorpusTest : public ::testing::TestWithParam<Target> {};

TEST_P(CorpusTest, EveryFileRunsWithoutAFinding) {
  std::vector<fs::path> files = Files(GetParam().name);
  ASSERT_FALSE(files.empty()) << "no seeds in " << CorpusDir(GetParam().name);
  for (const fs::path& f : files) {
    std::vector<uint8_t> bytes = Read(f);
    // Printed first: if the entry aborts, the last line names the file.
    std::fprintf(stderr, "corpus: %s/%s (%zu bytes)\n", GetParam().name,
                 f.filename().c_str(), bytes.size());
    EXPECT_EQ(GetParam().entry(bytes.data(), bytes.size()), 0) << f;
  }
}

INSTANTIATE_TEST_SUITE_P(AllFuzzers, CorpusTest, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& p) {
                           return std::string(p.param.name);
                         });

std::vector<uint8_t> LostWakeupSeed() {
  return Read(CorpusDir("scenario_fuzzer") / "event_loop_lost_wakeup");
}

TEST(LostWakeupSeedTest, RunsCleanOnTheFaithfulPort) {
  std::vector<uint8_t> in = LostWakeupSeed();
  ASSERT_FALSE(in.empty());
  FuzzRun run = RunScenarioInput(in.data(), in.size(), FuzzConfig{});
  EXPECT_STREQ(run.target.scenario->name, "event_loop") << "the catalog order changed";
  EXPECT_EQ(run.oracle, "") << run.result->message;
}

TEST(LostWakeupSeedTest, ReachesTheLostWakeupWithTheVariantAndItsTokenReplays) {
  std::vector<uint8_t> in = LostWakeupSeed();
  FuzzConfig config{Variant::kEventCheckBeforeSetState, FindScenario("event_loop")};
  FuzzRun run = RunScenarioInput(in.data(), in.size(), config);
  ASSERT_EQ(run.oracle, "lost_wakeup") << run.result->message;

  std::string error;
  std::optional<explore::ScheduleToken> token = explore::DecodeToken(run.Token(), &error);
  ASSERT_TRUE(token) << error;
  std::optional<cli::Target> target = cli::TargetFromToken(*token, &error);
  ASSERT_TRUE(target) << error;
  explore::Replayed rep =
      explore::Replay(cli::MakeProgram(*target), token->choices, explore::Bounds{});
  EXPECT_EQ(rep.error, "");
  EXPECT_EQ(rep.verdict.oracle, "lost_wakeup");
}

// model_walk_fuzzer reports a model variant's bug in that variant's own configuration,
// whatever configuration the input picks: the freezable worker's might_sleep on the seed
// the fuzzer found for it, and polling_loop's hog_loop as a livelock on an empty input (the
// walk takes the first successor everywhere and leaves out the self-loop that is its last
// step). The same seed runs clean on the faithful model (CorpusTest above). The variant
// comes from the environment and is read once per process, so each case runs in a
// re-executed child.
void WalkVariant(const char* variant, const std::vector<uint8_t>& in) {
  setenv("KT_FUZZ_VARIANT", variant, 1);
  KtFuzzEntry_model_walk_fuzzer(in.data(), in.size());
}

TEST(ModelWalkDeathTest, FindsAPlainVariantInItsOwnConfiguration) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<uint8_t> seed =
      Read(CorpusDir("model_walk_fuzzer") / "worker_sleeps_while_freezing_walk");
  ASSERT_FALSE(seed.empty());
  EXPECT_DEATH(WalkVariant("worker_sleeps_while_freezing", seed),
               "model finding: invariant:might_sleep");
  EXPECT_DEATH(WalkVariant("hog_loop", {}), "model finding: livelock");
}

}  // namespace
}  // namespace kt::fuzz
