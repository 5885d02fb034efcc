// search_cli_test -- the search flags of `kthcheck check` (checker/explore via
// checker/cli): strategies and what their verdicts claim, shrinking, shards (also from
// Bazel's environment), parallel jobs, checkpoints (a run killed with SIGKILL resumes to
// the verdict and counts of an unbroken run), the memory bound. Runs the built binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace kt::testing {
namespace {

using nlohmann::json;

std::string Binary() {
  if (const char* b = std::getenv("KTHCHECK_BIN")) return b;
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  if (srcdir && ws) return std::string(srcdir) + "/" + ws + "/checker/cli/kthcheck";
  return "checker/cli/kthcheck";
}

std::string Tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Result {
  int status = -1;
  std::string out, err;
  json j;
};

// Runs kthcheck with `args` ([A-Za-z0-9_:=,./-] only: no quoting needed) and `env`
// ("NAME=value " prefixes).
Result Kthcheck(const std::string& args, const std::string& env = "") {
  std::string out = Tmp("search_cli.out"), err = Tmp("search_cli.err");
  std::string cmd = env + " " + Binary() + " " + args + " >" + out + " 2>" + err;
  int rc = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  r.j = json::parse(r.out, nullptr, false);
  return r;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

void ExpectUsageError(const std::string& args, const std::string& mentions) {
  Result r = Kthcheck(args);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
  EXPECT_EQ(Lines(r.err), 1) << args << "\n" << r.err;
  EXPECT_NE(r.err.find(mentions), std::string::npos) << args << "\n" << r.err;
}

const char* const kVariant = "--scenario=event_loop --variant=event_check_before_set_state";

TEST(SearchCliTest, HelpStatesEachStrategysGuarantee) {
  Result r = Kthcheck("check --help");
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"dpor", "dfs", "bounded", "random", "pct", "fair", "1/(n k^(d-1))",
                        "Not exhaustive", "BPOR", "--shard", "--jobs", "--checkpoint",
                        "--resume", "--no-shrink", "--max-memory-mb", "--livelock-steps"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST(SearchCliTest, RandomSearchNeverSaysHolds) {
  Result r = Kthcheck("check --scenario=event_loop --strategy=random --executions=30 "
                      "--format=json");
  EXPECT_EQ(r.status, 4) << r.err;
  ASSERT_TRUE(r.j.is_object()) << r.out;
  EXPECT_EQ(r.j["verdict"], "bound_reached");
  EXPECT_EQ(r.j["bound"], "executions=30");
  EXPECT_EQ(r.j["exhaustive"], false);
}

TEST(SearchCliTest, CounterexampleIsShrunkUnlessNoShrinkAndItsTokenReplays) {
  Result raw = Kthcheck(std::string("check ") + kVariant +
                        " --strategy=random --seed=1 --executions=20000 --no-shrink --format=json");
  Result shrunk = Kthcheck(std::string("check ") + kVariant +
                           " --strategy=random --seed=1 --executions=20000 --format=json");
  ASSERT_EQ(raw.status, 1) << raw.err;
  ASSERT_EQ(shrunk.status, 1) << shrunk.err;
  EXPECT_GE(raw.j["preemptions"].get<int>(), 1);
  EXPECT_EQ(shrunk.j["preemptions"].get<int>(), 0);
  EXPECT_EQ(shrunk.j["oracle"], raw.j["oracle"]);
  Result replay = Kthcheck("replay " + shrunk.j["schedule"].get<std::string>() + " --format=json");
  EXPECT_EQ(replay.status, 1) << replay.err;
  EXPECT_EQ(replay.j["oracle"], "lost_wakeup");
  EXPECT_EQ(replay.j["preemptions"].get<int>(), 0);
}

TEST(SearchCliTest, ShardsFromFlagOrBazelEnvironmentAddUpAndBadOnesAreUsageErrors) {
  uint64_t sum = 0, blocked = 0;
  for (int i = 0; i < 3; ++i) {
    Result r = Kthcheck("check --scenario=event_loop --shard=" + std::to_string(i) +
                        "/3 --format=json");
    EXPECT_EQ(r.status, 0) << r.err;
    sum += r.j["executions"].get<uint64_t>();
    blocked += r.j["sleep_blocked"].get<uint64_t>();
    Result env = Kthcheck("check --scenario=event_loop --format=json",
                          "TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=" + std::to_string(i));
    EXPECT_EQ(env.j["executions"], r.j["executions"]) << "shard " << i << " from the environment";
  }
  Result plain = Kthcheck("check --scenario=event_loop --format=json");
  // Every trace the single run completes, a shard completes too; the top of a split
  // search branches on every task, where the sleep sets' conservative rules for CPU
  // holds (dpor.cc MayDisable) let a few traces be completed twice (at most a tenth
  // more, checked below).
  const uint64_t traces =
      plain.j["executions"].get<uint64_t>() - plain.j["sleep_blocked"].get<uint64_t>();
  EXPECT_GE(sum - blocked, traces) << "the shards complete the traces that the single run completes";
  EXPECT_LE(sum - blocked, traces + traces / 10) << "and repeat few of them";
  Result jobs = Kthcheck("check --scenario=event_loop --jobs=2 --format=json");
  EXPECT_EQ(jobs.status, 0) << jobs.err;
  Result jobs3 = Kthcheck("check --scenario=event_loop --jobs=3 --format=json");
  EXPECT_EQ(jobs.j["executions"], jobs3.j["executions"]);

  ExpectUsageError("check --scenario=event_loop --shard=3/3", "--shard=3/3");
  ExpectUsageError("check --scenario=event_loop --shard=x", "expected i/n");
  Result env = Kthcheck("check --scenario=event_loop", "TEST_TOTAL_SHARDS=2 TEST_SHARD_INDEX=z");
  EXPECT_EQ(env.status, 2) << env.err;
}

uint64_t SavedExecutions(const std::string& path) {
  json j = json::parse(Slurp(path), nullptr, false);
  return j.is_object() && j.contains("executions") ? j["executions"].get<uint64_t>() : 0;
}

// park_before_wakeup: 84864 executions, about 2 s. The run is killed once its checkpoint
// is past 10000 executions; resumed, it ends as the unbroken run does.
TEST(SearchCliTest, RunKilledPartWayResumesToTheSameVerdictAndCounts) {
  const std::string scenario = "--scenario=park_before_wakeup";
  Result whole = Kthcheck("check " + scenario + " --format=json");
  ASSERT_EQ(whole.status, 0) << whole.err;
  std::string path = Tmp("park.ckpt");
  std::remove(path.c_str());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string bin = Binary(), ckpt = "--checkpoint=" + path;
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(bin.c_str(), bin.c_str(), "check", scenario.c_str(), ckpt.c_str(),
          "--checkpoint-every=0.05", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 30000 && SavedExecutions(path) < 10000; ++i) usleep(1000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
  uint64_t saved = SavedExecutions(path);
  EXPECT_GE(saved, 10000u);
  std::printf("[ counts ] killed after the checkpoint at %llu executions\n",
              static_cast<unsigned long long>(saved));

  Result resumed = Kthcheck("check " + scenario + " --resume=" + path + " --format=json");
  EXPECT_EQ(resumed.status, whole.status) << resumed.err;
  for (const char* k : {"verdict", "executions", "steps", "sleep_blocked", "exhaustive"})
    EXPECT_EQ(resumed.j[k], whole.j[k]) << k;

  ExpectUsageError("check --scenario=event_loop --resume=" + path, "the program");
  ExpectUsageError("check " + scenario + " --max-steps=999 --resume=" + path, "--max-steps");
  ExpectUsageError("check " + scenario + " --strategy=random --checkpoint=" + path,
                   "--strategy=dpor or dfs");
  ExpectUsageError("check " + scenario + " --resume=" + Tmp("none.ckpt"), "cannot read");
}

// A checkpoint whose saved prefix no longer fits the program (another build, or a corrupt
// file; found by checkpoint_fuzzer) is refused with one line and exit 2, not resumed
// into an internal error.
TEST(SearchCliTest, CheckpointThatDoesNotFitIsAUsageError) {
  std::string file = std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
                     "/fuzz/findings/checkpoint_resume_diverged.cli.json";
  Result r = Kthcheck("check --scenario=event_loop --strategy=dfs --resume=" + file);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("does not fit this build"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST(SearchCliTest, MemoryBoundIsBoundReachedNamingTheLimit) {
  Result r = Kthcheck("check --scenario=event_loop --max-memory-mb=1 --format=json");
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_EQ(r.j["bound"], "max_memory_mb=1");
  EXPECT_NE(r.j["message"].get<std::string>().find("--max-memory-mb"), std::string::npos);
}

}  // namespace
}  // namespace kt::testing
