// encode.cc -- see encode.h.
#include "proofs/encode.h"

#include "model/invariants.h"

namespace kthcheck::proofs {
namespace {

z3::expr Field(const SymbolicDomain& d, const std::string& name, bool is_bool) {
  if (is_bool) return d.ctx.bool_const(name.c_str());
  return d.ctx.bv_const(name.c_str(), d.width);
}

}  // namespace

SShared FreshShared(const SymbolicDomain& d, const std::string& frame) {
#define KTH_FIELD(name, bits, is_bool) Field(d, #name "@" + frame, is_bool),
  return SShared{KTH_SHARED_FIELDS(KTH_FIELD)};
#undef KTH_FIELD
}

SCpu FreshCpu(const SymbolicDomain& d, const std::string& owner, const std::string& frame) {
#define KTH_FIELD(name, bits, is_bool) Field(d, owner + "." #name "@" + frame, is_bool),
  return SCpu{KTH_CPU_FIELDS(KTH_FIELD)};
#undef KTH_FIELD
}

SShared LiftShared(const SymbolicDomain& d, const model::Shared& s) {
#define KTH_LIFT(name, bits, is_bool) \
  is_bool ? d.B(static_cast<bool>(s.name)) : d.Lit(static_cast<int>(s.name)),
  return SShared{KTH_SHARED_FIELDS(KTH_LIFT)};
#undef KTH_LIFT
}

SCpu LiftCpu(const SymbolicDomain& d, const model::Cpu& t) {
#define KTH_LIFT(name, bits, is_bool) \
  is_bool ? d.B(static_cast<bool>(t.name)) : d.Lit(static_cast<int>(t.name)),
  return SCpu{KTH_CPU_FIELDS(KTH_LIFT)};
#undef KTH_LIFT
}

z3::expr Equal(const SShared& a, const SShared& b) {
  z3::expr e = a.ctl_op.ctx().bool_val(true);
#define KTH_EQ(name, bits, is_bool) e = e && a.name == b.name;
  KTH_SHARED_FIELDS(KTH_EQ)
#undef KTH_EQ
  return e;
}

z3::expr Equal(const SCpu& a, const SCpu& b) {
  z3::expr e = a.pc.ctx().bool_val(true);
#define KTH_EQ(name, bits, is_bool) e = e && a.name == b.name;
  KTH_CPU_FIELDS(KTH_EQ)
#undef KTH_EQ
  return e;
}

SShared InitShared(const SymbolicDomain& d, const z3::expr& hotplug, const z3::expr& work) {
  model::Params p{1, 0, 0, model::Variant::kFaithful};
  SShared s = LiftShared(d, model::InitialState(p).shared);
  s.offlines_left = hotplug;
  s.prod_left = work;
  return s;
}

SCpu InitCpu(const SymbolicDomain& d) {
  model::Params p{1, 0, 0, model::Variant::kFaithful};
  return LiftCpu(d, model::InitialState(p).cpu[0]);
}

z3::expr Inv(const SContext& k, const z3::expr& c, const SShared& s, const SCpu& t) {
  z3::expr e = k.d.B(true);
  for (int i = 0; i < model::kNumInvariants; ++i) {
    e = e && model::Invariant(k, static_cast<model::InvariantId>(i), c, s, t);
  }
  return e;
}

int DecodeInt(const z3::model& m, const z3::expr& e) {
  z3::expr v = m.eval(e, /*model_completion=*/true);
  if (v.is_bool()) return v.is_true() ? 1 : 0;
  return static_cast<int>(v.get_numeral_uint64());
}

model::Shared DecodeShared(const z3::model& m, const SShared& s) {
  model::Shared out{};
#define KTH_DEC(name, bits, is_bool) out.name = DecodeInt(m, s.name);
  KTH_SHARED_FIELDS(KTH_DEC)
#undef KTH_DEC
  return out;
}

model::Cpu DecodeCpu(const z3::model& m, const SCpu& t) {
  model::Cpu out{};
#define KTH_DEC(name, bits, is_bool) out.name = DecodeInt(m, t.name);
  KTH_CPU_FIELDS(KTH_DEC)
#undef KTH_DEC
  return out;
}

std::vector<std::string> FailingInvariants(const z3::model& m, const SContext& k, const z3::expr& c,
                                           const SShared& s, const SCpu& t) {
  std::vector<std::string> out;
  for (int i = 0; i < model::kNumInvariants; ++i) {
    auto id = static_cast<model::InvariantId>(i);
    if (m.eval(model::Invariant(k, id, c, s, t), true).is_false()) {
      out.push_back(model::InvariantName(id));
    }
  }
  return out;
}

}  // namespace kthcheck::proofs
