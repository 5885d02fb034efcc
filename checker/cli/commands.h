// commands.h -- the subcommands of kthcheck (list, check, replay, report).
#ifndef KTHCHECK_CHECKER_CLI_COMMANDS_H_
#define KTHCHECK_CHECKER_CLI_COMMANDS_H_

#include <cstdint>
#include <string>

#include "checker/explore/bounds.h"

namespace kt::cli {

inline constexpr int kExitHolds = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitBound = 4;

struct Options {
  std::string format = "text";
  std::string scenario;
  std::string variant;
  std::string strategy = "dpor";
  bool strategy_given = false;       // --strategy or --max-executions on the command line
  std::string token;
  std::string output;  // report: the file to write (empty: stdout)
  bool all = false;
  bool with_variants = false;
  bool conformance = false;          // check: follow every execution in the model
  std::string engine = "impl";       // check: impl (the port) or model (model/)
  int cpus = 2;
  std::string memory_model;          // check: sc, tso or pso; empty = sc (--all --variants: each
                                     // variant's own)
  int spurious_wakeups = -1;         // check: stray wakeups injected per execution (0-3);
                                     // -1 = none (--all --variants: each variant's own)
  std::string irq = "hard";          // check: interrupt handlers, hard or threaded
  int hotplug = 2;                   // model: offline/online cycles
  int work = 2;                      // model: work items
  std::string ops;                   // check: api_sequence's operation program
  uint64_t max_states = 50'000'000;  // model: bound on stored states
  bool symmetry = false;             // model: the any-order closure, one state per orbit
  explore::Bounds bounds;
  // check: strategy parameters (checker/explore/explorer.h).
  uint64_t seed = 1;                 // random, pct, fair
  uint64_t executions = 1000;        // random, pct, fair
  int pct_depth = 3;                 // pct
  bool no_shrink = false;            // show the counterexample as found
  bool count_traces = false;         // dpor, dfs: report distinct Mazurkiewicz traces
  // check: splitting and saving the search (checker/explore/shard.h, checkpoint.h).
  std::string shard;                 // "i/n"; empty: TEST_SHARD_INDEX/TEST_TOTAL_SHARDS
  int shard_index = 0;               // parsed from `shard` (or the environment)
  int shard_count = 1;
  int jobs = 1;                      // processes; 0 = one per available core
  std::string checkpoint;            // dpor, dfs: save the search to this file
  double checkpoint_seconds = 5;
  std::string resume;                // dpor, dfs: continue the search saved here
  std::string compare_before;        // compare: two `check --all --format=json` files
  std::string compare_after;
};

int RunList(const Options& opt);
int RunCheck(const Options& opt);
int RunReplay(const Options& opt);
int RunModel(const Options& opt);
int RunCheckModel(const Options& opt);  // check --engine=model
int Usage(const std::string& msg);      // prints "kthcheck: msg"; returns kExitUsage
int RunProve(const Options& opt);
int RunCompare(const Options& opt);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_COMMANDS_H_
