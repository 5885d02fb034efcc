#include "fuzz/protocol_coverage.h"

#include <algorithm>

#include "checker/runtime/controlled_sys.h"
#include "impl/kernel/sched.h"
#include "impl/kthread/kthread.h"

namespace kt::fuzz {
namespace {

constexpr uint64_t kNotSeen = ~uint64_t{0};

// Salts, so that features of different kinds do not share slots systematically.
enum Salt : uint64_t { kTransition = 1, kSwitch, kOutcome, kProgram };

// __state, on_rq, on_cpu and the kthread flags of `p`: the protocol state of a task.
uint64_t ProtocolState(const task_struct* p) {
  uint64_t s = p->__state | uint64_t{p->on_rq != 0} << 16 | uint64_t{p->on_cpu != 0} << 17;
  if ((p->flags & PF_KTHREAD) && p->worker_private) {
    const auto* k = static_cast<const struct kthread*>(p->worker_private);
    s |= uint64_t{k->flags & 7} << 18;
  }
  return s;
}

}  // namespace

void KernelCoverage::BeginRun(int scenario) {
  scenario_ = static_cast<uint64_t>(scenario) << 32;
  last_fn_ = 0;
  for (uint64_t& s : state_) s = kNotSeen;
}

void KernelCoverage::OnProgram(std::string_view ops) {
  // The letters only: which call follows which (the digits pick slots and CPUs, which the
  // protocol-state features already tell apart).
  uint64_t prev = 0;
  for (size_t i = 0; i < ops.size(); i += 2) {
    uint64_t op = static_cast<unsigned char>(ops[i]);
    HitFeature(MixHash(scenario_ | kProgram << 8, prev << 8 | op));
    prev = op;
  }
}

void KernelCoverage::OnChoice(const rt::ChoicePoint& cp, TaskId chosen) {
  int n = std::min(cp.rt->NumTasks(), kTasks);
  for (int t = 0; t < n; ++t) {
    const task_struct* p = sched_globals.task_by_tid[t];
    if (!p) continue;
    uint64_t s = ProtocolState(p);
    if (s == state_[t]) continue;
    HitFeature(MixHash(MixHash(scenario_ | kTransition << 8 | t, state_[t]),
                       MixHash(s, last_fn_)));
    state_[t] = s;
  }
  const rt::Op& op = cp.rt->Pending(chosen);
  uint64_t fn = NameHash(op.fn) ^ static_cast<uint64_t>(op.kind);
  if (cp.previous != kNoTask && chosen != cp.previous) {
    uint64_t preempted = cp.enabled >> cp.previous & 1;
    HitFeature(MixHash(scenario_ | kSwitch << 8 | preempted, MixHash(last_fn_, fn)));
  }
  last_fn_ = fn;
}

void KernelCoverage::EndRun(const rt::RunResult& r) {
  HitFeature(MixHash(scenario_ | kOutcome << 8 | static_cast<uint64_t>(r.outcome),
                     StringHash(r.oracle)));
}

}  // namespace kt::fuzz
