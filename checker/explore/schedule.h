// schedule.h -- the schedule token: the machine input that replays one execution.
//
//   kt1:<program>:<key=value,...>:<choices>
//
// `kt1` is the format version. <choices> lists the task of every step, run-length
// encoded: a task is a letter (a = task 0 ... z = 25, A = 26 ... F = 31) followed by a
// repeat count when it runs more than once in a row ("b12a3c"). Tokens contain only
// [A-Za-z0-9_:=,.-], so they pass through shells and URLs unquoted.
#ifndef KTHCHECK_CHECKER_EXPLORE_SCHEDULE_H_
#define KTHCHECK_CHECKER_EXPLORE_SCHEDULE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "impl/platform/seam.h"

namespace kt::explore {

struct ScheduleToken {
  std::string program;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<TaskId> choices;

  // The value of `key`, or nullptr.
  const std::string* Param(std::string_view key) const;
};

std::string EncodeToken(const ScheduleToken& token);
// nullopt with *error set (one line: what is wrong and what is expected) on bad input.
std::optional<ScheduleToken> DecodeToken(std::string_view text, std::string* error);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_SCHEDULE_H_
