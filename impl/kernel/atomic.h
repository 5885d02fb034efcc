// atomic.h -- READ_ONCE/WRITE_ONCE, barriers, xchg/cmpxchg and atomic bitops over the seam.
//
// Each helper names the kernel ordering it has (include/asm-generic/barrier.h,
// Documentation/atomic_bitops.txt): set_bit/clear_bit/test_bit imply no barrier;
// value-returning atomics (xchg, cmpxchg, test_and_set_bit) are fully ordered.
// Macros keep the kernel's spelling (READ_ONCE(x)) and pass the expression text and
// the calling function to the seam, so traces read like the source.
#ifndef KTHCHECK_IMPL_KERNEL_ATOMIC_H_
#define KTHCHECK_IMPL_KERNEL_ATOMIC_H_

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "impl/platform/seam.h"

namespace kt {

template <typename T>
uint64_t ToWord(T v) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>);
  uint64_t w = 0;
  std::memcpy(&w, &v, sizeof(T));
  return w;
}
template <typename T>
T FromWord(uint64_t w) {
  T v;
  std::memcpy(&v, &w, sizeof(T));
  return v;
}

template <typename T>
T kt_load(const T* p, Order o, const char* fn, const char* what) {
  return FromWord<T>(sys().Load(p, sizeof(T), o, fn, what));
}
template <typename T, typename V>
void kt_store(T* p, V v, Order o, const char* fn, const char* what) {
  sys().Store(p, sizeof(T), ToWord<T>(static_cast<T>(v)), o, fn, what);
}
template <typename T, typename V>
T kt_rmw(T* p, Rmw op, V arg, T expected, Order o, const char* fn, const char* what) {
  return FromWord<T>(
      sys().ReadModifyWrite(p, sizeof(T), op, ToWord<T>(static_cast<T>(arg)),
                            ToWord<T>(expected), o, fn, what));
}

// kt_peek(): a racy read of a word whose tested bits never change after creation
// (PF_KTHREAD in task->flags). Not a scheduling point, and atomic so that the
// real-threads backend under ThreadSanitizer sees no data race.
#define kt_peek(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

#define READ_ONCE(x) ::kt::kt_load(&(x), ::kt::Order::kOnce, __func__, #x)
#define WRITE_ONCE(x, v) ::kt::kt_store(&(x), (v), ::kt::Order::kOnce, __func__, #x)
#define smp_load_acquire(p) ::kt::kt_load((p), ::kt::Order::kAcquire, __func__, #p)
#define smp_store_release(p, v) ::kt::kt_store((p), (v), ::kt::Order::kRelease, __func__, #p)
// smp_store_mb(): WRITE_ONCE followed by smp_mb(), one seam operation.
#define smp_store_mb(x, v) ::kt::kt_store(&(x), (v), ::kt::Order::kFull, __func__, #x)
#define smp_mb() ::kt::sys().Fence(::kt::Order::kFull, __func__)
#define smp_rmb() ::kt::sys().Fence(::kt::Order::kAcquire, __func__)
#define smp_wmb() ::kt::sys().Fence(::kt::Order::kRelease, __func__)
// The full barrier after taking a spinlock that try_to_wake_up and __schedule need.
#define smp_mb__after_spinlock() ::kt::sys().Fence(::kt::Order::kFull, __func__)
#define xchg(p, v) \
  ::kt::kt_rmw((p), ::kt::Rmw::kXchg, (v), std::remove_reference_t<decltype(*(p))>{}, \
               ::kt::Order::kFull, __func__, #p)

// Atomic bitops on an unsigned long word (include/asm-generic/bitops/atomic.h).
inline void set_bit(long nr, unsigned long* addr, const char* fn = __builtin_FUNCTION()) {
  kt_rmw(addr, Rmw::kFetchOr, 1UL << nr, 0UL, Order::kOnce, fn, "set_bit");
}
inline void clear_bit(long nr, unsigned long* addr, const char* fn = __builtin_FUNCTION()) {
  kt_rmw(addr, Rmw::kFetchAndNot, 1UL << nr, 0UL, Order::kOnce, fn, "clear_bit");
}
inline bool test_bit(long nr, const unsigned long* addr, const char* fn = __builtin_FUNCTION()) {
  return (kt_load(addr, Order::kOnce, fn, "test_bit") >> nr) & 1;
}
inline bool test_and_set_bit(long nr, unsigned long* addr,
                             const char* fn = __builtin_FUNCTION()) {
  return (kt_rmw(addr, Rmw::kFetchOr, 1UL << nr, 0UL, Order::kFull, fn, "test_and_set_bit") >>
          nr) & 1;
}
inline bool test_and_clear_bit(long nr, unsigned long* addr,
                               const char* fn = __builtin_FUNCTION()) {
  return (kt_rmw(addr, Rmw::kFetchAndNot, 1UL << nr, 0UL, Order::kFull, fn,
                 "test_and_clear_bit") >> nr) & 1;
}

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_ATOMIC_H_
