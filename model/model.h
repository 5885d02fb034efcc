// model.h -- the concrete reading of the smpboot hotplug model, and its explicit-state spec.
//
// Contract:
// - State is SharedT/CpuT over ConcreteDomain for kMaxCpus CPUs; CPUs >= Params::cpus stay
//   at their zero value and are never touched.  Pack() is injective on valid states
//   (kPackedWords 64-bit words), so packed equality is state equality.
// - Successors are all (action, cpu) instances whose guard holds, in actions.def order, cpu
//   ascending: the order is deterministic, so traces and golden counts are reproducible.
// - Findings are values: ViolatedOracle() names "invariant:<name>" or "lost_wakeup" for a
//   reachable state, HangOracle() names "hang" for a state without successors that is not a
//   valid end, and "livelock" for one whose only enabled steps change nothing (a thread
//   spins, and nothing else can move).  Lemmas are checked only for the faithful model.
// - SmpbootSpec leaves out a step whose successor is its own state: it adds no state and
//   no path, and a state with no other step is then the engine's terminal state, which
//   HangOracle() calls a livelock.
// - SmpbootSpec satisfies checker/explicit's ExplicitSpec concept structurally; model/ does
//   not include the engine (model depends on the standard library only).
#ifndef KTHCHECK_MODEL_MODEL_H_
#define KTHCHECK_MODEL_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/domain.h"
#include "model/ids.h"
#include "model/invariants.h"
#include "model/state.h"
#include "model/steps.h"

namespace kthcheck::model {

using Shared = SharedT<ConcreteDomain>;
using Cpu = CpuT<ConcreteDomain>;

struct State {
  Shared shared{};
  std::array<Cpu, kMaxCpus> cpu{};
};

// 182 bits at kMaxCpus = 4 (model.cc checks the sum): two words held the model until the
// memory-model variants' sb_state and wider prod_pc. The kthread_worker configuration's
// delayed work is in the shared fields, which leaves one word's room of 10 bits.
inline constexpr int kPackedWords = 3;

struct Packed {
  std::array<std::uint64_t, kPackedWords> w{};
  bool operator==(const Packed& o) const { return w == o.w; }
};

Packed Pack(const State& s);
State Unpack(const Packed& p);
// Pack() of `parent`'s state with the shared variables and CPU c replaced (the successor of
// a step on c), without repacking the other CPUs.
Packed Repack(const Packed& parent, const Shared& shared, int c, const Cpu& cpu);
bool operator==(const State& a, const State& b);

State InitialState(const Params& p);

struct ActionInstance {
  ActionId action;
  int cpu;
};
inline std::uint32_t EncodeInstance(ActionInstance a) {
  return static_cast<std::uint32_t>(a.action) * kMaxCpus + a.cpu;
}
inline ActionInstance DecodeInstance(std::uint32_t id) {
  return {static_cast<ActionId>(id / kMaxCpus), static_cast<int>(id % kMaxCpus)};
}

// Applies one action instance; returns nullopt if its guard is false.
std::optional<State> Apply(const Params& p, const State& s, ActionInstance a);

// Calls f(instance, shared', c, cpu') for every enabled instance: the successor is `s` with
// the shared variables and CPU c replaced.
template <class F>
void ForEachStep(const Params& p, const State& s, F&& f) {
  ConcreteDomain d;
  StepContext<ConcreteDomain> k{d, p.variant, p.cpus, p.thread_fn, p.driver};
  const int actions = IsSmpboot(p) ? kNumSmpbootActions : kNumActions;
  for (int a = 0; a < actions; ++a) {
    for (int c = 0; c < p.cpus; ++c) {
      // Copy only what a step may write.
      Shared ns = s.shared;
      Cpu nt = s.cpu[c];
      if (!Step(k, static_cast<ActionId>(a), c, s.shared, s.cpu[c], ns, nt)) continue;
      f(ActionInstance{static_cast<ActionId>(a), c}, ns, nt);
    }
  }
}

template <class F>
void ForEachSuccessor(const Params& p, const State& s, F&& f) {
  ForEachStep(p, s, [&](ActionInstance a, const Shared& ns, const Cpu& nt) {
    State n = s;
    n.shared = ns;
    n.cpu[a.cpu] = nt;
    f(a, n);
  });
}

// "invariant:<name>" / "lost_wakeup", with `detail` naming the CPU; nullopt if all hold.
std::optional<std::string> ViolatedOracle(const Params& p, const State& s, std::string* detail);
// "hang" with the wait-for description, for a state that has no successors; "livelock",
// naming the step that spins, for one whose every successor is the state itself.
std::optional<std::string> HangOracle(const Params& p, const State& s, std::string* detail);

std::string PrintState(const Params& p, const State& s);
// The variables that differ, as "cpu1.should_park=1 ctl_sub=..." (trace lines).
std::string PrintDiff(const Params& p, const State& before, const State& after);
std::string PrintAction(ActionInstance a);

// The explicit engine's view of the model (checker/explicit/explorer.h ExplicitSpec).
class SmpbootSpec {
 public:
  using StateType = Packed;
  explicit SmpbootSpec(const Params& p) : p_(p) {}
  std::vector<Packed> InitialStates() const { return {Pack(InitialState(p_))}; }
  template <class F>
  void ForEachSuccessor(const Packed& s, F&& f) const {
    State u = Unpack(s);
    ForEachStep(p_, u, [&](ActionInstance a, const Shared& ns, const Cpu& nt) {
      Packed n = Repack(s, ns, a.cpu, nt);
      if (!(n == s)) f(EncodeInstance(a), n);
    });
  }
  std::optional<std::string> CheckState(const Packed& s, std::string* detail) const {
    return ViolatedOracle(p_, Unpack(s), detail);
  }
  std::optional<std::string> CheckTerminal(const Packed& s, std::string* detail) const {
    return HangOracle(p_, Unpack(s), detail);
  }
  std::uint64_t Fingerprint(const Packed& s) const;
  std::string ActionName(std::uint32_t id) const { return PrintAction(DecodeInstance(id)); }
  std::string Describe(const Packed& s) const { return PrintState(p_, Unpack(s)); }
  std::string DescribeStep(const Packed& before, const Packed& after) const {
    return PrintDiff(p_, Unpack(before), Unpack(after));
  }

 private:
  Params p_;
};

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_MODEL_H_
