// parallel_bfs.h -- BFS on several threads (Options::threads > 1, exact store); used by
// Explore() (explorer.h), not included directly.
//
// The visited set is split by hash into one table per thread, its owner, and each level
// runs in two phases, so that only its owner ever touches a table and no lock is taken:
//   1. expand: threads take blocks of the frontier from an atomic cursor, generate the
//      successors and append each to its owner's inbox.
//   2. store: each owner inserts its inbox into its table, checks the states that are new,
//      and sorts them.
// A shared table would cost a lock (or an atomic) and a cache line moving between cores on
// every successor; the inboxes move between cores as streams. Even looking successors up
// in the other thread's table during phase 1 (to send fewer) cost more than it saved:
// on one thread this scheme takes less CPU time than search.h's loop, on two about the
// same in total (bench/model_parallel.sh measures the speedup).
//
// Why the result does not depend on thread timing: every candidate carries the key it has
// in sequential BFS's order, (frontier index of the parent, successor ordinal), and when a
// state reaches an owner several times in one level, the owner keeps the smallest key and
// its parent. The next frontier is the owners' sorted lists merged by key, which is the
// order of sequential BFS's queue. The violation reported is the one with the smallest key:
// a new state that fails CheckState, or a frontier state without successors that fails
// CheckTerminal, keyed after all its successors, as the sequential loop checks it. So the
// counts, the verdict and the trace equal Search's (search.h) on every complete search. A
// search that stops early (a violation, max_states) stops at the end of a level, so its
// counts may include states the sequential search had not stored yet when it stopped.
#ifndef KTHCHECK_CHECKER_EXPLICIT_PARALLEL_BFS_H_
#define KTHCHECK_CHECKER_EXPLICIT_PARALLEL_BFS_H_

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "checker/explicit/state_store.h"

namespace kthcheck::explicit_engine {

template <class S>
class ParallelBfs {
 public:
  using State = typename S::StateType;

  ParallelBfs(const S& spec, const Options& options)
      : spec_(spec),
        options_(options),
        threads_(std::clamp(options.threads, 1, kMaxThreads)),
        tables_(threads_),
        workers_(threads_) {}

  Result Run() {
    std::vector<Entry> frontier = Seed();
    for (int level = 0; !frontier.empty() && !done_; ++level) {
      result_.stats.depth = level;
      if (level >= options_.max_depth) {
        result_.verdict = Verdict::kBoundReached;
        result_.bound_message = "max_depth=" + std::to_string(options_.max_depth) +
                                " reached; raise KT_MAX_DEPTH or lower --hotplug/--work";
        break;
      }
      frontier = Level(frontier);
    }
    if (violation_) result_.trace = ReplayPath(spec_, PathTo(*violation_));
    return std::move(result_);
  }

 private:
  static constexpr int kMaxThreads = 256;
  static constexpr int kOwnerBits = 8;  // a state's id: index in its table << 8 | owner
  static constexpr std::uint64_t kRoot = ~std::uint64_t{0};
  static constexpr std::uint32_t kAfterSuccessors = ~std::uint32_t{0};
  static constexpr std::size_t kBlock = 64;  // frontier states a thread takes at a time

  // Where sequential BFS first reaches a state: (parent's frontier index, ordinal).
  using Key = std::pair<std::uint64_t, std::uint32_t>;

  struct Node {
    std::uint64_t parent;  // id
    Key key;               // key.second is the successor ordinal
    std::uint32_t level;   // the BFS level that stored it
  };

  // A stored state with its node. Equality is the state's, so ExactStore<Record> finds a
  // state whatever its node says, and keeps the node beside it in the same cache line.
  struct Record {
    State state;
    Node node;
    bool operator==(const Record& o) const { return state == o.state; }
  };
  // One owner's part of the visited set.
  using Table = ExactStore<Record>;

  struct Entry {
    State state;
    std::uint64_t id;
  };

  struct Candidate {
    State state;
    std::uint64_t hash;
    std::uint64_t parent;
    Key key;
  };

