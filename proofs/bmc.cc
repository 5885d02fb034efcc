// bmc.cc -- see bmc.h.
#include "proofs/bmc.h"

#include <sstream>
#include <vector>

#include "model/invariants.h"
#include "proofs/encode.h"
#include "proofs/solver.h"

namespace kthcheck::proofs {
namespace {

// Above every EncodeInstance() value: the largest kBmcWidth value (the selector is only
// ever compared for equality, so its sign does not matter).
constexpr int kStutter = (1 << SymbolicDomain::kBmcWidth) - 1;
static_assert(model::kNumActions * model::kMaxCpus <= kStutter);

// The narrowest width that holds every value of p's configuration (symbolic_domain.h).
unsigned BmcWidth(const model::Params& p) {
  return p.thread_fn == model::ThreadFn::kFreezableWaitLoop ? SymbolicDomain::kFreezerBmcWidth
                                                            : SymbolicDomain::kBmcWidth;
}

struct SymState {
  SShared s;
  std::vector<SCpu> cpu;
};

SymState Fresh(const SymbolicDomain& d, int cpus, const std::string& frame) {
  SymState st{FreshShared(d, frame), {}};
  for (int c = 0; c < cpus; ++c) st.cpu.push_back(FreshCpu(d, "cpu" + std::to_string(c), frame));
  return st;
}

// The steps of k's configuration. For the smpboot protocol, only its own (model/ids.h
// kNumSmpbootActions): the plain-kthread steps are never enabled there (prove_test checks
// it). A variant of a plain loop (variants.def VARIANT_PLAIN) takes the plain ones too.
int NumActions(const SContext& k) {
  bool smpboot = k.thread_fn == model::ThreadFn::kSmpboot && k.driver == model::Driver::kSmpboot;
  return smpboot ? model::kNumSmpbootActions : model::kNumActions;
}

// Which variables some step of the configuration writes. The others (the variables of the
// other configurations, state.h: the smpboot protocol never writes ctl_state, initialised,
// started or queued) keep their initial value in every frame, so Frozen() makes them
// constants instead of a fresh variable per frame. The formula means the same; but Z3
// does not find that alone, and three such variables per frame made the hang BMC of
// smpboot_no_barrier at bound 34 go from 6 s past its 60 s timeout.
struct Writes {
#define KTH_FLAG(name, bits, is_bool) bool name = false;
  struct {
    KTH_SHARED_FIELDS(KTH_FLAG)
  } s;
  struct {
    KTH_CPU_FIELDS(KTH_FLAG)
  } cpu;
#undef KTH_FLAG
};

Writes ProbeWrites(const SContext& k, int cpus) {
  SymState a = Fresh(k.d, cpus, "probe");
  Writes w;
  for (int act = 0; act < NumActions(k); ++act) {
    for (int c = 0; c < cpus; ++c) {
      SShared ns = a.s;
      SCpu nt = a.cpu[c];
      if (model::Step(k, static_cast<model::ActionId>(act), k.d.Lit(c), a.s, a.cpu[c], ns, nt)
              .is_false())
        continue;
#define KTH_MARK(name, bits, is_bool) w.s.name = w.s.name || !z3::eq(ns.name, a.s.name);
      KTH_SHARED_FIELDS(KTH_MARK)
#undef KTH_MARK
#define KTH_MARK(name, bits, is_bool) w.cpu.name = w.cpu.name || !z3::eq(nt.name, a.cpu[c].name);
      KTH_CPU_FIELDS(KTH_MARK)
#undef KTH_MARK
    }
  }
  return w;
}

// A fresh frame whose unwritten variables are their values in `init` (the initial state).
SymState Frozen(const SymbolicDomain& d, const Writes& w, const SymState& init, int t) {
  SymState st = Fresh(d, static_cast<int>(init.cpu.size()), std::to_string(t));
#define KTH_FREEZE(name, bits, is_bool) \
  if (!w.s.name) st.s.name = init.s.name;
  KTH_SHARED_FIELDS(KTH_FREEZE)
#undef KTH_FREEZE
  for (std::size_t c = 0; c < init.cpu.size(); ++c) {
#define KTH_FREEZE(name, bits, is_bool) \
  if (!w.cpu.name) st.cpu[c].name = init.cpu[c].name;
    KTH_CPU_FIELDS(KTH_FREEZE)
#undef KTH_FREEZE
  }
  return st;
}

SymState Lifted(const SymbolicDomain& d, const model::Params& p, const model::State& s) {
  SymState st{LiftShared(d, s.shared), {}};
  for (int c = 0; c < p.cpus; ++c) st.cpu.push_back(LiftCpu(d, s.cpu[c]));
  return st;
}

z3::expr IsInit(const SymbolicDomain& d, const model::Params& p, const SymState& st) {
  model::State init = model::InitialState(p);
  z3::expr e = Equal(st.s, LiftShared(d, init.shared));
  for (int c = 0; c < p.cpus; ++c) e = e && Equal(st.cpu[c], LiftCpu(d, init.cpu[c]));
  return e;
}

// Trans(a, b) in functional form: a selector picks one action instance (action, c), whose
// guard must hold; every variable of b is an if-then-else over the instances that write it
// (one term per variable instead of one frame copy per instance, which keeps deep unrollings
// cheap).  The selector value kStutter keeps every variable: a run may idle, so a state
// without successors (a hang) at depth t < bound still extends to the bound.
z3::expr Trans(const SContext& k, int cpus, const SymState& a, const SymState& b, int t) {
  z3::context& ctx = a.s.ctl_op.ctx();
  z3::expr sel = ctx.bv_const(("step@" + std::to_string(t)).c_str(), k.d.width);
  z3::expr guard = sel == kStutter;
  SShared next_s = a.s;
  std::vector<SCpu> next_cpu = a.cpu;
  for (int act = 0; act < NumActions(k); ++act) {
    for (int c = 0; c < cpus; ++c) {
      SShared ns = a.s;
      SCpu nt = a.cpu[c];
      z3::expr g =
          model::Step(k, static_cast<model::ActionId>(act), k.d.Lit(c), a.s, a.cpu[c], ns, nt);
      if (g.is_false()) continue;  // a step this variant does not have
      z3::expr chosen =
          sel == static_cast<int>(model::EncodeInstance({static_cast<model::ActionId>(act), c}));
      guard = guard || (chosen && g);
      // A variable the step leaves alone (the same term as before it) needs no term: the
      // selector picks one instance, so the chain's other branches keep it too. Most steps
      // write a few of the variables, and the configurations' own (state.h ctl_state,
      // initialised, started, sb_state, queued) none in the others.
#define KTH_PICK(name, bits, is_bool) \
  if (!z3::eq(ns.name, a.s.name)) next_s.name = z3::ite(chosen, ns.name, next_s.name);
      KTH_SHARED_FIELDS(KTH_PICK)
#undef KTH_PICK
#define KTH_PICK(name, bits, is_bool)  \
  if (!z3::eq(nt.name, a.cpu[c].name)) \
    next_cpu[c].name = z3::ite(chosen, nt.name, next_cpu[c].name);
      KTH_CPU_FIELDS(KTH_PICK)
#undef KTH_PICK
    }
  }
  z3::expr e = guard && Equal(next_s, b.s);
  for (int c = 0; c < cpus; ++c) e = e && Equal(next_cpu[c], b.cpu[c]);
  return e;
}

// any || term(guard, c, successor) over every step instance of k's configuration in a.
template <class F>
z3::expr AnyStep(const SContext& k, int cpus, const SymState& a, F&& term) {
  z3::expr any = k.d.B(false);
  for (int act = 0; act < NumActions(k); ++act) {
    for (int c = 0; c < cpus; ++c) {
      SShared ns = a.s;
      SCpu nt = a.cpu[c];
      z3::expr g =
          model::Step(k, static_cast<model::ActionId>(act), k.d.Lit(c), a.s, a.cpu[c], ns, nt);
      any = any || term(g, c, ns, nt);
    }
  }
  return any;
}

z3::expr Enabled(const SContext& k, int cpus, const SymState& a) {
  return AnyStep(k, cpus, a, [](const z3::expr& g, int, const SShared&, const SCpu&) { return g; });
}

// Some enabled step changes the state (livelock: every enabled one changes nothing).
z3::expr Moves(const SContext& k, int cpus, const SymState& a) {
  return AnyStep(k, cpus, a, [&](const z3::expr& g, int c, const SShared& ns, const SCpu& nt) {
    return g && !(Equal(ns, a.s) && Equal(nt, a.cpu[c]));
  });
}

// The oracle's violation in state a; false for an unknown oracle name.  "any" is every
// oracle except the lemmas (which are not properties, and may fail for variants).
z3::expr Bad(const SContext& k, int cpus, const std::string& oracle, const SymState& a) {
  if (oracle == "hang") return !model::ValidEnd(a.s) && !Enabled(k, cpus, a);
  if (oracle == "livelock")
    return !model::ValidEnd(a.s) && Enabled(k, cpus, a) && !Moves(k, cpus, a);
  if (oracle == "any") {
    z3::expr e =
        Bad(k, cpus, "hang", a) || Bad(k, cpus, "livelock", a) || Bad(k, cpus, "lost_wakeup", a);
    for (int i = 0; i < model::kNumInvariants; ++i) {
      auto id = static_cast<model::InvariantId>(i);
      if (model::InvariantIsLemma(id) || id == model::InvariantId::kNoLostWakeup) continue;
      e = e || Bad(k, cpus, model::InvariantOracle(id), a);
    }
    return e;
  }
  z3::expr any = k.d.B(false);
  for (int i = 0; i < model::kNumInvariants; ++i) {
    auto id = static_cast<model::InvariantId>(i);
    bool wanted = oracle == model::InvariantOracle(id);
    if (!wanted) continue;
    for (int c = 0; c < cpus; ++c) any = any || !model::Invariant(k, id, k.d.Lit(c), a.s, a.cpu[c]);
  }
  return any;
}

model::State Decode(const z3::model& m, const SymState& st) {
  model::State out;
  out.shared = DecodeShared(m, st.s);
  for (std::size_t c = 0; c < st.cpu.size(); ++c) out.cpu[c] = DecodeCpu(m, st.cpu[c]);
  return out;
}

// Prints the trace; returns false if some step is reproduced by no concrete action.
bool PrintTrace(const model::Params& p, const std::vector<model::State>& states, std::string* out) {
  std::ostringstream o;
  o << "init:\n" << model::PrintState(p, states[0]);
  int step = 0;
  for (std::size_t i = 1; i < states.size(); ++i) {
    if (states[i] == states[i - 1]) continue;  // a stutter step
    bool found = false;
    for (int a = 0; a < model::kNumActions && !found; ++a) {
      for (int c = 0; c < p.cpus && !found; ++c) {
        model::ActionInstance inst{static_cast<model::ActionId>(a), c};
        std::optional<model::State> next = model::Apply(p, states[i - 1], inst);
        if (!next || !(*next == states[i])) continue;
        found = true;
        o << "step " << ++step << ": " << model::PrintAction(inst) << " |"
          << model::PrintDiff(p, states[i - 1], states[i]) << "\n";
      }
    }
    if (!found) {
      *out = "BMC step " + std::to_string(i) +
             " is reproduced by no concrete action: the symbolic and concrete readings drifted";
      return false;
    }
  }
  o << "final:\n" << model::PrintState(p, states.back());
  *out = o.str();
  return true;
}

}  // namespace

ObligationResult RunBmc(const model::Params& p, const std::string& oracle, int bound,
                        unsigned timeout_ms) {
  std::string label = "bmc:" + model::VariantName(p.variant) + ":" + oracle;
  ObligationResult r{label, "bmc", "unknown", false, 0, ""};
  Outcome o = Guarded(label, [&] {
    z3::context ctx;
    SymbolicDomain d{ctx, BmcWidth(p)};
    SContext k{d, p.variant, d.Lit(p.cpus), p.thread_fn, p.driver};
    const Writes writes = ProbeWrites(k, p.cpus);
    const SymState init = Lifted(d, p, model::InitialState(p));
    std::vector<SymState> frames{Frozen(d, writes, init, 0)};
    z3::solver solver(ctx, "QF_BV");
    solver.add(IsInit(d, p, frames[0]));
    z3::expr bad_somewhere = Bad(k, p.cpus, oracle, frames[0]);
    for (int t = 0; t < bound; ++t) {
      frames.push_back(Frozen(d, writes, init, t + 1));
      solver.add(Trans(k, p.cpus, frames[t], frames[t + 1], t));
      bad_somewhere = bad_somewhere || Bad(k, p.cpus, oracle, frames[t + 1]);
    }
    solver.add(bad_somewhere);
    Outcome total = Check(solver, label, timeout_ms);
    if (total.result == SatResult::kSat) {
      std::vector<model::State> states;
      int last = 0;
      for (int t = 0; t <= bound; ++t) {
        states.push_back(Decode(*total.model, frames[t]));
        if (t > 0 && !(states[t] == states[t - 1])) ++last;
        if (total.model->eval(Bad(k, p.cpus, oracle, frames[t]), true).is_true()) break;
      }
      total.model.reset();  // it belongs to ctx, which dies with this scope
      if (!PrintTrace(p, states, &r.detail)) total.result = SatResult::kUnknown;
      total.reason = r.detail;
      r.detail = std::to_string(last) + " steps (not necessarily the shortest; BFS gives that)\n" +
                 r.detail;
      return total;
    }
    r.detail = (oracle == "any" ? std::string("no oracle violated") : "no " + oracle) + " within " +
               std::to_string(bound) + " steps (N=" + std::to_string(p.cpus) +
               " H=" + std::to_string(p.hotplug) + " W=" + std::to_string(p.work) + ")";
    return total;
  });
  r.seconds = o.seconds;
  switch (o.result) {
    case SatResult::kSat:
      r.result = "violated";
      break;
    case SatResult::kUnsat:
      r.result = "proved";
      break;
    case SatResult::kUnknown:
      r.result = "unknown";
      r.detail = o.reason;
      break;
  }
  return r;
}

}  // namespace kthcheck::proofs
