// induction.cc -- the parametric inductiveness queries (see induction.h for the argument).
#include "proofs/induction.h"

#include <sstream>

#include "model/invariants.h"
#include "proofs/encode.h"
#include "proofs/solver.h"

namespace kthcheck::proofs {
namespace {

constexpr int kMaxIndex = 1 << 30;  // N and CPU indices stay far from bit-vector overflow

// One solver context per obligation: N, and CPU indices named i and j.
struct Frame {
  z3::context ctx;
  SymbolicDomain d{ctx};
  z3::expr n = ctx.bv_const("N", SymbolicDomain::kParametricWidth);
  SContext k;

  explicit Frame(model::Variant v = model::Variant::kFaithful) : k{d, v, n} {}

  z3::expr Index(const char* name) { return ctx.bv_const(name, SymbolicDomain::kParametricWidth); }
  z3::expr InRange(const z3::expr& idx) { return 0 <= idx && idx < n; }
  z3::expr CpuCount() { return 1 <= n && n <= kMaxIndex; }
};

std::string Verdict(const Outcome& o) {
  switch (o.result) {
    case SatResult::kUnsat:
      return "proved";
    case SatResult::kSat:
      return "violated";
    case SatResult::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// A counterexample to induction, printed with the model's printer: cpu0 is CPU i, cpu1 is
// CPU j (the one that steps); ctl_cpu/prod_cpu are absolute indices.
std::string PrintCti(const z3::model& m, Frame& f, const z3::expr& i, const z3::expr& j,
                     const SShared& s, const SCpu& x, const SCpu& y, const SShared& ns,
                     const SCpu& nx, const SCpu& ny) {
  int iv = DecodeInt(m, i), jv = DecodeInt(m, j);
  model::Params p{iv == jv ? 1 : 2, 0, 0, f.k.variant};
  auto state = [&](const SShared& sh, const SCpu& a, const SCpu& b) {
    model::State st;
    st.shared = DecodeShared(m, sh);
    st.cpu[0] = DecodeCpu(m, iv == jv ? b : a);
    st.cpu[1] = DecodeCpu(m, b);
    return st;
  };
  std::ostringstream o;
  o << "N=" << DecodeInt(m, f.n) << " i=" << iv << " j=" << jv << " (printed as cpu0 = CPU i"
    << (iv == jv ? " = CPU j" : ", cpu1 = CPU j") << ")\n";
  o << "before:\n" << model::PrintState(p, state(s, x, y));
  o << "after:\n" << model::PrintState(p, state(ns, nx, ny));
  o << "fails after the step:";
  for (const std::string& name : FailingInvariants(m, f.k, j, ns, ny)) o << " " << name << "@j";
  for (const std::string& name : FailingInvariants(m, f.k, i, ns, nx)) o << " " << name << "@i";
  o << "\n";
  return o.str();
}

ObligationResult Finish(const std::string& name, const Outcome& o, std::string detail) {
  ObligationResult r{name, "inductive", Verdict(o), true, o.seconds, std::move(detail)};
  if (o.result == SatResult::kUnknown) r.detail = o.reason;
  return r;
}

}  // namespace

ObligationResult ProveInitiation(unsigned timeout_ms) {
  const std::string label = "ind:init";
  std::string detail;
  Outcome o = Guarded(label, [&] {
    Frame f;
    z3::expr i = f.Index("i");
    z3::expr h = f.Index("H"), w = f.Index("W");
    SShared s = InitShared(f.d, h, w);
    SCpu t = InitCpu(f.d);
    z3::solver solver(f.ctx);
    solver.add(f.CpuCount() && f.InRange(i));
    solver.add(0 <= h && h <= model::kMaxHotplug && 0 <= w && w <= model::kMaxWork);
    solver.add(!Inv(f.k, i, s, t));
    Outcome out = Check(solver, label, timeout_ms);
    if (out.model) {
      detail = "initial state violates:";
      for (const std::string& n : FailingInvariants(*out.model, f.k, i, s, t)) detail += " " + n;
    }
    out.model.reset();  // it belongs to f.ctx, which dies with this scope
    return out;
  });
  return Finish(label, o, detail);
}

ObligationResult ProveStep(model::ActionId a, unsigned timeout_ms, model::Variant variant) {
  const std::string label = std::string("ind:") + model::ActionEnumName(a);
  std::string detail;
  Outcome o = Guarded(label, [&] {
    Frame f(variant);
    z3::expr i = f.Index("i"), j = f.Index("j");
    SShared s = FreshShared(f.d, "0");
    SCpu x = FreshCpu(f.d, "cpu_i", "0");
    SCpu y = FreshCpu(f.d, "cpu_j", "0");
    SShared ns = s;
    SCpu ny = y;
    z3::expr guard = model::Step(f.k, a, j, s, y, ns, ny);
    z3::solver solver(f.ctx);
    solver.add(f.CpuCount() && f.InRange(i) && f.InRange(j));
    solver.add(Inv(f.k, i, s, x) && Inv(f.k, j, s, y));
    solver.add(z3::implies(i == j, Equal(x, y)));
    solver.add(guard);
    solver.add(!Inv(f.k, j, ns, ny) || (i != j && !Inv(f.k, i, ns, x)));
    Outcome out = Check(solver, label, timeout_ms);
    if (out.model) detail = PrintCti(*out.model, f, i, j, s, x, y, ns, x, ny);
    out.model.reset();  // it belongs to f.ctx, which dies with this scope
    return out;
  });
  return Finish(label, o, detail);
}

ObligationResult ProveDeadlockFreedom(unsigned timeout_ms) {
  const std::string label = "ind:deadlock_freedom";
  std::string detail;
  Outcome o = Guarded(label, [&] {
    Frame f;
    SShared s = FreshShared(f.d, "0");
    // Witness CPUs: the controller's target, the producer's target, and CPU 0.
    std::vector<z3::expr> idx = {s.ctl_cpu, s.prod_cpu, f.d.Lit(0)};
    std::vector<SCpu> cpu = {FreshCpu(f.d, "cpu_ctl", "0"), FreshCpu(f.d, "cpu_prod", "0"),
                             FreshCpu(f.d, "cpu_0", "0")};
    z3::solver solver(f.ctx);
    solver.add(f.CpuCount() && !model::ValidEnd(s));
    z3::expr enabled = f.d.B(false);
    for (std::size_t m = 0; m < idx.size(); ++m) {
      solver.add(f.InRange(idx[m]) && Inv(f.k, idx[m], s, cpu[m]));
      for (std::size_t q = 0; q < m; ++q)
        solver.add(z3::implies(idx[m] == idx[q], Equal(cpu[m], cpu[q])));
      for (int a = 0; a < model::kNumSmpbootActions; ++a) {
        SShared ns = s;
        SCpu nt = cpu[m];
        enabled =
            enabled || model::Step(f.k, static_cast<model::ActionId>(a), idx[m], s, cpu[m], ns, nt);
      }
    }
    solver.add(!enabled);
    Outcome out = Check(solver, label, timeout_ms);
    if (out.model) {
      model::Params p{3, 0, 0, model::Variant::kFaithful};
      model::State st;
      st.shared = DecodeShared(*out.model, s);
      for (int m = 0; m < 3; ++m) st.cpu[m] = DecodeCpu(*out.model, cpu[m]);
      detail = "stuck state (cpu0 = ctl_cpu, cpu1 = prod_cpu, cpu2 = CPU 0):\n" +
               model::PrintState(p, st);
    }
    out.model.reset();  // it belongs to f.ctx, which dies with this scope
    return out;
  });
  return Finish(label, o, detail);
}

std::vector<ObligationResult> ProveAllInductive(unsigned timeout_ms) {
  std::vector<ObligationResult> rows;
  rows.push_back(ProveInitiation(timeout_ms));
  for (int a = 0; a < model::kNumSmpbootActions; ++a) {
    rows.push_back(ProveStep(static_cast<model::ActionId>(a), timeout_ms));
  }
  rows.push_back(ProveDeadlockFreedom(timeout_ms));
  return rows;
}

}  // namespace kthcheck::proofs
