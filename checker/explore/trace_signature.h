// trace_signature.h -- which Mazurkiewicz trace an execution belongs to, as a 64-bit hash,
// so that a search can count the distinct traces among the executions it ran
// (`check --count-traces`, bench/trace_ratio.sh).
//
// Two executions are the same trace when one is the other with adjacent independent steps
// swapped. Equivalently, every step (task, index) has the same happens-before
// predecessors in both: the signature hashes each step's vector clock. Dependence here is
// the classic one, with enabling included:
// - two steps of different tasks are dependent if they access one object and one of them
//   writes it (a lock acquisition counts as a write of the lock);
// - a step that starts a region closing its CPU (preempt_disable(), a spinlock, irqs off,
//   a hard irq's start: StepRecord::closes_cpu) disables the CPU's other tasks, so it is
//   dependent with every step of another task on that CPU: whether that step ran before
//   the region or after it are two traces;
// - a task's first step follows its creator's spawn; a drain follows its store's step; a
//   timer that fires at idle follows everything before it.
// This is the classic dependence (independent steps neither enable nor disable each
// other). Two counts come from it:
// - Of(steps): executions that are equal up to such reorderings. A search whose executions
//   all differ here never repeats itself.
// - Of(steps, /*cpu_regions=*/false): the coarser signature of memory order alone. Two
//   executions it merges read the same values and reach the same state, so a search that
//   covers every reachable state needs one execution per memory trace, and executions per
//   memory trace is what the search spends beyond that (bench/trace_ratio.sh). DPOR's own
//   race analysis sees only memory; dpor.cc leaves the CPU regions to its sleep-set rules.
#ifndef KTHCHECK_CHECKER_EXPLORE_TRACE_SIGNATURE_H_
#define KTHCHECK_CHECKER_EXPLORE_TRACE_SIGNATURE_H_

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "checker/runtime/controlled_sys.h"
#include "checker/runtime/run_result.h"

namespace kt::explore {

class TraceSignature {
 public:
  uint64_t Of(const std::vector<rt::StepRecord>& steps, bool cpu_regions = true);

 private:
  using Clock = std::array<uint32_t, rt::kMaxTasks>;
  struct Last {  // per object: the last step of each task that read / wrote it
    std::array<int32_t, rt::kMaxTasks> read, write;
  };
  std::vector<Clock> clocks_;  // scratch, reused
  std::unordered_map<uintptr_t, Last> last_;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_TRACE_SIGNATURE_H_
