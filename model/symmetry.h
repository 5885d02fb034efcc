// symmetry.h -- the smpboot model's CPU symmetry, so that N = 4 can be searched exhaustively.
//
// Why: the faithful model at N = 4, H = 2, W = 2 has about 10^9 states, beyond the exact
// store on this machine (and beyond SPIN's; README "Against SPIN"). Its CPUs are alike but
// for one thing: smpboot_register_percpu_thread() and its unregister walk the CPUs in
// ascending order (for_each_online_cpu / for_each_possible_cpu), so renaming CPUs is not a
// symmetry of the model as it stands.
//
// What this file does:
// - The any-order closure (Params::any_cpu_order): every step as in steps.h, except that
//   whenever registration or unregistration moves on to a CPU, it may take any CPU it has
//   not yet done, not only the next one. The kernel's ascending order is one of these
//   choices, so every state and every step of the faithful model is one of the closure's
//   (tests/model/symmetry_test checks the states). Hence:
//   - an invariant (a state predicate) that holds on every state of the closure holds on
//     every state of the model;
//   - a model state without successors has none in the closure either: the closure adds
//     only other targets of a move the model makes anyway, so a hang of the model is a
//     hang of the closure.
//   So "the closure holds" implies "the model holds". The reverse need not be true; the
//   strengthening lemmas of lemmas.h speak of the ascending order and are not checked.
// - In the closure no step tests a CPU's number, only whether it is the controller's or the
//   producer's target, so renaming CPUs maps runs to runs. Canonical() picks one state of
//   each renaming class (orbit): CPUs sorted by (controller target, producer target, their
//   variables). A search over canonical states visits one state per orbit, and since the
//   oracles ask the same question of every CPU, a violation anywhere in an orbit is one at
//   its representative. symmetry_test checks both claims on whole state spaces: the
//   successors of a renamed state are the renamed successors, and the orbit sizes of the
//   reduced search add up to the unreduced closure's state count.
// - Registration's "not yet done" is `pc == kTNew`: a registered thread has been woken by
//   kthread_park() and completed `parked`, so it left kthread()'s first sleep.
//   Unregistration's is `pc != kTDead`: only kthread_stop() ends an smpboot thread.
#ifndef KTHCHECK_MODEL_SYMMETRY_H_
#define KTHCHECK_MODEL_SYMMETRY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"

namespace kthcheck::model {

// The initial states of the closure: registration may start on any CPU.
std::vector<State> AnyOrderInitialStates(const Params& p);

// The phase (kOpRegister or kOpUnregister) whose move to another CPU, or to its end, step
// s -> n is; -1 for every other step.
int PhaseMove(const Shared& s, const Shared& n);
// Whether `phase` still has to do the CPU whose variables are t.
bool NotYetDone(int phase, const Cpu& t);

// Calls f(instance, successor) for every successor in the any-order closure (p.any_cpu_order
// must be set). A move of registration or unregistration yields one successor per CPU it
// may take next, or the end of that phase once none is left. (A template: this is the
// symmetric search's inner loop.)
template <class F>
void ForEachAnyOrderSuccessor(const Params& p, const State& s, F&& f) {
  ForEachSuccessor(p, s, [&](ActionInstance a, const State& n) {
    int phase = PhaseMove(s.shared, n.shared);
    if (phase < 0) return f(a, n);
    // The ordered step chose CPU c + 1 or the phase's end; the closure chooses again.
    State m = n;
    bool any = false;
    for (int d = 0; d < p.cpus; ++d) {
      bool just_done = s.shared.ctl_op == phase && d == s.shared.ctl_cpu;
      if (just_done || !NotYetDone(phase, n.cpu[d])) continue;
      any = true;
      m.shared.ctl_op = phase;
      m.shared.ctl_sub = phase == kOpRegister ? kSubParkSet : kSubStopSet;
      m.shared.ctl_cpu = d;
      f(a, m);
    }
    if (any) return;
    m.shared.ctl_op = phase == kOpRegister ? kOpIdle : kOpDone;
    m.shared.ctl_sub = kSubNone;
    m.shared.ctl_cpu = 0;
    f(a, m);
  });
}

// perm[j] = the CPU of `s` that sits at position j of the result: CPU j of Rename(s, perm)
// is CPU perm[j] of s, and the controller's and producer's targets follow their CPU.
State Rename(const Params& p, const State& s, const std::array<int, kMaxCpus>& perm);
// The orbit representative: the same for s and every renaming of s.
State Canonical(const Params& p, const State& s);
// The number of distinct states that renamings of s give: N! over the product of the
// factorials of the sizes of groups of interchangeable CPUs.
std::uint64_t OrbitSize(const Params& p, const State& s);

// The closure searched over orbit representatives, for checker/explicit.
class SymmetricSmpbootSpec {
 public:
  using StateType = Packed;
  explicit SymmetricSmpbootSpec(const Params& p);
  std::vector<Packed> InitialStates() const;
  template <class F>
  void ForEachSuccessor(const Packed& s, F&& f) const {
    ForEachAnyOrderSuccessor(p_, Unpack(s), [&](ActionInstance a, const State& n) {
      f(EncodeInstance(a), Pack(Canonical(p_, n)));
    });
  }
  std::optional<std::string> CheckState(const Packed& s, std::string* detail) const {
    return ViolatedOracle(p_, Unpack(s), detail);
  }
  std::optional<std::string> CheckTerminal(const Packed& s, std::string* detail) const {
    return HangOracle(p_, Unpack(s), detail);
  }
  std::uint64_t Fingerprint(const Packed& s) const { return plain_.Fingerprint(s); }
  std::string ActionName(std::uint32_t id) const { return PrintAction(DecodeInstance(id)); }
  std::string Describe(const Packed& s) const { return PrintState(p_, Unpack(s)); }
  // A path of representatives (successor ordinals, the first an initial state's index)
  // printed as one run of the closure, in one CPU numbering throughout, that ends in the
  // last representative itself (so the oracle's detail, computed there, names its CPUs):
  // emit(action, change, state) per step, the first with action "init".
  template <class F>
  void ReplayConcrete(const std::vector<std::uint32_t>& ords, F&& emit) const {
    std::vector<Packed> reps{InitialStates()[ords[0]]};
    for (std::size_t i = 1; i < ords.size(); ++i) {
      std::uint32_t ord = 0;
      Packed next = reps.back();
      ForEachSuccessor(reps.back(), [&](std::uint32_t, const Packed& n) {
        if (ord++ == ords[i]) next = n;
      });
      reps.push_back(next);
    }
    std::vector<std::pair<ActionInstance, State>> run = ConcreteRun(reps);
    emit("init", "", PrintState(p_, run[0].second));
    for (std::size_t i = 1; i < run.size(); ++i)
      emit(PrintAction(run[i].first), PrintDiff(p_, run[i - 1].second, run[i].second),
           PrintState(p_, run[i].second));
  }

  // The run (step, state) through renamings of a path of representatives `reps` that ends
  // in reps.back(), built backwards: if r_i's successor t represents x_{i+1} = s(t) for a
  // renaming s, then the renaming s^-1 of r_i steps to x_{i+1}.
  std::vector<std::pair<ActionInstance, State>> ConcreteRun(const std::vector<Packed>& reps) const;

 private:
  Params p_;
  SmpbootSpec plain_;
};

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_SYMMETRY_H_
