// report.h -- what a check or a replay prints: text for people, JSON for scripts.
#ifndef KTHCHECK_CHECKER_CLI_REPORT_H_
#define KTHCHECK_CHECKER_CLI_REPORT_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"

namespace kt::cli {

struct Report {
  Target target;
  explore::Verdict verdict;
  std::string token;                    // empty if there is no counterexample
  std::vector<rt::TraceLine> trace;     // the counterexample's, if any
  std::vector<std::string> task_names;
};

nlohmann::json ToJson(const Report& r);
void PrintText(std::ostream& out, const Report& r);
// One row of `check --all`.
void PrintRow(std::ostream& out, const Report& r);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_REPORT_H_
