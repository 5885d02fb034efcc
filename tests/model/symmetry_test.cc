// symmetry_test.cc -- the claims model/symmetry.h rests on, checked on whole state spaces:
// the any-order closure contains the model, renaming CPUs commutes with its steps and its
// oracles, and the reduced search covers exactly the closure (its orbit sizes add up).
#include "model/symmetry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <tuple>
#include <numeric>
#include <random>
#include <unordered_set>
#include <vector>

#include "checker/explicit/explorer.h"
#include "model/run.h"

namespace kthcheck::model {
namespace {

struct PackedHash {
  std::size_t operator()(const Packed& p) const { return SmpbootSpec(Params{}).Fingerprint(p); }
};
using StateSet = std::unordered_set<Packed, PackedHash>;
using Successors = std::function<void(const State&, const std::function<void(const State&)>&)>;

// Every state reachable from `init` (plain BFS; no oracle is consulted).
std::vector<State> Reach(const std::vector<State>& init, const Successors& next) {
  StateSet seen;
  std::vector<State> out;
  std::deque<State> queue;
  for (const State& s : init) {
    if (seen.insert(Pack(s)).second) queue.push_back(s);
  }
  while (!queue.empty()) {
    State s = queue.front();
    queue.pop_front();
    out.push_back(s);
    next(s, [&](const State& n) {
      if (seen.insert(Pack(n)).second) queue.push_back(n);
    });
  }
  return out;
}

std::vector<State> ReachOrdered(const Params& p) {
  return Reach({InitialState(p)}, [&](const State& s, const std::function<void(const State&)>& f) {
    ForEachSuccessor(p, s, [&](ActionInstance, const State& n) { f(n); });
  });
}

Params Closure(Params p) {
  p.any_cpu_order = true;
  return p;
}

std::vector<State> ComputeClosure(const Params& p) {
  return Reach(AnyOrderInitialStates(p), [&](const State& s, const std::function<void(const State&)>& f) {
    ForEachAnyOrderSuccessor(p, s, [&](ActionInstance, const State& n) { f(n); });
  });
}

// The closure's states, computed once per configuration for the tests that share them.
const std::vector<State>& ReachClosure(const Params& p) {
  static std::map<std::tuple<int, int, int>, std::vector<State>> cache;
  auto key = std::make_tuple(p.cpus, p.hotplug, p.work);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, ComputeClosure(p)).first;
  return it->second;
}

std::vector<std::array<int, kMaxCpus>> Permutations(int n) {
  std::array<int, kMaxCpus> perm{};
  std::iota(perm.begin(), perm.begin() + n, 0);
  std::vector<std::array<int, kMaxCpus>> out;
  do out.push_back(perm);
  while (std::next_permutation(perm.begin(), perm.begin() + n));
  return out;
}

using RenameFn = std::function<State(const Params&, const State&, const std::array<int, kMaxCpus>&)>;

// The first state (of every `stride`-th) whose renamed successors differ from the
// successors of its renaming, or whose oracles' verdicts differ; "" if none.
std::string FirstAsymmetry(const Params& p, const std::vector<State>& states, const RenameFn& rename,
                           std::size_t stride) {
  auto successors = [&](const State& s) {
    StateSet out;
    ForEachAnyOrderSuccessor(p, s, [&](ActionInstance, const State& n) { out.insert(Pack(n)); });
    return out;
  };
  auto perms = Permutations(p.cpus);
  for (std::size_t i = 0; i < states.size(); i += stride) {
    const State& s = states[i];
    StateSet next = successors(s);
    bool bad = ViolatedOracle(p, s, nullptr).has_value();
    bool stuck = next.empty() && HangOracle(p, s, nullptr).has_value();
    for (const auto& perm : perms) {
      State r = rename(p, s, perm);
      StateSet renamed;
      for (const Packed& n : next) renamed.insert(Pack(rename(p, Unpack(n), perm)));
      StateSet next_r = successors(r);
      bool stuck_r = next_r.empty() && HangOracle(p, r, nullptr).has_value();
      if (next_r != renamed || ViolatedOracle(p, r, nullptr).has_value() != bad || stuck_r != stuck)
        return PrintState(p, s);
    }
  }
  return "";
}

TEST(SymmetryTest, ClosureContainsEveryStateOfTheModel) {
  for (Params p : {Params{2, 2, 2}, Params{3, 1, 1}}) {
    SCOPED_TRACE("N=" + std::to_string(p.cpus));
    const std::vector<State>& closure = ReachClosure(Closure(p));
    StateSet in_closure;
    for (const State& s : closure) in_closure.insert(Pack(s));
    std::vector<State> model = ReachOrdered(p);
    EXPECT_GT(closure.size(), model.size());  // other orders reach other states
    std::size_t missing = 0;
    for (const State& s : model) missing += in_closure.count(Pack(s)) == 0;
    EXPECT_EQ(missing, 0u);
  }
}

TEST(SymmetryTest, RenamingCommutesWithStepsAndOracles) {
  Params p = Closure(Params{2, 2, 2});
  EXPECT_EQ(FirstAsymmetry(p, ReachClosure(p), Rename, 1), "");
  Params q = Closure(Params{3, 1, 1});
  EXPECT_EQ(FirstAsymmetry(q, ReachClosure(q), Rename, 7), "");
}

// The check above can fail: a renaming that leaves the controller's target where it was
// is not a symmetry, and it finds a state that shows it.
TEST(SymmetryTest, CommutationCheckCatchesABrokenRenaming) {
  Params p = Closure(Params{2, 1, 1});
  RenameFn keep_target = [](const Params& q, const State& s, const std::array<int, kMaxCpus>& perm) {
    State r = Rename(q, s, perm);
    r.shared.ctl_cpu = s.shared.ctl_cpu;
    return r;
  };
  EXPECT_NE(FirstAsymmetry(p, ReachClosure(p), keep_target, 1), "");
}

// Canonical() picks one state per orbit: the reduced search's orbit sizes add up to the
// closure's state count, and the engine stores exactly the representatives.
TEST(SymmetryTest, OrbitSizesOfTheReducedSearchAddUpToTheClosure) {
  for (Params p : {Closure(Params{2, 2, 2}), Closure(Params{3, 1, 1})}) {
    SCOPED_TRACE("N=" + std::to_string(p.cpus));
    std::vector<State> init;
    for (const State& s : AnyOrderInitialStates(p)) init.push_back(Canonical(p, s));
    std::vector<State> reps = Reach(init, [&](const State& s, const std::function<void(const State&)>& f) {
      ForEachAnyOrderSuccessor(p, s, [&](ActionInstance, const State& n) { f(Canonical(p, n)); });
    });
    std::uint64_t covered = 0;
    for (const State& s : reps) {
      ASSERT_EQ(Pack(Canonical(p, s)), Pack(s));
      covered += OrbitSize(p, s);
    }
    EXPECT_EQ(covered, ReachClosure(p).size());
    EXPECT_LT(reps.size(), ReachClosure(p).size());
    explicit_engine::Result r = explicit_engine::Explore(SymmetricSmpbootSpec(p), {});
    EXPECT_EQ(r.verdict, explicit_engine::Verdict::kHolds) << r.oracle << " " << r.detail;
    EXPECT_EQ(r.stats.states_stored, reps.size());
  }
}

// Golden counts of the reduced search (BFS, exact store), recorded 2026-11-27; N = 3 and
// N = 4 at H = 2, W = 2 are in model_exhaustive_test.
TEST(SymmetryTest, ReducedCountsMatchGoldenTable) {
  struct Golden {
    int cpus, hotplug, work;
    std::uint64_t stored, transitions;
    int depth;
  };
  for (const Golden& g : {Golden{2, 2, 2, 348842, 1232845, 113}, Golden{3, 1, 1, 691395, 2794631, 113}}) {
    explicit_engine::Result r =
        explicit_engine::Explore(SymmetricSmpbootSpec(Params{g.cpus, g.hotplug, g.work}), {});
    EXPECT_EQ(r.verdict, explicit_engine::Verdict::kHolds);
    EXPECT_EQ(r.stats.states_stored, g.stored);
    EXPECT_EQ(r.stats.transitions, g.transitions);
    EXPECT_EQ(r.stats.depth, g.depth);
  }
}

// A path of representatives stands for a run of the closure that ends in its last state:
// random walks of 80 steps at N = 3 and N = 4.
TEST(SymmetryTest, RepresentativePathsAreRunsOfTheClosure) {
  for (int cpus : {3, 4}) {
    SymmetricSmpbootSpec spec(Params{cpus, 2, 2});
    Params p = Closure(Params{cpus, 2, 2});
    std::mt19937 rng(cpus);
    for (int walk = 0; walk < 20; ++walk) {
      std::vector<Packed> reps{spec.InitialStates()[0]};
      for (int i = 0; i < 80; ++i) {
        std::vector<Packed> next;
        spec.ForEachSuccessor(reps.back(), [&](std::uint32_t, const Packed& n) { next.push_back(n); });
        if (next.empty()) break;
        reps.push_back(next[rng() % next.size()]);
      }
      auto run = spec.ConcreteRun(reps);
      ASSERT_EQ(run.size(), reps.size());
      EXPECT_EQ(Pack(run.back().second), reps.back());
      bool initial = false;
      for (const State& s : AnyOrderInitialStates(p)) initial |= Pack(s) == Pack(run[0].second);
      EXPECT_TRUE(initial);
      for (std::size_t i = 1; i < run.size(); ++i) {
        EXPECT_EQ(Pack(Canonical(p, run[i].second)), reps[i]);
        bool step = false;
        ForEachAnyOrderSuccessor(p, run[i - 1].second, [&](ActionInstance a, const State& m) {
          step |= a.action == run[i].first.action && a.cpu == run[i].first.cpu &&
                  Pack(m) == Pack(run[i].second);
        });
        EXPECT_TRUE(step) << i;
      }
    }
  }
}

// The reduced search finds every model variant with its oracle (at the variant's own
// parameters and at two CPUs), and the faithful closure holds where the model does.
TEST(SymmetryTest, ReducedSearchFindsEveryVariant) {
  for (const VariantInfo& v : Variants()) {
    if (v.thread_fn != ThreadFn::kSmpboot) continue;  // one thread: no CPUs to rename
    for (int cpus : {v.bmc_cpus, 2}) {
      SCOPED_TRACE(std::string(v.name) + " N=" + std::to_string(cpus));
      ModelCheckResult r = CheckModel(cpus, v.bmc_hotplug, v.bmc_work, v.name, 100'000'000,
                                      "exact", 1, /*symmetry=*/true);
      EXPECT_EQ(r.verdict, "violation");
      EXPECT_EQ(r.oracle, v.oracle);
      EXPECT_FALSE(r.trace.empty());
    }
  }
  for (int cpus = 1; cpus <= 3; ++cpus) {
    ModelCheckResult r = CheckModel(cpus, 1, 1, "", 100'000'000, "exact", 1, true);
    EXPECT_EQ(r.verdict, "holds") << cpus << " " << r.oracle << " " << r.detail;
  }
}

}  // namespace
}  // namespace kthcheck::model
