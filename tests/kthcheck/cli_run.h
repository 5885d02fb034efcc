// cli_run.h -- for the CLI contract tests (cli_test, cli_model_test): the JSON of one
// kthcheck run and the exit-2 rule for bad input, over tests/report/run_binary.h's
// Kthcheck() (the binary is a data dependency of the test).
#ifndef KTHCHECK_TESTS_KTHCHECK_CLI_RUN_H_
#define KTHCHECK_TESTS_KTHCHECK_CLI_RUN_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/report/run_binary.h"

namespace kt::testing {

using nlohmann::json;

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
