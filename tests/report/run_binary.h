// run_binary.h -- runs the built kthcheck binary from a test, as a user would.
//
// The binary is a data dependency (//checker/cli:kthcheck), found in the runfiles tree;
// KTHCHECK_BIN overrides the path. Tests drive the CLI rather than the library, so they
// test what users run: `check`, then `replay` / `report` of the printed token.
#ifndef KTHCHECK_TESTS_REPORT_RUN_BINARY_H_
#define KTHCHECK_TESTS_REPORT_RUN_BINARY_H_

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace kt::testing {

struct Result {
  int status = -1;  // exit status; -1 if the process did not exit normally
  std::string out, err;
};

inline std::string TmpDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return tmp ? tmp : "/tmp";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs a shell command line; stdout and stderr are captured through files.
inline Result Shell(const std::string& cmd) {
  std::string out = TmpDir() + "/run.out", err = TmpDir() + "/run.err";
  int rc = std::system((cmd + " >" + out + " 2>" + err).c_str());
  Result r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

inline std::string KthcheckBinary() {
  if (const char* b = std::getenv("KTHCHECK_BIN")) return b;
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  if (srcdir && ws) return std::string(srcdir) + "/" + ws + "/checker/cli/kthcheck";
  return "checker/cli/kthcheck";
}

// Arguments are catalog names, flags, tokens and paths under TEST_TMPDIR: no quoting.
inline Result Kthcheck(const std::string& args) { return Shell(KthcheckBinary() + " " + args); }

}  // namespace kt::testing

#endif  // KTHCHECK_TESTS_REPORT_RUN_BINARY_H_
