// cli_run.h -- running the kthcheck binary from a test, for the CLI contract tests
// (cli_test, cli_model_test): exit status, stdout and stderr of one invocation, its JSON,
// and the exit-2 rule for bad input.
//
// The binary is //checker/cli:kthcheck (a data dependency of the test), found in the
// runfiles tree; KTHCHECK_BIN overrides the path.
#ifndef KTHCHECK_TESTS_KTHCHECK_CLI_RUN_H_
#define KTHCHECK_TESTS_KTHCHECK_CLI_RUN_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace kt::testing {

using nlohmann::json;

struct Result {
  int status = -1;  // exit status; -1 if the process did not exit normally
  std::string out;
  std::string err;
};

inline std::string Binary() {
  if (const char* b = std::getenv("KTHCHECK_BIN")) return b;
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  if (srcdir && ws) return std::string(srcdir) + "/" + ws + "/checker/cli/kthcheck";
  return "checker/cli/kthcheck";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Arguments are catalog names, flags and schedule tokens: [A-Za-z0-9_:=,.-] only, so no
// quoting is needed.
inline Result Kthcheck(const std::string& args) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = tmp ? tmp : "/tmp";
  std::string out = dir + "/kthcheck.out", err = dir + "/kthcheck.err";
  std::string cmd = Binary() + " " + args + " >" + out + " 2>" + err;
  int rc = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

inline int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

inline json Parse(const Result& r) {
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON:\n" << r.out;
  return j;
}

// Exit 2 "comes with one line saying what is wrong" and prints nothing on stdout.
inline void ExpectUsageError(const std::string& args) {
  Result r = Kthcheck(args);
  EXPECT_EQ(r.status, 2) << args << "\nstderr: " << r.err;
  EXPECT_EQ(Lines(r.err), 1) << args << "\nstderr: " << r.err;
  EXPECT_GT(r.err.size(), 10u) << args << ": the line must say what is wrong";
  EXPECT_TRUE(r.out.empty()) << args << "\nstdout: " << r.out;
}

}  // namespace kt::testing

#endif  // KTHCHECK_TESTS_KTHCHECK_CLI_RUN_H_
