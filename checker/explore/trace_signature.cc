// trace_signature.cc -- see trace_signature.h.
#include "checker/explore/trace_signature.h"

#include <algorithm>

namespace kt::explore {
namespace {

// A CPU as an object: regions that close it write it, every other step on it reads it.
// Kernel objects live in the arena, far above these small numbers, as PermitObj's do.
uintptr_t CpuObj(int cpu) { return 0x80 + static_cast<uintptr_t>(cpu); }

uint64_t Mix(uint64_t h) {
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return h;
}

}  // namespace

uint64_t TraceSignature::Of(const std::vector<rt::StepRecord>& steps, bool cpu_regions) {
  const int n = static_cast<int>(steps.size());
  clocks_.resize(n);
  last_.clear();
  int32_t last_of[rt::kMaxTasks];
  std::fill(last_of, last_of + rt::kMaxTasks, -1);
  auto join = [&](Clock& c, int i) {
    for (int u = 0; u < rt::kMaxTasks; ++u) c[u] = std::max(c[u], clocks_[i][u]);
  };
  uint64_t sig = 0;
  for (int j = 0; j < n; ++j) {
    const rt::StepRecord& s = steps[j];
    const TaskId q = s.task;
    Clock c{};
    if (last_of[q] >= 0) c = clocks_[last_of[q]];
    if (s.parent_step >= 0) join(c, s.parent_step);  // spawn, or the store a drain writes
    if (s.global_sync)
      for (int t = 0; t < rt::kMaxTasks; ++t)
        if (last_of[t] >= 0) join(c, last_of[t]);
    struct {
      uintptr_t obj;
      bool write;
    } acc[rt::kMaxAccesses + 1];
    int nacc = 0;
    for (int a = 0; a < s.nacc; ++a)
      acc[nacc++] = {s.acc[a].obj, s.acc[a].write || (s.kind == rt::OpKind::kLock && a == 0)};
    if (cpu_regions && s.cpu >= 0) acc[nacc++] = {CpuObj(s.cpu), s.closes_cpu};
    for (int a = 0; a < nacc; ++a) {
      auto [it, fresh] = last_.try_emplace(acc[a].obj);
      if (fresh) {
        it->second.read.fill(-1);
        it->second.write.fill(-1);
      }
      Last& l = it->second;
      for (int p = 0; p < rt::kMaxTasks; ++p) {
        if (p == q) continue;
        if (l.write[p] >= 0) join(c, l.write[p]);
        if (acc[a].write && l.read[p] >= 0) join(c, l.read[p]);
      }
    }
    c[q] = last_of[q] >= 0 ? clocks_[last_of[q]][q] + 1 : 1;
    clocks_[j] = c;
    for (int a = 0; a < nacc; ++a) {
      Last& l = last_[acc[a].obj];
      (acc[a].write ? l.write : l.read)[q] = j;
    }
    last_of[q] = j;
    // Steps are a set: combine their hashes in no order. A step's clock names it (its own
    // task's entry is its index there), so equal clocks mean the same step.
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t v : c) h = (h ^ v) * 0x100000001b3ULL;
    sig ^= Mix(h);
  }
  return sig;
}

}  // namespace kt::explore
