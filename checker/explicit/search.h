// search.h -- the BFS/DFS loops behind Explore() (explorer.h); not included directly.
//
// Every stored state gets a Node {parent, ordinal}: the index of the state it was first
// reached from and its position in that state's successor order.  That is all a trace needs
// (Trace() replays ordinals), so the fingerprint store needs no states after expansion.
#ifndef KTHCHECK_CHECKER_EXPLICIT_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLICIT_SEARCH_H_

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>

#include "checker/explicit/state_store.h"

namespace kthcheck::explicit_engine {

// The trace of a path given as successor ordinals: the first is the index of an initial
// state, each next one the position of a successor in ForEachSuccessor's order.
// A spec whose states stand for classes of states (symmetry reduction) may print the path
// itself, as one run of concrete states: spec.ReplayConcrete(ords, emit) calls
// emit(action, change, state) once per step, the first with action "init".
template <class S>
std::vector<TraceStep> ReplayPath(const S& spec, const std::vector<std::uint32_t>& ords) {
  using State = typename S::StateType;
  std::vector<TraceStep> trace;
  if constexpr (requires { spec.ReplayConcrete(ords, [](std::string, std::string, std::string) {}); }) {
    spec.ReplayConcrete(ords, [&](std::string action, std::string change, std::string state) {
      trace.push_back(TraceStep{std::move(action), std::move(change), std::move(state)});
    });
    return trace;
  }
  State s = spec.InitialStates()[ords[0]];
  trace.push_back(TraceStep{"init", "", spec.Describe(s)});
  for (std::size_t i = 1; i < ords.size(); ++i) {
    std::uint32_t ord = 0, action = 0;
    State next = s;
    spec.ForEachSuccessor(s, [&](std::uint32_t id, const State& n) {
      if (ord++ == ords[i]) {
        action = id;
        next = n;
      }
    });
    TraceStep step{spec.ActionName(action), "", spec.Describe(next)};
    if constexpr (requires { spec.DescribeStep(s, next); }) step.change = spec.DescribeStep(s, next);
    trace.push_back(std::move(step));
    s = next;
  }
  return trace;
}

template <class S, class Store>
class Search {
 public:
  using State = typename S::StateType;

  Search(const S& spec, const Options& options) : spec_(spec), options_(options) {}

  Result Run() {
    if (options_.order == SearchOrder::kBfs) {
      Bfs();
    } else {
      Dfs();
    }
    if (violation_node_) BuildTrace(*violation_node_);
    return std::move(result_);
  }

 private:
  static constexpr std::uint32_t kRoot = std::numeric_limits<std::uint32_t>::max();

  struct Node {
    std::uint32_t parent;
    std::uint32_t ordinal;
  };

  struct Frame {
    State state;
    std::uint32_t node;
    std::vector<State> successors;
    std::vector<std::uint32_t> actions;  // action id of each successor
    std::size_t next = 0;
  };

  // Stores `s` if new; returns its node index, or nullopt if it was seen before.
  std::optional<std::uint32_t> Visit(const State& s, std::uint32_t parent, std::uint32_t ord) {
    std::uint64_t fp = spec_.Fingerprint(s);
    bool fresh;
    if constexpr (std::is_same_v<Store, FingerprintStore>) {
      fresh = store_.Insert(fp);
    } else {
      auto [index, inserted] = store_.Insert(s, fp);
      fresh = inserted;
      last_match_ = index;
    }
    if (!fresh) {
      ++result_.stats.states_matched;
      return std::nullopt;
    }
    nodes_.push_back(Node{parent, ord});
    result_.stats.states_stored = nodes_.size();
    if (options_.progress && nodes_.size() % options_.progress_every == 0) {
      options_.progress(result_.stats);
    }
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }

  // Records a violation of the state oracles at `node`; returns true if there was one.
  bool Check(const State& s, std::uint32_t node, bool terminal) {
    std::string detail;
    std::optional<std::string> oracle =
        terminal ? spec_.CheckTerminal(s, &detail) : spec_.CheckState(s, &detail);
    if (!oracle) return false;
    result_.verdict = Verdict::kViolation;
    result_.oracle = *oracle;
    result_.detail = detail;
    violation_node_ = node;
    return true;
  }

  bool OutOfStates() {
    if (result_.stats.states_stored < options_.max_states) return false;
    result_.verdict = Verdict::kBoundReached;
    result_.bound_message = "max_states=" + std::to_string(options_.max_states) +
                            " reached; raise KT_MAX_STATES or lower --cpus/--hotplug/--work";
    return true;
  }

  void NoteDepthBound() {
    result_.verdict = Verdict::kBoundReached;
    result_.bound_message = "max_depth=" + std::to_string(options_.max_depth) +
                            " reached; raise KT_MAX_DEPTH or lower --hotplug/--work";
  }

  bool SeedInitial(std::deque<std::pair<State, std::uint32_t>>* out) {
    std::vector<State> init = spec_.InitialStates();
    for (std::uint32_t i = 0; i < init.size(); ++i) {
      std::optional<std::uint32_t> node = Visit(init[i], kRoot, i);
      if (!node) continue;
      if (Check(init[i], *node, false)) return false;
      out->emplace_back(init[i], *node);
    }
    return true;
  }

