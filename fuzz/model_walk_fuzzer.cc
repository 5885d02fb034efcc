// model_walk_fuzzer -- libFuzzer target over the abstract model (model/): the input bytes
// choose the model's configuration and parameters and, at every state, which successor to
// take; the invariants are checked at every step.
//
// Input (FuzzedDataProvider): the last byte picks the parameters (bits 0-1 CPUs - 1, bits
// 2-3 hotplug cycles, bits 4-5 work items). Its bits 6-7 are 0 for the smpboot protocol;
// otherwise the byte before it picks one of the plain-kthread configurations (kPlain:
// N = 1 but for percpu's N, H = 0, the configuration's own W). The bytes from the front
// pick successors, one per state with two or more (byte % n, in the model's deterministic
// successor order); when they run out the walk takes the first successor. Like the
// explicit engine, the walk leaves out a successor that is the state itself. A walk ends at
// a state without other successors, or after kMaxSteps steps (kMaxPlainSteps in a plain
// configuration).
//
// Findings (abort, with the path printed by the model's printers):
//   - an oracle of the model: ViolatedOracle() on every state (invariants, lemmas on the
//     faithful model, lost_wakeup) and HangOracle() on the final state (hang, or livelock
//     when a step that changes nothing is still enabled there);
// internal bugs of model/ (abort, "[internal bug]"):
//   - Apply(s, a) differs from the successor ForEachSuccessor() gave for a;
//   - Pack is not injective on the walk (Unpack(Pack(s)) != s) or Repack(parent, ...)
//     differs from Pack(successor);
//   - the ModelTracker (the conformance side) disagrees: it refuses a step the model
//     took, or lists other enabled steps (checked on the first 8 steps and at the end).
// Environment: KT_FUZZ_VARIANT=<name of model/variants.def> walks that variant (default:
// the faithful model, where any finding is a real bug). A variant of a plain kthread's code
// (VARIANT_PLAIN) is walked in its own configuration whatever the input picks; one that a
// picked configuration does not take (Validate()) is walked on the smpboot protocol.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/counters.h"
#include "model/model.h"
#include "model/tracker.h"

