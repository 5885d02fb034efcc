// plain_config.h -- the tests' way into a plain-kthread configuration of the model
// (model/state.h ThreadFn, Driver): its parameters, and a search that must find a variant
// there with a given oracle.
#ifndef KTHCHECK_TESTS_MODEL_PLAIN_CONFIG_H_
#define KTHCHECK_TESTS_MODEL_PLAIN_CONFIG_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <utility>

#include "checker/explicit/explorer.h"
#include "model/model.h"

namespace kthcheck::model {

// N = 1, H = 0; the event loops have the producer's one work item, as event_loop,
// irq_event and wait_event_loop raise.
inline Params Plain(ThreadFn f, Driver d, Variant v = Variant::kFaithful) {
  Params p{1, 0, f == ThreadFn::kEventLoop || f == ThreadFn::kWaitEventLoop ? 1 : 0, v};
  p.thread_fn = f;
  p.driver = d;
  return p;
}

// A variant in a plain configuration, and the oracle the explicit engine must report.
struct Case {
  ThreadFn f;
  Driver d;
  Variant v;
  const char* oracle;
};

inline explicit_engine::Result ExpectFound(const Case& c) {
  SCOPED_TRACE(VariantName(c.v));
  Params p = Plain(c.f, c.d, c.v);
  EXPECT_EQ(Validate(p), "");
  explicit_engine::Result r = explicit_engine::Explore(SmpbootSpec(p), explicit_engine::Options{});
  EXPECT_EQ(r.verdict, explicit_engine::Verdict::kViolation);
  EXPECT_EQ(r.oracle, c.oracle) << r.detail;
  return r;
}

// The model as the explicit engine sees it, showing `observe` each transition it explores:
// for tests that a faithful configuration reaches the window a variant needs.
class ObservedSpec : public SmpbootSpec {
 public:
  using Observer = std::function<void(const State& before, ActionId a, const State& after)>;
  ObservedSpec(const Params& p, Observer observe) : SmpbootSpec(p), observe_(std::move(observe)) {}
  template <class F>
  void ForEachSuccessor(const Packed& s, F&& f) const {
    const State before = Unpack(s);
    SmpbootSpec::ForEachSuccessor(s, [&](std::uint32_t id, const Packed& n) {
      observe_(before, DecodeInstance(id).action, Unpack(n));
      f(id, n);
    });
  }

 private:
  Observer observe_;
};

}  // namespace kthcheck::model

#endif  // KTHCHECK_TESTS_MODEL_PLAIN_CONFIG_H_
