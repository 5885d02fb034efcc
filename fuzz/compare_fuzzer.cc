// compare_fuzzer -- libFuzzer target for the third file format the tool reads: the JSON of
// `kthcheck check --all [--variants] --format=json`, read back by `kthcheck compare
// BEFORE AFTER` through the CLI's own ParseCheckResults, CompareResults and
// PrintComparison (checker/cli/compare.h).
//
// Input: BEFORE's bytes, one NUL byte, AFTER's bytes (split at the first NUL: JSON text
// never holds a raw NUL, so every real pair of files has one split). An input without a
// NUL is both BEFORE and AFTER, so a single real file is a seed as it is.
//
// Checked for every input:
//   - ParseCheckResults accepts each file or rejects it with one line of error text, never
//     a crash or an exception (KT_FUZZ_ONE_LINE_ERRORS=0 skips the one-line part);
// for accepted files:
//   - a file compared with itself reports no change, and every one of its rows is a line;
//   - when both are accepted, the CLI's comparison runs (its table goes to /dev/null) and
//     BEFORE AFTER changes as many rows as AFTER BEFORE.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/cli/compare.h"

namespace {

using kt::cli::CheckResults;
using kt::cli::CompareLine;

// The first line names the bug (campaign.sh files crashes by it); details follow.
[[noreturn]] void Fail(const std::string& what, const std::string& detail = "") {
  std::fprintf(stderr, "compare_fuzzer: %s\n", what.c_str());
  if (!detail.empty()) std::fprintf(stderr, "  detail: %s\n", detail.c_str());
  std::abort();
}

bool OneLineChecks() {
  static const bool on = [] {
    const char* v = std::getenv("KT_FUZZ_ONE_LINE_ERRORS");
    return !(v && std::string(v) == "0");
  }();
  return on;
}

// Where the table goes: printing is part of what `kthcheck compare` does, its text is not
// checked.
std::FILE* Sink() {
  static std::FILE* const sink = [] {
    std::FILE* f = std::fopen("/dev/null", "w");
    if (!f) Fail("cannot open /dev/null");
    return f;
  }();
  return sink;
}

std::optional<CheckResults> Parse(std::string_view text, const std::string& name) {
  std::string error;
  std::optional<CheckResults> rows = kt::cli::ParseCheckResults(text, name, &error);
  if (!rows && (error.empty() || (OneLineChecks() && error.find('\n') != std::string::npos)))
    Fail("ParseCheckResults rejected " + name + " without one line of error text",
         "'" + error + "'");
  return rows;
}

int Changed(const CheckResults& before, const CheckResults& after) {
  return kt::cli::PrintComparison(Sink(), kt::cli::CompareResults(before, after));
}

void CheckSelf(const CheckResults& rows, const std::string& name) {
  std::vector<CompareLine> lines = kt::cli::CompareResults(rows, rows);
  if (lines.size() != rows.size())
    Fail(name + " compared with itself has " + std::to_string(lines.size()) + " lines for " +
         std::to_string(rows.size()) + " rows");
  int changed = kt::cli::PrintComparison(Sink(), lines);
  if (changed != 0)
    Fail(name + " compared with itself reports " + std::to_string(changed) + " changed rows");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::optional<CheckResults> before = Parse(input.substr(0, nul), "before.json");
  if (before) CheckSelf(*before, "before.json");
  if (nul == std::string_view::npos) return 0;  // AFTER is BEFORE: compared above

  std::optional<CheckResults> after = Parse(input.substr(nul + 1), "after.json");
  if (!after) return 0;
  CheckSelf(*after, "after.json");
  if (!before) return 0;
  int forward = Changed(*before, *after), backward = Changed(*after, *before);
  if (forward != backward)
    Fail("compare BEFORE AFTER changes " + std::to_string(forward) + " rows, AFTER BEFORE " +
         std::to_string(backward));
  return 0;
}
