// arena.h -- kmalloc's backing store: a bump allocator reset between executions.
//
// The checker re-runs a scenario from scratch for every execution. Allocating kernel
// objects from one arena that is reset to the same base each time gives every object
// the same address in every execution that follows the same schedule prefix, which the
// partial-order reduction relies on (an address is an object's identity). Nothing is
// freed individually; kfree is a no-op until the next reset.
#ifndef KTHCHECK_IMPL_PLATFORM_ARENA_H_
#define KTHCHECK_IMPL_PLATFORM_ARENA_H_

#include <cstddef>
#include <new>
#include <utility>

namespace kt {

// Returns zeroed, 16-byte aligned memory. Aborts (internal bug) when the arena is full.
void* ArenaAlloc(size_t size);
// The offset of `p` in the arena, or -1 if it is not arena memory. Offsets repeat from one
// execution to the next (traces print them instead of addresses).
long ArenaOffset(const void* p);
// Forgets every allocation. Only call when no task is running.
void ArenaReset();

template <typename T, typename... Args>
T* ArenaNew(Args&&... args) {
  return new (ArenaAlloc(sizeof(T))) T(std::forward<Args>(args)...);
}

}  // namespace kt

#endif  // KTHCHECK_IMPL_PLATFORM_ARENA_H_
