// compare_test -- `kthcheck compare BEFORE AFTER` on real `check --format=json` output:
// the same run twice compares equal (exit 0); a run where a verdict changed is marked
// and exits 1; unreadable or foreign files are one-line usage errors (exit 2).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string Dir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return tmp ? tmp : "/tmp";
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Result Kthcheck(const std::string& args) {
  std::string bin = std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
                    "/checker/cli/kthcheck";
  std::string out = Dir() + "/cmp.out", err = Dir() + "/cmp.err";
  int rc = std::system((bin + " " + args + " >" + out + " 2>" + err).c_str());
  return Result{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, Slurp(out), Slurp(err)};
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Two real results: event_loop holds on the faithful port; its variant is caught.
std::string HoldsRun() {
  Result r = Kthcheck("check --scenario=event_loop --format=json");
  EXPECT_EQ(r.status, 0) << r.err;
  return "{\"results\":[" + r.out + "]}";
}

std::string CaughtRun() {
  Result r = Kthcheck("check --scenario=event_loop --variant=event_check_before_set_state "
                      "--format=json");
  EXPECT_EQ(r.status, 1) << r.err;
  // The same row key as the faithful run: a change that broke event_loop.
  std::string j = r.out;
  std::string from = "\"variant\": \"event_check_before_set_state\"";
  size_t at = j.find(from);
  EXPECT_NE(at, std::string::npos) << j;
  if (at != std::string::npos) j.replace(at, from.size(), "\"variant\": null");
  return "{\"results\":[" + j + "]}";
}

TEST(CompareTest, SameRunTwiceComparesEqual) {
  std::string run = HoldsRun();
  Write(Dir() + "/a.json", run);
  Write(Dir() + "/b.json", run);
  Result r = Kthcheck("compare " + Dir() + "/a.json " + Dir() + "/b.json");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 of 1 rows changed"), std::string::npos) << r.out;
}

TEST(CompareTest, ChangedVerdictIsMarkedAndExitsOne) {
  Write(Dir() + "/before.json", HoldsRun());
  Write(Dir() + "/after.json", CaughtRun());
  Result r = Kthcheck("compare " + Dir() + "/before.json " + Dir() + "/after.json");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("violation [lost_wakeup]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<- changed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 1 rows changed"), std::string::npos) << r.out;
}

TEST(CompareTest, BadFilesAreOneLineUsageErrors) {
  Write(Dir() + "/junk.json", "not json");
  Write(Dir() + "/other.json", "{\"obligations\":[]}");
  Write(Dir() + "/ok.json", HoldsRun());
  for (const std::string& args :
       {"compare " + Dir() + "/missing.json " + Dir() + "/ok.json",
        "compare " + Dir() + "/junk.json " + Dir() + "/ok.json",
        "compare " + Dir() + "/ok.json " + Dir() + "/other.json", std::string("compare")}) {
    Result r = Kthcheck(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << args << ": " << r.err;
  }
}

}  // namespace
