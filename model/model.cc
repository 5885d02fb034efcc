// model.cc -- packing, initial state and oracles of the concrete model (see model.h).
#include "model/model.h"

#include <algorithm>

#include "model/check.h"

namespace kthcheck::model {
namespace {

// Every value a task_state or saved_state takes (wait_event_freezable()'s sleep state and
// TASK_FROZEN: the freezer configuration only).
constexpr std::array<int, 7> kStateValues = {kTaskRunning, kTaskInterruptible, kTaskUninterruptible,
                                             kTaskParked, kTaskDead,
                                             kTaskInterruptible | kTaskFreezable, kTaskFrozen};

int StateIndex(int state) {
  for (int i = 0; i < static_cast<int>(kStateValues.size()); ++i) {
    if (kStateValues[i] == state) return i;
  }
  KTH_MODEL_CHECK(false, "task state outside the model's vocabulary");
  return 0;
}

// Appends `bits` (< 32) bits of `v` at bit position *pos of the packed state.
void Put(Packed& p, int* pos, int bits, int v) {
  KTH_MODEL_CHECK(v >= 0 && v < (1 << bits), "field value does not fit its packed width");
  std::uint64_t x = static_cast<std::uint64_t>(v);
  int word = *pos / 64, off = *pos % 64;
  p.w[word] |= x << off;
  if (off + bits > 64) p.w[word + 1] |= x >> (64 - off);  // off > 0 here
  *pos += bits;
}

int Get(const Packed& p, int* pos, int bits) {
  int word = *pos / 64, off = *pos % 64;
  std::uint64_t x = p.w[word] >> off;
  if (off + bits > 64) x |= p.w[word + 1] << (64 - off);
  *pos += bits;
  return static_cast<int>(x & ((std::uint64_t{1} << bits) - 1));
}

void PackCpu(Packed& p, int* pos, Cpu c) {
  c.task_state = StateIndex(c.task_state);
  c.saved_state = StateIndex(c.saved_state);
#define KTH_PUT(name, bits, is_bool) Put(p, pos, bits, static_cast<int>(c.name));
  KTH_CPU_FIELDS(KTH_PUT)
#undef KTH_PUT
}

Cpu UnpackCpu(const Packed& p, int* pos) {
  Cpu c{};
#define KTH_GET(name, bits, is_bool) c.name = static_cast<decltype(c.name)>(Get(p, pos, bits));
  KTH_CPU_FIELDS(KTH_GET)
#undef KTH_GET
  c.task_state = kStateValues[c.task_state];
  c.saved_state = kStateValues[c.saved_state];
  return c;
}

StepContext<ConcreteDomain> Context(const Params& p, const ConcreteDomain& d) {
  return StepContext<ConcreteDomain>{d, p.variant, p.cpus, p.thread_fn, p.driver};
}

}  // namespace

namespace {

constexpr int kSharedBits = 0
#define KTH_BITS(name, bits, is_bool) +bits
    KTH_SHARED_FIELDS(KTH_BITS);
constexpr int kCpuBits = 0 KTH_CPU_FIELDS(KTH_BITS);
#undef KTH_BITS
static_assert(kSharedBits + kMaxCpus * kCpuBits <= 64 * kPackedWords, "the packed state fits");

void ClearBits(Packed& p, int pos, int n) {
  for (int word = 0; word < kPackedWords; ++word) {
    int lo = std::max(pos, word * 64), hi = std::min(pos + n, word * 64 + 64);
    if (lo >= hi) continue;
    int width = hi - lo;
    std::uint64_t mask = width == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1);
    p.w[word] &= ~(mask << (lo - word * 64));
  }
}

void PackShared(Packed& p, const Shared& s) {
  int pos = 0;
#define KTH_PUT(name, bits, is_bool) Put(p, &pos, bits, static_cast<int>(s.name));
  KTH_SHARED_FIELDS(KTH_PUT)
#undef KTH_PUT
}

}  // namespace

Packed Repack(const Packed& parent, const Shared& shared, int c, const Cpu& cpu) {
  Packed p = parent;
  ClearBits(p, 0, kSharedBits);
  PackShared(p, shared);
  int pos = kSharedBits + c * kCpuBits;
  ClearBits(p, pos, kCpuBits);
  PackCpu(p, &pos, cpu);
  return p;
}

Packed Pack(const State& s) {
  Packed p;
  PackShared(p, s.shared);
  int pos = kSharedBits;
  for (const Cpu& c : s.cpu) PackCpu(p, &pos, c);
  KTH_MODEL_CHECK(pos <= 64 * kPackedWords, "packed state exceeds its words");
  return p;
}

State Unpack(const Packed& p) {
  State s;
  int pos = 0;
#define KTH_GET(name, bits, is_bool) s.shared.name = Get(p, &pos, bits);
  KTH_SHARED_FIELDS(KTH_GET)
#undef KTH_GET
  for (Cpu& c : s.cpu) c = UnpackCpu(p, &pos);
  return s;
}

bool operator==(const State& a, const State& b) { return Pack(a) == Pack(b); }

