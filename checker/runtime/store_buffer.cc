#include "checker/runtime/store_buffer.h"

#include <cstring>

#include "checker/runtime/check.h"

namespace kt::rt {
namespace {

uint64_t Read(const void* addr, unsigned size) {
  uint64_t v = 0;
  std::memcpy(&v, addr, size);
  return v;
}
void Write(void* addr, unsigned size, uint64_t v) { std::memcpy(addr, &v, size); }

}  // namespace

void StoreBuffers::Reset() {
  hidden_.clear();
  for (int c = 0; c < kBufferCpus; ++c) {
    q_[c].clear();
    fence_[c] = 0;
    pushed_[c] = 0;
  }
}

StoreBuffers::Hidden* StoreBuffers::Find(const void* addr) {
  for (Hidden& h : hidden_)
    if (h.addr == addr) return &h;
  return nullptr;
}

const StoreBuffers::Hidden* StoreBuffers::Find(const void* addr) const {
  for (const Hidden& h : hidden_)
    if (h.addr == addr) return &h;
  return nullptr;
}

void StoreBuffers::Store(int cpu, BufferedStore s, bool release) {
  KT_CHECK(Valid(cpu), "a store buffer for a CPU that is not modelled");
  // Coherence: stores to one word drain in program order, so they must share a lane.
  const BufferedStore* prev = Newest(cpu, s.addr);
  KT_CHECK(!prev || prev->lane == s.lane, "two lanes hold stores to one word");
  s.seq = pushed_[cpu];
  s.fence = release ? s.seq : fence_[cpu];
  Hidden* h = Find(s.addr);
  if (!h) h = &hidden_.emplace_back(Hidden{s.addr, Read(s.addr, s.size), 0, 0});
  h->through = s.value;
  ++h->count;
  Write(s.addr, s.size, s.value);
  q_[cpu].push_back(std::move(s));
  ++pushed_[cpu];
}

uint64_t StoreBuffers::Load(int cpu, const void* addr, unsigned size) const {
  uint64_t mask = size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  if (const BufferedStore* own = Newest(cpu, addr)) return own->value & mask;
  if (const Hidden* h = Find(addr)) return h->committed & mask;
  return Read(addr, size);
}

void StoreBuffers::StoreVisible(void* addr, unsigned size, uint64_t value) {
  // Another CPU's buffered store to the word comes later in coherence order: memory
  // keeps what that CPU sees, the others see this value until it drains.
  if (Hidden* h = Find(addr))
    h->committed = value;
  else
    Write(addr, size, value);
}

const BufferedStore* StoreBuffers::Front(int cpu, int lane) const {
  if (!Valid(cpu)) return nullptr;
  for (const BufferedStore& b : q_[cpu])
    if (b.lane == lane) return &b;
  return nullptr;
}

bool StoreBuffers::Drainable(int cpu, int lane) const {
  const BufferedStore* f = Front(cpu, lane);
  return f && q_[cpu].front().seq >= f->fence;
}

BufferedStore StoreBuffers::Drain(int cpu, int lane) {
  KT_CHECK(Drainable(cpu, lane), "drain of a store that may not drain yet");
  auto it = q_[cpu].begin();
  while (it->lane != lane) ++it;
  BufferedStore s = std::move(*it);
  q_[cpu].erase(it);  // buffers are short
  Hidden* h = Find(s.addr);
  KT_CHECK(h, "a buffered store without its word's entry");
  h->committed = s.value;
  if (--h->count == 0) {
    // The last one drained is last in coherence order, unless a plain store of the
    // storing task (program order after it) replaced the written-through value.
    if (Read(s.addr, s.size) == h->through) Write(s.addr, s.size, s.value);
    *h = hidden_.back();
    hidden_.pop_back();
  }
  return s;
}

BufferedStore* StoreBuffers::Newest(int cpu, const void* addr) {
  if (!Valid(cpu)) return nullptr;
  for (size_t i = q_[cpu].size(); i > 0; --i)
    if (q_[cpu][i - 1].addr == addr) return &q_[cpu][i - 1];
  return nullptr;
}

const BufferedStore* StoreBuffers::Newest(int cpu, const void* addr) const {
  return const_cast<StoreBuffers*>(this)->Newest(cpu, addr);
}

}  // namespace kt::rt
