// spinlock.h -- raw_spinlock_t over the seam (include/linux/spinlock.h).
//
// Taking a spinlock disables preemption (the seam's Lock does it), so no other task on
// the holder's CPU runs inside the critical section. The _irq/_irqsave forms also
// disable interrupts first (the seam's IrqDisable), so no hard interrupt handler
// (irq.h) starts on the CPU while the lock is held -- or while it is being waited for.
// A timer's wakeup is not an interrupt here: it runs as a step of the sleeper (sched.cc).
#ifndef KTHCHECK_IMPL_KERNEL_SPINLOCK_H_
#define KTHCHECK_IMPL_KERNEL_SPINLOCK_H_

#include "impl/platform/seam.h"

namespace kt {

struct raw_spinlock_t {
  LockWord word;
};
using spinlock_t = raw_spinlock_t;

inline void raw_spin_lock_init(raw_spinlock_t* l) { l->word = LockWord{}; }
inline void spin_lock_init(spinlock_t* l) { raw_spin_lock_init(l); }

inline void raw_spin_lock(raw_spinlock_t* l, const char* fn = __builtin_FUNCTION()) {
  sys().Lock(&l->word, fn, "spin_lock");
}
inline void raw_spin_unlock(raw_spinlock_t* l, const char* fn = __builtin_FUNCTION()) {
  sys().Unlock(&l->word, fn, "spin_unlock");
}
inline void raw_spin_lock_irq(raw_spinlock_t* l, const char* fn = __builtin_FUNCTION()) {
  sys().IrqDisable();
  raw_spin_lock(l, fn);
}
inline void raw_spin_unlock_irq(raw_spinlock_t* l, const char* fn = __builtin_FUNCTION()) {
  raw_spin_unlock(l, fn);
  sys().IrqEnable();
}
// `flags` is kept for transcription; the seam's interrupt state nests instead.
#define raw_spin_lock_irqsave(l, flags) ((void)(flags), ::kt::raw_spin_lock_irq((l), __func__))
#define raw_spin_unlock_irqrestore(l, flags) \
  ((void)(flags), ::kt::raw_spin_unlock_irq((l), __func__))
#define spin_lock(l) ::kt::raw_spin_lock((l), __func__)
#define spin_unlock(l) ::kt::raw_spin_unlock((l), __func__)
#define spin_lock_irq(l) ::kt::raw_spin_lock_irq((l), __func__)
#define spin_unlock_irq(l) ::kt::raw_spin_unlock_irq((l), __func__)

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_SPINLOCK_H_
