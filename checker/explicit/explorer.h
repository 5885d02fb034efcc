// explorer.h -- a generic explicit-state model checker (BFS and DFS) over any ExplicitSpec.
//
// Contract:
// - The spec supplies initial states, successors labelled with action ids, a state check
//   (safety oracles, including invariants), a terminal check (oracles for states without
//   successors, e.g. deadlock/hang), a 64-bit fingerprint used as the hash, and printers.
//   The engine knows nothing about kthreads (tests/model/explorer_test.cc runs toy specs).
// - Explore() visits each state once.  BFS stops at the first violation with a shortest
//   trace; DFS gives some trace.  The verdict is a value: kHolds only if the whole state
//   space was explored; hitting max_states or max_depth is kBoundReached with a message.
// - Stats follow SPIN's vocabulary: states stored, states matched (successors already
//   seen), transitions (successors generated), depth (longest BFS level / DFS stack).
// - StoreMode::kFingerprint keeps 8 bytes per state instead of the state; the result then
//   reports the probability that a hash collision hid a state (FingerprintStore).
//   StoreMode::kBitstate keeps 2 bits per state in a fixed array (bitstate.h): a partial
//   search whose result reports the hash factor and the omission probability; "holds" then
//   means "no violation among the states visited", and the result says how many.
// - Traces are rebuilt by replaying successor ordinals from the initial state (BFS and DFS
//   with the exact or fingerprint store) or read off the DFS stack (bitstate), in the same
//   format.
// - Options::threads > 1 runs BFS with the exact store level by level on that many threads
//   (parallel_bfs.h), with the same result as one thread when the search completes.
// - Options::detect_cycles (DFS, exact store) reports a run that can repeat forever as the
//   oracle "cycle": with no cycles and no bad terminal state, every run ends well.
#ifndef KTHCHECK_CHECKER_EXPLICIT_EXPLORER_H_
#define KTHCHECK_CHECKER_EXPLICIT_EXPLORER_H_

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace kthcheck::explicit_engine {

template <class S>
concept ExplicitSpec = std::equality_comparable<typename S::StateType> &&
    std::is_trivially_copyable_v<typename S::StateType> &&
    requires(const S& spec, const typename S::StateType& st, std::string* detail,
             std::uint32_t id) {
  { spec.InitialStates() } -> std::same_as<std::vector<typename S::StateType>>;
  { spec.CheckState(st, detail) } -> std::same_as<std::optional<std::string>>;
  { spec.CheckTerminal(st, detail) } -> std::same_as<std::optional<std::string>>;
  { spec.Fingerprint(st) } -> std::same_as<std::uint64_t>;
  { spec.ActionName(id) } -> std::convertible_to<std::string>;
  { spec.Describe(st) } -> std::convertible_to<std::string>;
  spec.ForEachSuccessor(st, [](std::uint32_t, const typename S::StateType&) {});
};

enum class SearchOrder { kBfs, kDfs };
// kExact keeps states; kFingerprint keeps 64-bit hashes (may merge states, with the
// stated collision probability); kBitstate keeps 2 bits per state in a fixed array and
// always searches depth-first (bitstate.h: a partial search with a stated omission rate).
enum class StoreMode { kExact, kFingerprint, kBitstate };
enum class Verdict { kHolds, kViolation, kBoundReached };

struct Stats {
  std::uint64_t states_stored = 0;
  std::uint64_t states_matched = 0;
  std::uint64_t transitions = 0;
  int depth = 0;
  double seconds = 0;
  // kFingerprint: P(two stored states share a fingerprint).  kBitstate: P(a new state was
  // skipped as seen) at the end of the run.  0 in exact mode.
  double collision_probability = 0;
  double hash_factor = 0;  // kBitstate: bits per stored state (SPIN's "hash factor")
};

struct Options {
  SearchOrder order = SearchOrder::kBfs;
  StoreMode store = StoreMode::kExact;
  // A successor that is on the DFS stack closes a cycle: a run that can repeat forever
  // (for a spec whose progress should be finite, a livelock).  Reported as a violation with
  // oracle "cycle", the trace ending at the repeated state.  Implies kDfs and kExact (the
  // stack check needs the index of a matched state).
  bool detect_cycles = false;
  // Called every `progress_every` stored states (DESIGN.md: long runs report progress on
  // stderr; the caller decides where it goes).  Stats::seconds is not filled in here.
  std::function<void(const Stats&)> progress;
  std::uint64_t progress_every = 1 << 22;
  std::uint64_t max_states = 100'000'000;
  // BFS with the exact store on this many threads (parallel_bfs.h): the same counts,
  // verdict and trace as one thread on a complete search. Other modes use one thread.
  int threads = 1;
  int bitstate_log2_bits = 32;  // kBitstate: 2^32 bits = 512 MiB
  int max_depth = 100'000;
};

struct TraceStep {
  std::string action;  // "init" for the first state
  std::string change;  // spec.DescribeStep() if it has one
  std::string state;   // spec.Describe()
};

struct Result {
  Verdict verdict = Verdict::kHolds;
  std::string oracle;  // set for kViolation
  std::string detail;
  std::string bound_message;  // set for kBoundReached
  std::vector<TraceStep> trace;
  Stats stats;
};

}  // namespace kthcheck::explicit_engine

#include "checker/explicit/bitstate.h"  // IWYU pragma: export
#include "checker/explicit/search.h"    // IWYU pragma: export
#include "checker/explicit/parallel_bfs.h"  // IWYU pragma: export

namespace kthcheck::explicit_engine {

template <ExplicitSpec S>
Result Explore(const S& spec, const Options& options) {
  auto start = std::chrono::steady_clock::now();
  Result r;
  Options o = options;
  if (o.detect_cycles) {
    o.order = SearchOrder::kDfs;
    o.store = StoreMode::kExact;
  }
  if (o.store == StoreMode::kBitstate) {
    BitstateDfs<S> search(spec, o);
    r = search.Run();
  } else if (o.store == StoreMode::kExact && o.order == SearchOrder::kBfs && o.threads > 1) {
    ParallelBfs<S> search(spec, o);
    r = search.Run();
  } else if (o.store == StoreMode::kExact) {
    Search<S, ExactStore<typename S::StateType>> search(spec, o);
    r = search.Run();
  } else {
    Search<S, FingerprintStore> search(spec, o);
    r = search.Run();
    r.stats.collision_probability = FingerprintStore::CollisionProbability(r.stats.states_stored);
  }
  r.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_CHECKER_EXPLICIT_EXPLORER_H_