// After smpboot_register_percpu_thread() created every thread (kthread_create_on_cpu +
// kthread_set_per_cpu): each sleeps in kthread() in TASK_UNINTERRUPTIBLE, never woken; the
// controller is about to kthread_park() CPU 0 (__smpboot_create_thread step 4).
// The other drivers (state.h Driver) start from their own first line: kthread_run's
// wakeup, or kthread_stop() of a never-woken thread; their kthread_create()'d thread is
// not per-CPU, so kthread_unpark() does not rebind it.
State InitialState(const Params& p) {
  State s;
  s.shared.ctl_op = kOpRegister;
  s.shared.ctl_sub = kSubParkSet;
  if (StartsWithKthreadRun(p.driver)) s.shared.ctl_sub = kSubRunWake;
  if (p.driver == Driver::kCreateStop) {
    s.shared.ctl_op = kOpUnregister;
    s.shared.ctl_sub = kSubStopSet;
  }
  // hotplug_migrate's kthread_bind() to the last CPU, before kthread_run()'s wakeup.
  s.shared.task_cpu_last = p.driver == Driver::kRunCpuDownStop;
  s.shared.offlines_left = p.hotplug;
  s.shared.prod_pc = kProdIdle;
  s.shared.prod_left = p.work;
  for (int c = 0; c < p.cpus; ++c) {
    Cpu& t = s.cpu[c];
    t.pc = kTNew;
    t.task_state = kTaskUninterruptible;
    t.is_per_cpu = p.thread_fn == ThreadFn::kSmpboot;
    t.online = true;
    t.status = kHpNone;
    t.pending = kPendNone;
  }
  return s;
}

std::optional<State> Apply(const Params& p, const State& s, ActionInstance a) {
  ConcreteDomain d;
  State n = s;
  if (a.cpu < 0 || a.cpu >= p.cpus) return std::nullopt;
  if (!Step(Context(p, d), a.action, a.cpu, s.shared, s.cpu[a.cpu], n.shared, n.cpu[a.cpu])) {
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> ViolatedOracle(const Params& p, const State& s, std::string* detail) {
  ConcreteDomain d;
  auto k = Context(p, d);
  for (int i = 0; i < kNumInvariants; ++i) {
    auto id = static_cast<InvariantId>(i);
    // Lemmas are the smpboot proofs' strengthening, stated for that configuration only,
    // in the kernel's CPU order (not for the any-order closure of symmetry.h).
    if (InvariantIsLemma(id) && (p.variant != Variant::kFaithful || !IsSmpboot(p) || p.any_cpu_order))
      continue;
    for (int c = 0; c < p.cpus; ++c) {
      if (Invariant(k, id, c, s.shared, s.cpu[c])) continue;
      if (detail) *detail = std::string(InvariantName(id)) + " fails for cpu" + std::to_string(c);
      return InvariantOracle(id);
    }
  }
  return std::nullopt;
}

// The wait-for chain of a state without successors: who waits, for what, and where the
// thread it waits for sleeps.
std::string DescribeHang(const State& s) {
  const Shared& h = s.shared;
  bool ctl_waits = h.ctl_op != kOpIdle && h.ctl_op != kOpDone;
  int c = ctl_waits ? h.ctl_cpu : h.prod_cpu;
  const Cpu& t = s.cpu[c];
  std::string who = ctl_waits ? std::string("controller (") + CtlOpLabel(h.ctl_op) +
                                    ") blocked in " + CtlSubLabel(h.ctl_sub)
                              : std::string("producer blocked in wakeup_softirqd()");
  std::string why = t.pc == kTDead ? "; it is dead" : "; nobody will wake it";
  return who + " for cpu" + std::to_string(c) + "; its thread is at " + ThreadPcLabel(t.pc) +
         " [" + TaskStateName(t.task_state) + "]" + why;
}

std::optional<std::string> HangOracle(const Params& p, const State& s, std::string* detail) {
  if (ValidEnd(s.shared)) return std::nullopt;
  // Called where no step leads elsewhere: an enabled step then changes nothing, and the
  // run can go on forever, by it alone, without progress.
  std::optional<ActionInstance> spin;
  ForEachStep(p, s, [&](ActionInstance a, const Shared&, const Cpu&) {
    if (!spin) spin = a;
  });
  if (spin) {
    if (detail)
      *detail = PrintAction(*spin) + " spins: it is enabled and changes nothing, and no other "
                "step is (the controller: " + CtlOpLabel(s.shared.ctl_op) + " / " +
                CtlSubLabel(s.shared.ctl_sub) + ")";
    return "livelock";
  }
  if (detail) *detail = DescribeHang(s);
  return "hang";
}

std::uint64_t SmpbootSpec::Fingerprint(const Packed& s) const {
  // splitmix64-style finaliser over both words: full avalanche, so the low bits used by
  // the open-addressing table and the 64-bit fingerprints are both well mixed.
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  std::uint64_t h = 0;
  for (std::uint64_t w : s.w) h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
  return h;
}

}  // namespace kthcheck::model
