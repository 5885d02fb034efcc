// checkpoint.h -- a DPOR or DFS search saved to a file, so that a run stopped part-way
// (killed, or cut by --max-executions) resumes where it was and ends with the same
// verdict and counts as a run that was never stopped.
//
// A checkpoint is taken between executions, after the next prefix has been chosen and
// before it runs. It holds the DFS stack (per node: enabled, backtrack, done, sleep,
// chosen, preemptions, CPU peers, shard level and key) and the counters. The analysis
// scratch (vector clocks, access history) is rebuilt by the next execution, so it is
// not saved. The file is JSON, written to FILE.tmp and renamed over FILE, so a kill
// during a write leaves the previous checkpoint intact.
//
// A checkpoint names what it searched (program, strategy, bounds, shard); resuming it
// with anything else is an input error, never a silently different search.
#ifndef KTHCHECK_CHECKER_EXPLORE_CHECKPOINT_H_
#define KTHCHECK_CHECKER_EXPLORE_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "checker/explore/dpor.h"

namespace kt::explore {

// What a checkpoint belongs to: resuming requires all of it to match.
struct CheckpointKey {
  std::string program;  // e.g. the schedule-token prefix "kt1:event_loop:variant=..."
  std::string search;   // "dpor" or "dfs"
  uint64_t max_steps = 0;
  int max_preemptions = -1;
  uint64_t hung_task_timeout = 0;
  int shard_index = 0;
  int shard_count = 1;
  int split_levels = 0;
  bool operator==(const CheckpointKey&) const = default;
};

struct Checkpoint {
  CheckpointKey key;
  uint64_t executions = 0;
  uint64_t steps = 0;
  uint64_t sleep_blocked = 0;
  uint64_t other_shard = 0;
  double seconds = 0;
  std::string step_bound;     // "max_steps=N" if an execution reached it
  std::string step_message;
  DporState dpor;             // the next prefix to run is on the stack
};

// false with *error (one line) if the file cannot be written.
bool SaveCheckpoint(const std::string& path, const Checkpoint& c, std::string* error);
// nullopt with *error (one line: what is wrong) for a missing or malformed file.
std::optional<Checkpoint> LoadCheckpoint(const std::string& path, std::string* error);
// "" if `c` may resume a search with `key`; else which field differs.
std::string CheckpointMismatch(const Checkpoint& c, const CheckpointKey& key);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_CHECKPOINT_H_
