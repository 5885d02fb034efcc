// memory_model.h -- which memory model the controlled runtime gives the port.
//
//   sc   sequential consistency: every store is visible at once (the default).
//   tso  each CPU has a FIFO store buffer (store_buffer.h): a plain, ONCE or release
//        store waits there until the buffer drains it, which is a scheduling choice of
//        its own; loads forward from their CPU's buffer. Full barriers, value-returning
//        atomics, unlock, schedule() and wakeups wait for the buffer to drain. Lock
//        acquisition does not: the kernel promises only ACQUIRE for spin_lock
//        (tools/memory-model), so smp_mb__after_spinlock() keeps its meaning.
//   pso  tso, and stores to different words may also become visible out of program
//        order (per-word FIFO lanes, store_buffer.h): store->store order holds only
//        where smp_wmb(), a release store (after all earlier stores), or anything that
//        drains the buffer under tso asks for it. Loads stay in order (smp_rmb() is a
//        no-op under both), as on SPARC PSO.
#ifndef KTHCHECK_CHECKER_RUNTIME_MEMORY_MODEL_H_
#define KTHCHECK_CHECKER_RUNTIME_MEMORY_MODEL_H_

#include <optional>
#include <string_view>

namespace kt::rt {

enum class MemoryModel : unsigned char { kSc, kTso, kPso };

inline const char* MemoryModelName(MemoryModel m) {
  return m == MemoryModel::kTso ? "tso" : m == MemoryModel::kPso ? "pso" : "sc";
}

inline std::optional<MemoryModel> ParseMemoryModel(std::string_view s) {
  if (s == "sc") return MemoryModel::kSc;
  if (s == "tso") return MemoryModel::kTso;
  if (s == "pso") return MemoryModel::kPso;
  return std::nullopt;
}

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_MEMORY_MODEL_H_
