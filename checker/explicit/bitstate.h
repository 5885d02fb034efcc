// bitstate.h -- Holzmann's bitstate ("supertrace") DFS behind StoreMode::kBitstate.
//
// Contract: the visited set is a bit array of 2^log2_bits bits; a state is "seen" when both
// of its two bit positions (derived from the spec's 64-bit fingerprint) are set.  A new state
// whose bits happen to be set already is skipped, so the search is a partial one: the result
// reports the hash factor (bits per stored state) and the probability that a new state was
// wrongly skipped at the end of the run, (1 - e^{-2n/m})^2.  A violation found is real (its
// trace is the DFS stack); "holds" means "no violation in the states visited".  Memory is the
// bit array plus the DFS stack, which is what makes state spaces of 10^9 states reachable.
#ifndef KTHCHECK_CHECKER_EXPLICIT_BITSTATE_H_
#define KTHCHECK_CHECKER_EXPLICIT_BITSTATE_H_

#include <cmath>
#include <cstdint>
#include <vector>

namespace kthcheck::explicit_engine {

class BitstateStore {
 public:
  explicit BitstateStore(int log2_bits)
      : mask_((std::uint64_t{1} << log2_bits) - 1), bits_((mask_ + 1) / 64 + 1, 0) {}

  // True if the state was not seen (both bits were not already set).
  bool Insert(std::uint64_t fp) {
    std::uint64_t h1 = fp & mask_;
    std::uint64_t h2 = ((fp >> 29) ^ (fp * 0x9e3779b97f4a7c15ULL)) & mask_;
    bool seen = Test(h1) && Test(h2);
    Set(h1);
    Set(h2);
    return !seen;
  }

  double bits() const { return static_cast<double>(mask_ + 1); }

  // Probability that a new state is taken for a seen one once n states are stored (k = 2).
  double OmissionProbability(std::uint64_t n) const {
    double fill = 1 - std::exp(-2.0 * static_cast<double>(n) / bits());
    return fill * fill;
  }

 private:
  bool Test(std::uint64_t h) const { return (bits_[h >> 6] >> (h & 63)) & 1; }
  void Set(std::uint64_t h) { bits_[h >> 6] |= std::uint64_t{1} << (h & 63); }

  std::uint64_t mask_;
  std::vector<std::uint64_t> bits_;
};

template <class S>
class BitstateDfs {
 public:
  using State = typename S::StateType;

  BitstateDfs(const S& spec, const Options& options)
      : spec_(spec), options_(options), store_(options.bitstate_log2_bits) {}

  Result Run() {
    for (const State& s0 : spec_.InitialStates()) {
      if (!store_.Insert(spec_.Fingerprint(s0))) continue;
      Stored();
      if (Check(s0, false) || RunFrom(s0)) break;
    }
    result_.stats.collision_probability = store_.OmissionProbability(result_.stats.states_stored);
    result_.stats.hash_factor = store_.bits() / std::max<double>(1, result_.stats.states_stored);
    return std::move(result_);
  }

 private:
  struct Frame {
    State state;
    std::vector<State> successors;
    std::vector<std::uint32_t> actions;
    std::size_t next = 0;
  };

  Frame Expand(const State& s) {
    Frame f{s, {}, {}, 0};
    spec_.ForEachSuccessor(s, [&](std::uint32_t id, const State& n) {
      f.successors.push_back(n);
      f.actions.push_back(id);
    });
    result_.stats.transitions += f.successors.size();
    return f;
  }

  void Stored() {
    std::uint64_t n = ++result_.stats.states_stored;
    if (options_.progress && n % options_.progress_every == 0) options_.progress(result_.stats);
  }

  // Returns true (and fills the trace from the stack) if `s` violates an oracle.
  bool Check(const State& s, bool terminal) {
    std::string detail;
    std::optional<std::string> oracle =
        terminal ? spec_.CheckTerminal(s, &detail) : spec_.CheckState(s, &detail);
    if (!oracle) return false;
    result_.verdict = Verdict::kViolation;
    result_.oracle = *oracle;
    result_.detail = detail;
    TraceTo(s);
    return true;
  }

  void TraceTo(const State& last) {
    if (stack_.empty()) {
      result_.trace.push_back(TraceStep{"init", "", spec_.Describe(last)});
      return;
    }
    result_.trace.push_back(TraceStep{"init", "", spec_.Describe(stack_[0].state)});
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      const State& next = i + 1 < stack_.size() ? stack_[i + 1].state : last;
      if (i + 1 == stack_.size() && f.next == 0) break;  // `last` is the top itself
      TraceStep step{spec_.ActionName(f.actions[f.next - 1]), "", spec_.Describe(next)};
      if constexpr (requires { spec_.DescribeStep(f.state, next); }) {
        step.change = spec_.DescribeStep(f.state, next);
      }
      result_.trace.push_back(std::move(step));
    }
  }

  bool RunFrom(const State& s0) {
    stack_.push_back(Expand(s0));
    if (stack_.back().successors.empty() && Check(s0, true)) return true;
    while (!stack_.empty()) {
      result_.stats.depth = std::max<int>(result_.stats.depth, stack_.size() - 1);
      Frame& top = stack_.back();
      if (top.next == top.successors.size()) {
        stack_.pop_back();
        continue;
      }
      State n = top.successors[top.next++];
      if (!store_.Insert(spec_.Fingerprint(n))) {
        ++result_.stats.states_matched;
        continue;
      }
      Stored();
      if (Check(n, false)) return true;
      if (result_.stats.states_stored >= options_.max_states) {
        result_.verdict = Verdict::kBoundReached;
        result_.bound_message = "max_states=" + std::to_string(options_.max_states) + " reached";
        return true;
      }
      if (static_cast<int>(stack_.size()) > options_.max_depth) {
        result_.verdict = Verdict::kBoundReached;
        result_.bound_message = "max_depth=" + std::to_string(options_.max_depth) + " reached";
        continue;
      }
      stack_.push_back(Expand(n));
      if (stack_.back().successors.empty()) {
        stack_.pop_back();  // the trace of a terminal state ends at its parent's step
        if (Check(n, true)) return true;
      }
    }
    return false;
  }

  const S& spec_;
  Options options_;
  BitstateStore store_;
  std::vector<Frame> stack_;
  Result result_;
};

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_CHECKER_EXPLICIT_BITSTATE_H_