  // A violation found in this level, with the key that orders it.
  struct Found {
    Key key;
    std::uint64_t id;  // the violating state's node
    std::string oracle, detail;
  };

  // Per thread: its outboxes (phase 1 writes outbox[o] for owner o), and what it found.
  struct Worker {
    std::vector<std::vector<Candidate>> outbox;
    std::vector<std::pair<Key, Entry>> fresh;  // phase 2: its new states, sorted by key
    std::vector<Found> found;
    std::uint64_t transitions = 0, matched = 0;
  };

  int OwnerOf(std::uint64_t hash) const {
    return static_cast<int>(((hash >> 32) * static_cast<std::uint64_t>(threads_)) >> 32);
  }
  Record& RecordOf(std::uint64_t id) {
    return tables_[id & ((1u << kOwnerBits) - 1)].At(static_cast<std::uint32_t>(id >> kOwnerBits));
  }

  std::vector<Entry> Seed() {
    std::vector<Entry> frontier;
    std::vector<State> init = spec_.InitialStates();
    std::vector<Found> found;
    for (std::uint32_t i = 0; i < init.size(); ++i) {
      std::uint64_t hash = spec_.Fingerprint(init[i]);
      int owner = OwnerOf(hash);
      auto [index, fresh] = tables_[owner].Insert(Record{init[i], Node{kRoot, Key{0, i}, 0}}, hash);
      if (!fresh) {
        ++result_.stats.states_matched;
        continue;
      }
      std::uint64_t id = std::uint64_t{index} << kOwnerBits | owner;
      frontier.push_back(Entry{init[i], id});
      std::string detail;
      if (std::optional<std::string> o = spec_.CheckState(init[i], &detail))
        found.push_back(Found{Key{0, i}, id, *o, detail});
    }
    result_.stats.states_stored = frontier.size();
    Report(found);
    return frontier;
  }

  // Phase 1 on thread `w`.
  void Expand(const std::vector<Entry>& frontier, Worker* w) {
    for (;;) {
      std::size_t begin = cursor_.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= frontier.size()) return;
      std::size_t end = std::min(frontier.size(), begin + kBlock);
      for (std::size_t i = begin; i < end; ++i) {
        std::uint32_t ord = 0;
        spec_.ForEachSuccessor(frontier[i].state, [&](std::uint32_t, const State& n) {
          Key key{i, ord++};
          std::uint64_t hash = spec_.Fingerprint(n);
          int owner = OwnerOf(hash);
          w->outbox[owner].push_back(Candidate{n, hash, frontier[i].id, key});
        });
        w->transitions += ord;
        std::string detail;
        if (ord == 0) {
          if (std::optional<std::string> o = spec_.CheckTerminal(frontier[i].state, &detail))
            w->found.push_back(Found{Key{i, kAfterSuccessors}, frontier[i].id, *o, detail});
        }
      }
    }
  }