  void Bfs() {
    std::deque<std::pair<State, std::uint32_t>> queue;
    std::vector<int> depth_of;  // depth of each queued node, by node index
    if (!SeedInitial(&queue)) return;
    depth_of.assign(nodes_.size(), 0);
    while (!queue.empty()) {
      State s = queue.front().first;
      std::uint32_t node = queue.front().second;
      queue.pop_front();
      int depth = depth_of[node];
      result_.stats.depth = std::max(result_.stats.depth, depth);
      if (depth >= options_.max_depth) {
        NoteDepthBound();
        continue;
      }
      bool any = false, stop = false;
      std::uint32_t ord = 0;
      spec_.ForEachSuccessor(s, [&](std::uint32_t, const State& n) {
        any = true;
        std::uint32_t my_ord = ord++;
        if (stop) return;
        ++result_.stats.transitions;
        std::optional<std::uint32_t> child = Visit(n, node, my_ord);
        if (!child) return;
        depth_of.push_back(depth + 1);
        if (Check(n, *child, false)) {
          stop = true;
        } else {
          queue.emplace_back(n, *child);
        }
      });
      if (stop || (!any && Check(s, node, true)) || OutOfStates()) return;
    }
  }

  Frame Expand(const State& s, std::uint32_t node) {
    Frame f{s, node, {}, {}, 0};
    spec_.ForEachSuccessor(s, [&](std::uint32_t id, const State& n) {
      f.successors.push_back(n);
      f.actions.push_back(id);
    });
    result_.stats.transitions += f.successors.size();
    if (options_.detect_cycles) {
      if (on_stack_.size() <= node) on_stack_.resize(node + 1, false);
      on_stack_[node] = true;
    }
    return f;
  }

  void Pop(std::vector<Frame>& stack) {
    if (options_.detect_cycles) on_stack_[stack.back().node] = false;
    stack.pop_back();
  }

  // The successor just matched closes a cycle if it is on the stack: report the path to
  // the top of the stack plus the closing step.
  bool ClosesCycle(const Frame& top, const State& n) {
    if (!options_.detect_cycles || last_match_ >= on_stack_.size() || !on_stack_[last_match_]) {
      return false;
    }
    result_.verdict = Verdict::kViolation;
    result_.oracle = "cycle";
    result_.detail = "the last state repeats an earlier state of this run";
    BuildTrace(top.node);
    TraceStep step{spec_.ActionName(top.actions[top.next - 1]), "", spec_.Describe(n)};
    if constexpr (requires { spec_.DescribeStep(top.state, n); }) {
      step.change = spec_.DescribeStep(top.state, n);
    }
    result_.trace.push_back(std::move(step));
    return true;
  }

  void Dfs() {
    std::deque<std::pair<State, std::uint32_t>> roots;
    if (!SeedInitial(&roots)) return;
    for (const auto& root : roots) {
      const State& s0 = root.first;
      std::uint32_t n0 = root.second;
      std::vector<Frame> stack;
      stack.push_back(Expand(s0, n0));
      if (stack.back().successors.empty() && Check(s0, n0, true)) return;
      while (!stack.empty()) {
        result_.stats.depth = std::max<int>(result_.stats.depth, stack.size() - 1);
        Frame& top = stack.back();
        if (top.next == top.successors.size()) {
          Pop(stack);
          continue;
        }
        std::uint32_t ord = static_cast<std::uint32_t>(top.next);
        State n = top.successors[top.next++];
        std::optional<std::uint32_t> child = Visit(n, top.node, ord);
        if (!child) {
          if (ClosesCycle(top, n)) return;
          continue;
        }
        if (Check(n, *child, false) || OutOfStates()) return;
        if (static_cast<int>(stack.size()) > options_.max_depth) {
          NoteDepthBound();
          continue;
        }
        stack.push_back(Expand(n, *child));
        if (stack.back().successors.empty() && Check(n, *child, true)) return;
      }
    }
  }

  // Replays successor ordinals from the initial state to rebuild the path to `node`.
  void BuildTrace(std::uint32_t node) {
    std::vector<std::uint32_t> ords;
    for (std::uint32_t n = node; n != kRoot; n = nodes_[n].parent)
      ords.push_back(nodes_[n].ordinal);
    std::reverse(ords.begin(), ords.end());
    result_.trace = ReplayPath(spec_, ords);
  }

  const S& spec_;
  Options options_;
  Store store_;
  std::vector<Node> nodes_;
  std::optional<std::uint32_t> violation_node_;
  std::uint32_t last_match_ = 0;  // exact store: index of the state Visit() last saw
  std::vector<bool> on_stack_;    // detect_cycles: node index -> on the DFS stack
  Result result_;
};

// "holds" / "violation" / "bound_reached" (the CLI's JSON vocabulary).
inline const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kHolds:
      return "holds";
    case Verdict::kViolation:
      return "violation";
    case Verdict::kBoundReached:
      return "bound_reached";
  }
  return "?";
}

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_CHECKER_EXPLICIT_SEARCH_H_
