#include "impl/platform/arena.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kt {
namespace {

constexpr size_t kArenaBytes = size_t{8} << 20;
alignas(64) unsigned char g_arena[kArenaBytes];
// Atomic because the real-threads backend allocates from several threads at once.
std::atomic<size_t> g_used{0};

}  // namespace

void* ArenaAlloc(size_t size) {
  size = (size + 15) & ~size_t{15};
  size_t at = g_used.fetch_add(size, std::memory_order_relaxed);
  if (at + size > kArenaBytes) {
    std::fprintf(stderr, "[internal bug] arena.cc: kernel arena exhausted (%zu bytes)\n",
                 kArenaBytes);
    std::abort();
  }
  std::memset(g_arena + at, 0, size);
  return g_arena + at;
}

long ArenaOffset(const void* p) {
  auto* c = static_cast<const unsigned char*>(p);
  return c >= g_arena && c < g_arena + kArenaBytes ? static_cast<long>(c - g_arena) : -1;
}

void ArenaReset() { g_used.store(0, std::memory_order_relaxed); }

}  // namespace kt