namespace {

namespace m = kthcheck::model;

constexpr int kMaxSteps = 4096;
// The plain configurations' loops can cycle for ever (a timer that wakes a sleeper that
// sleeps again, a freezer that wakes a running thread); their BFS depths are at most 45,
// so a walk of 256 steps has gone round their cycles several times.
constexpr int kMaxPlainSteps = 256;

struct PlainConfig {
  m::ThreadFn thread_fn;
  m::Driver driver;
};

// Every plain-kthread configuration of model/state.h that Validate() accepts.
constexpr PlainConfig kPlain[] = {
    {m::ThreadFn::kStopLoop, m::Driver::kSmpboot},
    {m::ThreadFn::kStopLoop, m::Driver::kCreateStop},
    {m::ThreadFn::kParkableLoop, m::Driver::kRunParkUnparkStop},
    {m::ThreadFn::kParkableLoop, m::Driver::kRunParkStop},
    {m::ThreadFn::kTimedLoop, m::Driver::kRunStop},
    {m::ThreadFn::kTimedLoop, m::Driver::kRunWaitStop},
    {m::ThreadFn::kTimedLoop, m::Driver::kRunSleepStop},
    {m::ThreadFn::kEventLoop, m::Driver::kRunStop},
    {m::ThreadFn::kParkableTimedLoop, m::Driver::kPercpu},
    {m::ThreadFn::kWaitEventLoop, m::Driver::kRunStop},
    {m::ThreadFn::kFreezableWaitLoop, m::Driver::kRunFreezeStop},
    {m::ThreadFn::kFreezableWorker, m::Driver::kRunWorkerFreezeStop},
    {m::ThreadFn::kWorker, m::Driver::kRunWorkerDelayedExit},
    {m::ThreadFn::kBusyWait, m::Driver::kRunCpuDownStop},
};

m::Params PlainParams(PlainConfig c, int cpus, m::Variant v) {
  bool work = c.thread_fn == m::ThreadFn::kEventLoop || c.thread_fn == m::ThreadFn::kWaitEventLoop;
  m::Params p{c.driver == m::Driver::kPercpu ? cpus : 1, 0, work ? 1 : 0, v};
  p.thread_fn = c.thread_fn;
  p.driver = c.driver;
  return p;
}

// The walk's parameters from the parameter byte (and the configuration byte before it).
m::Params ChooseParams(FuzzedDataProvider& in, m::Variant v) {
  uint8_t bits = in.ConsumeIntegral<uint8_t>();
  const int cpus = 1 + (bits & 3);
  m::Params p{cpus, bits >> 2 & 3, bits >> 4 & 3, v};
  if (bits >> 6) p = PlainParams(kPlain[in.ConsumeIntegral<uint8_t>() % std::size(kPlain)], cpus, v);
  for (const m::VariantInfo& info : m::Variants())  // a plain variant's own configuration
    if (info.variant == v && info.thread_fn != m::ThreadFn::kSmpboot)
      p = PlainParams({info.thread_fn, info.driver}, cpus, v);
  if (!m::Validate(p).empty()) p = m::Params{cpus, bits >> 2 & 3, bits >> 4 & 3, v};
  return p;
}

m::Variant VariantFromEnv() {
  static const m::Variant v = [] {
    const char* name = std::getenv("KT_FUZZ_VARIANT");
    m::Variant out = m::Variant::kFaithful;
    if (name && *name && std::string(name) != "none" && !m::ParseVariant(name, &out)) {
      std::fprintf(stderr, "model_walk_fuzzer: KT_FUZZ_VARIANT=%s: not a variant of the model "
                           "(model/variants.def)\n", name);
      std::exit(2);
    }
    return out;
  }();
  return v;
}

struct Walk {
  m::Params p;
  std::vector<m::ActionInstance> path;
};

std::string PathText(const Walk& w) {
  std::string s = "thread_fn=" + std::to_string(static_cast<int>(w.p.thread_fn)) +
                  " driver=" + std::to_string(static_cast<int>(w.p.driver)) +
                  " cpus=" + std::to_string(w.p.cpus) + " hotplug=" + std::to_string(w.p.hotplug) +
                  " work=" + std::to_string(w.p.work) + " variant=" +
                  (w.p.variant == m::Variant::kFaithful ? "none" : m::VariantName(w.p.variant)) +
                  ", " + std::to_string(w.path.size()) + " steps:\n";
  for (size_t i = 0; i < w.path.size(); ++i)
    s += "  " + std::to_string(i + 1) + ". " + m::PrintAction(w.path[i]) + "\n";
  return s;
}

[[noreturn]] void Finding(const Walk& w, const m::State& s, const std::string& oracle,
                          const std::string& detail) {
  std::fprintf(stderr, "==kthcheck== model finding: %s (%s)\n%s==kthcheck== state:\n%s\n",
               oracle.c_str(), detail.c_str(), PathText(w).c_str(),
               m::PrintState(w.p, s).c_str());
  std::abort();
}

[[noreturn]] void InternalBug(const Walk& w, const std::string& what) {
  std::fprintf(stderr, "[internal bug] model_walk_fuzzer: %s\n%s", what.c_str(),
               PathText(w).c_str());
  std::abort();
}

struct Successor {
  m::ActionInstance a;
  m::State s;
};

// One step's consistency checks between the model's entry points.
void CheckStep(const Walk& w, const m::State& from, const Successor& next,
               m::ModelTracker* tracker) {
  std::optional<m::State> applied = m::Apply(w.p, from, next.a);
  if (!applied || !(*applied == next.s))
    InternalBug(w, "Apply() disagrees with ForEachSuccessor() on " + m::PrintAction(next.a));
  m::Packed packed = m::Pack(next.s);
  if (!(m::Unpack(packed) == next.s)) InternalBug(w, "Unpack(Pack(s)) != s");
  if (!(m::Repack(m::Pack(from), next.s.shared, next.a.cpu, next.s.cpu[next.a.cpu]) == packed))
    InternalBug(w, "Repack() != Pack() of the successor");
  if (std::optional<std::string> e = tracker->Advance(next.a))
    InternalBug(w, "the tracker refuses a step the model took:\n" + *e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  Walk w;
  w.p = ChooseParams(in, VariantFromEnv());
  std::vector<uint8_t> choices = in.ConsumeRemainingBytes<uint8_t>();
  m::SmpbootSpec spec(w.p);
  m::ModelTracker tracker(w.p);
  m::State s = m::InitialState(w.p);
  size_t next = 0;
  uint64_t last_action = ~uint64_t{0};
  std::vector<Successor> succ;
  size_t enabled = 0;
  const int max_steps = m::IsSmpboot(w.p) ? kMaxSteps : kMaxPlainSteps;
  for (int step = 0; step < max_steps; ++step) {
    std::string detail;
    if (std::optional<std::string> o = m::ViolatedOracle(w.p, s, &detail))
      Finding(w, s, *o, detail);
    kt::fuzz::HitFeature(spec.Fingerprint(m::Pack(s)));
    succ.clear();
    enabled = 0;
    m::ForEachSuccessor(w.p, s, [&](m::ActionInstance a, const m::State& n) {
      ++enabled;
      if (!(n == s)) succ.push_back({a, n});
    });
    // The tracker's own enumeration, on the first steps and at the end (it allocates).
    if ((step < 8 || succ.empty()) && tracker.Enabled().size() != enabled)
      InternalBug(w, "the tracker's enabled steps differ from the model's successors");
    if (succ.empty()) {
      if (std::optional<std::string> o = m::HangOracle(w.p, s, &detail)) Finding(w, s, *o, detail);
      break;
    }
    size_t k = 0;
    if (succ.size() > 1 && next < choices.size()) k = choices[next++] % succ.size();
    const Successor& chosen = succ[k];
    w.path.push_back(chosen.a);
    CheckStep(w, s, chosen, &tracker);
    uint64_t action = m::EncodeInstance(chosen.a);
    kt::fuzz::HitFeature(kt::fuzz::MixHash(last_action, action));
    last_action = action;
    s = chosen.s;
  }
  return 0;
}
