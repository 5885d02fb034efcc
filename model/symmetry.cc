// symmetry.cc -- the any-order closure and CPU renaming of the smpboot model (symmetry.h).
#include "model/symmetry.h"

#include <algorithm>
#include <numeric>

#include "model/check.h"

namespace kthcheck::model {
namespace {

// ctl_cpu names a CPU only while the controller works on one; otherwise it is 0 (the
// steps store 0 when the controller goes idle or is done). Likewise prod_cpu.
bool ControllerAtCpu(const Shared& s) {
  return s.ctl_op == kOpRegister || s.ctl_op == kOpOffline || s.ctl_op == kOpOnline ||
         s.ctl_op == kOpUnregister;
}
bool ProducerAtCpu(const Shared& s) { return s.prod_pc != kProdIdle; }

// A CPU's sort key: the controller's target first, then the producer's, then the CPU's
// variables in field order. CPUs with equal keys are interchangeable.
using CpuKey = std::array<int, 2 + 0
#define KTH_COUNT(name, bits, is_bool) +1
                                       KTH_CPU_FIELDS(KTH_COUNT)
#undef KTH_COUNT
                                   >;

CpuKey KeyOf(const State& s, int c) {
  CpuKey k{};
  k[0] = ControllerAtCpu(s.shared) && s.shared.ctl_cpu == c ? 0 : 1;
  k[1] = ProducerAtCpu(s.shared) && s.shared.prod_cpu == c ? 0 : 1;
  int i = 2;
  const Cpu& t = s.cpu[c];
#define KTH_KEY(name, bits, is_bool) k[i++] = static_cast<int>(t.name);
  KTH_CPU_FIELDS(KTH_KEY)
#undef KTH_KEY
  return k;
}

}  // namespace

std::vector<State> AnyOrderInitialStates(const Params& p) {
  std::vector<State> out;
  State s = InitialState(p);
  for (int c = 0; c < p.cpus; ++c) {
    s.shared.ctl_cpu = c;
    out.push_back(s);
  }
  return out;
}

// symmetry.h says why these tests suffice.
bool NotYetDone(int phase, const Cpu& t) {
  return phase == kOpRegister ? t.pc == kTNew : t.pc != kTDead;
}

// Registration and unregistration change ctl_cpu or ctl_op only when they move on;
// kSmpbootUnregister starts unregistration.
int PhaseMove(const Shared& s, const Shared& n) {
  for (int phase : {kOpRegister, kOpUnregister}) {
    bool was = s.ctl_op == phase, is = n.ctl_op == phase;
    if ((was && (!is || n.ctl_cpu != s.ctl_cpu)) || (!was && is)) return phase;
  }
  return -1;
}

State Rename(const Params& p, const State& s, const std::array<int, kMaxCpus>& perm) {
  State r = s;
  std::array<int, kMaxCpus> pos{};
  for (int j = 0; j < p.cpus; ++j) {
    r.cpu[j] = s.cpu[perm[j]];
    pos[perm[j]] = j;
  }
  if (ControllerAtCpu(s.shared)) r.shared.ctl_cpu = pos[s.shared.ctl_cpu];
  if (ProducerAtCpu(s.shared)) r.shared.prod_cpu = pos[s.shared.prod_cpu];
  return r;
}

State Canonical(const Params& p, const State& s) {
  std::array<CpuKey, kMaxCpus> keys;
  std::array<int, kMaxCpus> perm{};
  for (int c = 0; c < p.cpus; ++c) {
    keys[c] = KeyOf(s, c);
    perm[c] = c;
  }
  // Insertion sort: at most four CPUs.
  for (int i = 1; i < p.cpus; ++i) {
    for (int j = i; j > 0 && keys[perm[j]] < keys[perm[j - 1]]; --j) std::swap(perm[j], perm[j - 1]);
  }
  return Rename(p, s, perm);
}

std::uint64_t OrbitSize(const Params& p, const State& s) {
  State c = Canonical(p, s);
  std::uint64_t orbit = 1;
  for (int i = 2; i <= p.cpus; ++i) orbit *= i;
  int run = 1;
  for (int i = 1; i <= p.cpus; ++i) {
    if (i < p.cpus && KeyOf(c, i) == KeyOf(c, i - 1)) {
      orbit /= ++run;  // divides by run! over the group
    } else {
      run = 1;
    }
  }
  return orbit;
}

SymmetricSmpbootSpec::SymmetricSmpbootSpec(const Params& p) : p_(p), plain_(p) {
  p_.any_cpu_order = true;
}

std::vector<Packed> SymmetricSmpbootSpec::InitialStates() const {
  std::vector<Packed> out;
  for (const State& s : AnyOrderInitialStates(p_)) {
    Packed c = Pack(Canonical(p_, s));
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

std::vector<std::pair<ActionInstance, State>> SymmetricSmpbootSpec::ConcreteRun(
    const std::vector<Packed>& reps) const {
  std::vector<std::pair<ActionInstance, State>> run(reps.size());
  run.back().second = Unpack(reps.back());
  std::array<int, kMaxCpus> perm{};
  for (std::size_t i = reps.size() - 1; i > 0; --i) {
    const Packed target = Pack(run[i].second);
    const State rep = Unpack(reps[i - 1]);
    bool found = false;
    std::iota(perm.begin(), perm.begin() + p_.cpus, 0);
    do {
      State from = Rename(p_, rep, perm);
      ForEachAnyOrderSuccessor(p_, from, [&](ActionInstance a, const State& n) {
        if (found || !(Pack(n) == target)) return;
        found = true;
        run[i].first = a;
        run[i - 1].second = from;
      });
    } while (!found && std::next_permutation(perm.begin(), perm.begin() + p_.cpus));
    KTH_MODEL_CHECK(found, "renaming does not commute with a step");
  }
  return run;
}

}  // namespace kthcheck::model
