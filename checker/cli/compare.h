// compare.h -- reading the JSON of `kthcheck check --all [--variants] --format=json` back,
// and comparing two such runs row by row: the parts of `kthcheck compare` (compare.cc)
// that neither touch files nor exit, so //fuzz:compare_fuzzer runs the CLI's own code.
//
// A result file is a JSON object whose "results" array holds one object per check, each
// with a non-empty string "scenario" and "verdict" and an integer "cpus"; "variant" and
// "oracle" are strings, or absent or null (read as ""). Other members are ignored. Rows
// are keyed by (scenario, variant, cpus); a later row with an earlier row's key replaces it.
#ifndef KTHCHECK_CHECKER_CLI_COMPARE_H_
#define KTHCHECK_CHECKER_CLI_COMPARE_H_

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace kt::cli {

using CompareKey = std::tuple<std::string, std::string, int>;  // scenario, variant, cpus

struct CompareRow {
  std::string verdict;
  std::string oracle;
};

using CheckResults = std::map<CompareKey, CompareRow>;

// The rows of one file's text, or nullopt with *error set to one line that starts with
// `name` (the CLI passes the path).
std::optional<CheckResults> ParseCheckResults(std::string_view text, const std::string& name,
                                              std::string* error);

// One row of the comparison: a key of either run and its row in each (absent: nullopt).
struct CompareLine {
  CompareKey key;
  std::optional<CompareRow> before;
  std::optional<CompareRow> after;
  bool changed = false;  // absent from one run, or a different verdict or oracle
};

// Every key of either run, in key order.
std::vector<CompareLine> CompareResults(const CheckResults& before, const CheckResults& after);

// The table of `kthcheck compare` and its last line "N of M rows changed"; returns N.
int PrintComparison(std::FILE* out, const std::vector<CompareLine>& lines);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_COMPARE_H_
