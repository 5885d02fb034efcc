// explorer.h -- runs a search: executions under the controlled runtime, chosen by a
// strategy, until a finding, the end of the search, or a bound.
//
// Strategies (--strategy; each is one file, search_strategy.h):
//   dpor     exhaustive up to the bounds: source-DPOR + sleep sets (dpor.h)
//   dfs      exhaustive up to the bounds: every interleaving (dpor.h, no reduction)
//   bounded  iterative context bounding: DPOR at preemption bound 0, 1, 2, ...
//            (bounded_search.h); reports the bound at which a finding appeared
//   random   seeded uniform random scheduling, N executions (random_search.h)
//   pct      probabilistic concurrency testing, depth d (pct_search.h)
//   fair     seeded random scheduling with bounded fairness, plus the livelock oracle
//            (fair_search.h)
// Randomized searches never claim "holds": with no finding they end `bound_reached`
// with bound "executions=N".
#ifndef KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_
#define KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore/bounds.h"
#include "checker/explore/checkpoint.h"
#include "checker/explore/search_strategy.h"
#include "checker/explore/verdict.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::explore {

// The program under test, as the checker sees it: a boot function that spawns the
// initial tasks (outside any task) and returns the root task, plus a value formatter
// for traces.
struct Program {
  std::function<TaskId()> boot;
  // Names a traced access for humans: given the address, the expression and the value,
  // sets *lhs ("main->__state") and *value ("TASK_PARKED"); either may be left empty.
  std::function<void(const void* addr, const char* what, uint64_t value, std::string* lhs,
                     std::string* text)>
      format_value;
  // sc, or tso with per-CPU store buffers (checker/runtime/memory_model.h).
  rt::MemoryModel memory_model = rt::MemoryModel::kSc;
  // Spurious-wakeup injection: stray wakeups per execution (RunOptions::stray_wakeups).
  int stray_wakeups = 0;
  // Interrupt handlers in hard interrupt context (RunOptions::hardirq), or threaded.
  bool hardirq = true;
};

enum class Search { kDpor, kDfs, kBounded, kRandom, kPct, kFair };
const char* SearchName(Search s);
std::optional<Search> ParseSearch(std::string_view name);
// True for the searches that explore a tree (checkpoints and shards apply).
inline bool IsTreeSearch(Search s) { return s == Search::kDpor || s == Search::kDfs; }

inline constexpr uint64_t kDefaultLivelockSteps = 1000;
// Split depth of a sharded tree search: the first 8 branching nodes of every path
// branch in full; their choices pick the shard (dpor.h).
inline constexpr int kSplitLevels = 8;

struct SearchOptions {
  Search search = Search::kDpor;
  uint64_t seed = 1;            // random, pct, fair
  uint64_t executions = 1000;   // random, pct, fair: executions to run
  int pct_depth = 3;            // pct: the bug depth d
  int shard_index = 0;          // this part of the search, of shard_count (shard.h)
  int shard_count = 1;
  int split_levels = -1;        // dpor, dfs: -1 = kSplitLevels if sharded, else 0
  std::string checkpoint;       // dpor, dfs: save the search here ...
  double checkpoint_seconds = 5;  // ... this often (and when a bound stops it)
  std::string program_id;       // names the program in checkpoints
  std::optional<Checkpoint> resume;  // dpor, dfs: continue this search
  bool count_traces = false;    // dpor, dfs: Verdict::traces (DporOptions::count_traces)
};

struct Progress {
  uint64_t executions = 0;
  uint64_t steps = 0;
  double seconds = 0;
  int depth = 0;           // steps in the last execution
  double fraction = -1;    // estimated fraction done, or negative if unknown
};
using ProgressFn = std::function<void(const Progress&)>;

// The key a checkpoint of this search carries.
CheckpointKey KeyFor(const SearchOptions& options, const Bounds& bounds);

// Runs the search. Progress, if wanted, goes to `progress` about every second.
Verdict Explore(const Program& program, const SearchOptions& options, const Bounds& bounds,
                const ProgressFn& progress = {});
// Runs `search`, made by the caller (MakeSearch, or a combination of searches such as
// alternating_search.h); `options` gives what the runner reads (the strategy kind, the
// checkpoint). No checkpoint is resumed, and none is saved unless `search` is DPOR's.
Verdict ExploreWith(const Program& program, SearchStrategy& search, const SearchOptions& options,
                    const Bounds& bounds, const ProgressFn& progress = {});
// The search that `options` names, as Explore runs it.
std::unique_ptr<SearchStrategy> MakeSearch(const SearchOptions& options, const Bounds& bounds);
// The same with default options for `search`.
Verdict Explore(const Program& program, Search search, const Bounds& bounds,
                const ProgressFn& progress = {});

// Empty if the checkpoint's saved prefix replays on `program` with the runnable sets it
// recorded; otherwise where it diverges (a checkpoint of another build, or a corrupt
// file). A resumed search must not start from a prefix that does not fit.
std::string CheckpointFits(const Program& program, const Checkpoint& c, const Bounds& bounds);

// One execution following `schedule`, with a human trace. `error` is set if the
// schedule diverged.
struct Replayed {
  Verdict verdict;
  std::vector<rt::TraceLine> trace;
  std::vector<std::string> task_names;
  std::string error;
};
Replayed Replay(const Program& program, const std::vector<TaskId>& schedule,
                const Bounds& bounds);

// Runtime options for executions of `program` under `bounds`.
rt::RunOptions RunOptionsFor(const Program& program, const Bounds& bounds, bool trace);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_
