// err.h -- ERR_PTR / IS_ERR / PTR_ERR (include/linux/err.h).
#ifndef KTHCHECK_IMPL_KERNEL_ERR_H_
#define KTHCHECK_IMPL_KERNEL_ERR_H_

#include <cerrno>  // EINTR, EBUSY, ENOSYS: Linux's user-space values equal the kernel's
#include <cstdint>

namespace kt {

inline constexpr unsigned long MAX_ERRNO = 4095;

template <typename T>
T* ERR_PTR(long error) {
  return reinterpret_cast<T*>(static_cast<intptr_t>(error));
}
inline bool IS_ERR(const void* p) {
  return reinterpret_cast<uintptr_t>(p) >= static_cast<uintptr_t>(-MAX_ERRNO);
}
inline long PTR_ERR(const void* p) { return static_cast<long>(reinterpret_cast<intptr_t>(p)); }

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_ERR_H_
