// checkpoint_test -- a DPOR search saved to a file (checker/explore/checkpoint.h) and
// resumed ends with the verdict and counts of a search that was never stopped: whether it
// was stopped by a bound or killed part-way.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "checker/explore/checkpoint.h"
#include "checker/explore/explorer.h"
#include "impl/platform/seam.h"
#include "tests/checker/racy_program.h"

namespace kt::explore {
namespace {

using testing::Racy;

std::string TempFile(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

void ExpectSameSearch(const Verdict& a, const Verdict& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.exhaustive, b.exhaustive);
  EXPECT_EQ(a.executions, b.executions);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.sleep_blocked, b.sleep_blocked);
  EXPECT_EQ(a.bound, b.bound);
}

TEST(CheckpointTest, StoppedByABoundAndResumedEqualsAnUnbrokenRun) {
  for (Search search : {Search::kDpor, Search::kDfs}) {
    Verdict whole = Explore(Racy(4), search, Bounds{});
    ASSERT_EQ(whole.kind, VerdictKind::kHolds);
    ASSERT_GT(whole.executions, 100u);
    std::string path = TempFile(std::string("stop_") + SearchName(search) + ".json");
    SearchOptions o;
    o.search = search;
    o.checkpoint = path;
    o.program_id = "racy4";
    Bounds cut;
    cut.max_executions = whole.executions / 3;
    Verdict first = Explore(Racy(4), o, cut);
    EXPECT_EQ(first.kind, VerdictKind::kBoundReached);
    EXPECT_EQ(first.executions, cut.max_executions);

    std::string error;
    std::optional<Checkpoint> c = LoadCheckpoint(path, &error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->executions, cut.max_executions);
    EXPECT_EQ(CheckpointMismatch(*c, KeyFor(o, Bounds{})), "");
    o.resume = c;
    Verdict resumed = Explore(Racy(4), o, Bounds{});
    ExpectSameSearch(resumed, whole);
  }
}

TEST(CheckpointTest, MismatchedSearchIsRefusedWithTheReason) {
  Checkpoint c;
  c.key.program = "racy4";
  c.key.search = "dpor";
  c.key.max_steps = Bounds{}.max_steps;
  c.key.hung_task_timeout = Bounds{}.hung_task_timeout;
  SearchOptions o;
  o.program_id = "racy3";
  EXPECT_NE(CheckpointMismatch(c, KeyFor(o, Bounds{})).find("program"), std::string::npos);
  o.program_id = "racy4";
  o.search = Search::kDfs;
  EXPECT_NE(CheckpointMismatch(c, KeyFor(o, Bounds{})).find("--strategy"), std::string::npos);
  o.search = Search::kDpor;
  Bounds b;
  b.max_steps = 7;
  EXPECT_NE(CheckpointMismatch(c, KeyFor(o, b)).find("--max-steps"), std::string::npos);
  EXPECT_EQ(CheckpointMismatch(c, KeyFor(o, Bounds{})), "");

  std::string error, path = TempFile("garbage.json");
  std::ofstream(path) << "{\"kthcheck_checkpoint\": 1, \"key\": 3}";
  EXPECT_FALSE(LoadCheckpoint(path, &error));
  EXPECT_NE(error.find("malformed"), std::string::npos) << error;
  EXPECT_FALSE(LoadCheckpoint(TempFile("missing.json"), &error));
  EXPECT_NE(error.find("cannot read"), std::string::npos) << error;
}

// A saved checkpoint with one number replaced: `edit` changes the file's JSON.
std::optional<Checkpoint> LoadEdited(void (*edit)(nlohmann::json&), std::string* error) {
  Checkpoint c;
  c.key.program = "racy4";
  c.key.search = "dpor";
  c.dpor.stack.push_back(DporNode{});
  std::string path = TempFile("edited.json");
  EXPECT_TRUE(SaveCheckpoint(path, c, error)) << *error;
  nlohmann::json j = nlohmann::json::parse(std::ifstream(path));
  edit(j);
  std::ofstream(path) << j.dump();
  return LoadCheckpoint(path, error);
}

// A number outside its field's type was cast as it was: a float out of int's range is
// undefined behaviour (UBSan; checkpoint_fuzzer found a 116-digit stack entry), a wide
// integer wrapped. Each is now a malformed file, one line.
TEST(CheckpointTest, NumberOutsideItsFieldsRangeIsMalformed) {
  std::string error;
  ASSERT_TRUE(LoadEdited([](nlohmann::json&) {}, &error)) << error;
  void (*const edits[])(nlohmann::json&) = {
      [](nlohmann::json& j) { j["stack"][0][5] = 1.11e115; },
      [](nlohmann::json& j) { j["stack"][0][0] = 4294967296u; },
      [](nlohmann::json& j) { j["key"]["max_preemptions"] = 2147483648u; },
      [](nlohmann::json& j) { j["key"]["max_steps"] = 2.5; },
      [](nlohmann::json& j) { j["executions"] = -1; },
      [](nlohmann::json& j) { j["replay_depth"] = -1e300; },
  };
  for (auto edit : edits) {
    EXPECT_FALSE(LoadEdited(edit, &error));
    EXPECT_NE(error.find("malformed"), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
  EXPECT_FALSE(LoadEdited([](nlohmann::json& j) { j["kthcheck_checkpoint"] = 1e300; }, &error));
  EXPECT_NE(error.find("not a kthcheck checkpoint"), std::string::npos) << error;
}

uint64_t SavedExecutions(const std::string& path) {
  std::ifstream in(path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  return j.is_object() && j.contains("executions") ? j["executions"].get<uint64_t>() : 0;
}

// A child process runs the search, saving before every execution; the parent kills it
// (SIGKILL) once a checkpoint past a third of the search exists, then resumes from it.
TEST(CheckpointTest, KilledPartWayAndResumedEqualsAnUnbrokenRun) {
  Verdict whole = Explore(Racy(5), Search::kDpor, Bounds{});
  ASSERT_EQ(whole.kind, VerdictKind::kHolds);
  std::string path = TempFile("killed.json");
  std::remove(path.c_str());
  SearchOptions o;
  o.checkpoint = path;
  o.checkpoint_seconds = 0;  // before every execution
  o.program_id = "racy5";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Explore(Racy(5), o, Bounds{});
    _exit(0);
  }
  uint64_t target = whole.executions / 3;
  for (int i = 0; i < 20000 && SavedExecutions(path) < target; ++i) usleep(1000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the search finished before it could be killed";

  std::string error;
  std::optional<Checkpoint> c = LoadCheckpoint(path, &error);
  ASSERT_TRUE(c) << error;
  EXPECT_GE(c->executions, target);
  EXPECT_LT(c->executions, whole.executions);
  std::printf("[ counts ] killed after the checkpoint at %llu of %llu executions\n",
              static_cast<unsigned long long>(c->executions),
              static_cast<unsigned long long>(whole.executions));
  o.resume = c;
  o.checkpoint_seconds = 5;
  ExpectSameSearch(Explore(Racy(5), o, Bounds{}), whole);
}

}  // namespace
}  // namespace kt::explore
