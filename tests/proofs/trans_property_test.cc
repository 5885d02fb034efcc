// trans_property_test.cc -- the two readings of each model step agree (DESIGN.md "Model and
// proofs share one source"): for random states and step instances, the concrete successor
// satisfies the symbolic transition relation evaluated by Z3, a perturbed successor does not,
// and a step whose concrete guard is false has an unsatisfiable symbolic guard.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <vector>

#include "model/model.h"
#include "proofs/encode.h"
#include "proofs/solver.h"

namespace kthcheck::proofs {
namespace {

constexpr int kNumFields = 0
#define KTH_COUNT(name, bits, is_bool) +1
    KTH_SHARED_FIELDS(KTH_COUNT) KTH_CPU_FIELDS(KTH_COUNT)
#undef KTH_COUNT
    ;

// Changes field number `which` (shared fields first, then CPU c's) so the state differs.
void Perturb(model::State& s, int c, int which, int delta) {
  int i = 0;
#define KTH_PERTURB(name, bits, is_bool)                                     \
  if (i++ == which) {                                                        \
    if (is_bool) {                                                           \
      target.name = !target.name;                                            \
    } else {                                                                 \
      target.name = static_cast<decltype(target.name)>(target.name + delta); \
    }                                                                        \
    return;                                                                  \
  }
  {
    auto& target = s.shared;
    KTH_SHARED_FIELDS(KTH_PERTURB)
  }
  {
    auto& target = s.cpu[c];
    KTH_CPU_FIELDS(KTH_PERTURB)
  }
#undef KTH_PERTURB
}

// A state reached by a random walk from the initial state (so many guards are enabled), or
// with probability 1/4 an arbitrary in-range state (to exercise disabled guards).
model::State GenState(const model::Params& p) {
  if (*rc::gen::inRange(0, 4) == 0) {
    model::State s;
    s.shared.ctl_op = *rc::gen::inRange<int>(0, model::kNumCtlOps);
    s.shared.ctl_sub = *rc::gen::inRange<int>(0, model::kNumCtlSubs);
    s.shared.ctl_cpu = *rc::gen::inRange(0, p.cpus);
    s.shared.offlines_left = *rc::gen::inRange(0, model::kMaxHotplug + 1);
    s.shared.prod_pc = *rc::gen::inRange(0, 2);
    s.shared.prod_cpu = *rc::gen::inRange(0, p.cpus);
    s.shared.prod_left = *rc::gen::inRange(0, model::kMaxWork + 1);
    for (int c = 0; c < p.cpus; ++c) {
      model::Cpu& t = s.cpu[c];
      t.pc = *rc::gen::inRange<int>(0, model::kNumThreadPcs);
      t.task_state = *rc::gen::element(0x0, 0x1, 0x2, 0x40, 0x80);
      t.parked_done = *rc::gen::inRange(0, 4);  // 3: complete_all()
      t.exited_done = *rc::gen::inRange(0, 2);
      t.status = *rc::gen::inRange(0, 3);
      t.pending = *rc::gen::inRange(0, 3);
      t.work = *rc::gen::inRange(0, model::kMaxWork + 1);
      t.should_stop = *rc::gen::arbitrary<bool>();
      t.should_park = *rc::gen::arbitrary<bool>();
      t.is_per_cpu = *rc::gen::arbitrary<bool>();
      t.online = *rc::gen::arbitrary<bool>();
      t.park_returned = *rc::gen::arbitrary<bool>();
      t.bind_warn = *rc::gen::arbitrary<bool>();
      t.status_warn = *rc::gen::arbitrary<bool>();
    }
    return s;
  }
  model::State s = model::InitialState(p);
  int steps = *rc::gen::inRange(0, 80);
  for (int i = 0; i < steps; ++i) {
    std::vector<model::State> next;
    model::ForEachSuccessor(
        p, s, [&](model::ActionInstance, const model::State& n) { next.push_back(n); });
    if (next.empty()) break;
    s = next[*rc::gen::inRange<std::size_t>(0, next.size())];
  }
  return s;
}

z3::expr Matches(const SymbolicDomain& d, const SShared& s, const SCpu& t, const model::State& st,
                 int c) {
  return Equal(s, LiftShared(d, st.shared)) && Equal(t, LiftCpu(d, st.cpu[c]));
}

RC_GTEST_PROP(TransPropertyTest, ConcreteSuccessorSatisfiesSymbolicStepAndPerturbedDoesNot, ()) {
  std::vector<model::Variant> variants = {model::Variant::kFaithful};
  for (const model::VariantInfo& v : model::Variants()) variants.push_back(v.variant);
  model::Params p{*rc::gen::inRange(1, model::kMaxCpus + 1), 2, 2, *rc::gen::elementOf(variants)};
  model::State s = GenState(p);
  // Mostly an enabled instance (the interesting case), sometimes any instance.
  std::vector<model::ActionInstance> enabled;
  model::ForEachSuccessor(
      p, s, [&](model::ActionInstance a, const model::State&) { enabled.push_back(a); });
  model::ActionInstance inst{static_cast<model::ActionId>(*rc::gen::inRange(0, model::kNumActions)),
                             *rc::gen::inRange(0, p.cpus)};
  if (!enabled.empty() && *rc::gen::inRange(0, 4) != 0) inst = *rc::gen::elementOf(enabled);
  int c = inst.cpu;
  model::ActionId action = inst.action;
  std::optional<model::State> next = model::Apply(p, s, {action, c});
  RC_CLASSIFY(next.has_value(), "enabled");

  z3::context ctx;
  SymbolicDomain d{ctx};
  SContext k{d, p.variant, d.Lit(p.cpus)};
  SShared pre_s = FreshShared(d, "0"), post_s = FreshShared(d, "1");
  SCpu pre_t = FreshCpu(d, "cpu", "0"), post_t = FreshCpu(d, "cpu", "1");
  SShared ns = pre_s;
  SCpu nt = pre_t;
  z3::expr guard = model::Step(k, action, d.Lit(c), pre_s, pre_t, ns, nt);
  z3::solver solver(ctx);
  solver.add(Matches(d, pre_s, pre_t, s, c));
  if (!next) {
    solver.add(guard);
    RC_ASSERT(Check(solver, "guard", kDefaultTimeoutMs).result == SatResult::kUnsat);
    return;
  }
  solver.add(guard && Equal(ns, post_s) && Equal(nt, post_t));
  solver.push();
  solver.add(Matches(d, post_s, post_t, *next, c));
  RC_ASSERT(Check(solver, "successor", kDefaultTimeoutMs).result == SatResult::kSat);
  solver.pop();
  model::State bad = *next;
  Perturb(bad, c, *rc::gen::inRange(0, kNumFields), *rc::gen::inRange(1, 4));
  solver.add(Matches(d, post_s, post_t, bad, c));
  RC_ASSERT(Check(solver, "perturbed", kDefaultTimeoutMs).result == SatResult::kUnsat);
}

}  // namespace
}  // namespace kthcheck::proofs