  // Phase 2 on thread `o`: the candidates every thread sent to owner o.
  void Store(int o) {
    Table& table = tables_[o];
    Worker& me = workers_[o];
    std::vector<std::uint32_t> added;
    for (Worker& from : workers_) {
      for (const Candidate& c : from.outbox[o]) {
        Node node{c.parent, c.key, level_};
        auto [index, fresh] = table.Insert(Record{c.state, node}, c.hash);
        if (fresh) {
          added.push_back(index);
          continue;
        }
        ++me.matched;
        Node& n = table.At(index).node;  // reached again in this level: keep the least key
        if (n.level == level_ && c.key < n.key) n = node;
      }
      from.outbox[o].clear();
    }
    for (std::uint32_t index : added) {
      const Record& rec = table.At(index);
      std::uint64_t id = std::uint64_t{index} << kOwnerBits | static_cast<std::uint64_t>(o);
      me.fresh.emplace_back(rec.node.key, Entry{rec.state, id});
      std::string detail;
      if (std::optional<std::string> bad = spec_.CheckState(rec.state, &detail))
        me.found.push_back(Found{rec.node.key, id, *bad, detail});
    }
    std::sort(me.fresh.begin(), me.fresh.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  // Runs f(0..threads_-1), on threads when the level is wide enough to pay for them.
  template <class F>
  void ForEachThread(bool wide, F&& f) {
    if (!wide) {
      for (int t = 0; t < threads_; ++t) f(t);
      return;
    }
    std::vector<std::thread> pool;
    for (int t = 1; t < threads_; ++t) pool.emplace_back([&f, t] { f(t); });
    f(0);
    for (std::thread& th : pool) th.join();
  }

  std::vector<Entry> Level(const std::vector<Entry>& frontier) {
    ++level_;
    for (Worker& w : workers_) {
      w.outbox.resize(threads_);
      w.fresh.clear();
      w.found.clear();
      w.transitions = w.matched = 0;
    }
    bool wide = frontier.size() >= 4 * kBlock;
    cursor_.store(0);
    ForEachThread(wide, [&](int t) { Expand(frontier, &workers_[t]); });
    ForEachThread(wide, [&](int t) { Store(t); });

    std::vector<Found> found;
    std::size_t total = 0;
    for (Worker& w : workers_) {
      result_.stats.transitions += w.transitions;
      result_.stats.states_matched += w.matched;
      total += w.fresh.size();
      for (Found& f : w.found) {
        // A new state's key may have been lowered after its checker saw it.
        if (f.key.second != kAfterSuccessors) f.key = RecordOf(f.id).node.key;
        found.push_back(std::move(f));
      }
    }
    std::uint64_t before = result_.stats.states_stored;
    result_.stats.states_stored += total;
    if (options_.progress && options_.progress_every &&
        before / options_.progress_every != result_.stats.states_stored / options_.progress_every)
      options_.progress(result_.stats);
    if (Report(found)) return {};
    if (result_.stats.states_stored >= options_.max_states) {
      result_.verdict = Verdict::kBoundReached;
      result_.bound_message = "max_states=" + std::to_string(options_.max_states) +
                              " reached; raise KT_MAX_STATES or lower --cpus/--hotplug/--work";
      done_ = true;
      return {};
    }
    return Merge(total);
  }

  // The owners' sorted lists, merged into the next frontier in key order.
  std::vector<Entry> Merge(std::size_t total) {
    std::vector<Entry> next;
    next.reserve(total);
    std::vector<std::size_t> at(threads_, 0);
    for (std::size_t n = 0; n < total; ++n) {
      int best = -1;
      for (int t = 0; t < threads_; ++t) {
        if (at[t] == workers_[t].fresh.size()) continue;
        if (best < 0 || workers_[t].fresh[at[t]].first < workers_[best].fresh[at[best]].first)
          best = t;
      }
      next.push_back(workers_[best].fresh[at[best]++].second);
    }
    return next;
  }

  // Keeps the violation sequential BFS would have met first; true if there was one.
  bool Report(const std::vector<Found>& found) {
    if (found.empty()) return false;
    const Found& first = *std::min_element(
        found.begin(), found.end(), [](const Found& a, const Found& b) { return a.key < b.key; });
    result_.verdict = Verdict::kViolation;
    result_.oracle = first.oracle;
    result_.detail = first.detail;
    violation_ = first.id;
    done_ = true;
    return true;
  }

  // Successor ordinals from an initial state to `id` (the first is the initial state's index).
  std::vector<std::uint32_t> PathTo(std::uint64_t id) {
    std::vector<std::uint32_t> ords;
    for (std::uint64_t n = id; n != kRoot; n = RecordOf(n).node.parent)
      ords.push_back(RecordOf(n).node.key.second);
    std::reverse(ords.begin(), ords.end());
    return ords;
  }

  const S& spec_;
  Options options_;
  int threads_;
  std::vector<Table> tables_;
  std::vector<Worker> workers_;
  std::atomic<std::size_t> cursor_{0};
  bool done_ = false;
  std::uint32_t level_ = 0;
  std::optional<std::uint64_t> violation_;
  Result result_;
};

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_CHECKER_EXPLICIT_PARALLEL_BFS_H_
