// store_buffer.h -- the per-CPU store buffers of the tso and pso memory models.
//
// Buffers are per CPU, as in hardware (x86-TSO: Sewell et al., CACM 2010). A store that
// is not a full barrier is appended to its CPU's buffer; loads of that CPU read the
// newest buffered value of their address first (forwarding); other CPUs see the store
// only when the buffer drains it to memory.
//
// Lanes. Under tso a CPU's buffer is one FIFO lane: stores drain oldest first. Under pso
// (SPARC's partial store order) stores to different words may drain out of order, to
// the same word never (coherence). A buffer then has kPsoLanes lanes, each a FIFO; the
// storing CPU puts a store in the lane of its word (`lane`, chosen by the runtime, see
// controlled_tso.cc), so two stores to one word always share a lane. Store->store order
// across lanes is kept only where a barrier asks for it: each store carries `fence`, the
// sequence number below which every store of its CPU must have drained before it may
// (smp_wmb() raises it for later stores; a release store waits for all earlier ones).
//
// Draining is a scheduling choice: each lane of each CPU's buffer is a pseudo-task (ids
// from kMaxTasks down, controlled_sys.h DrainerId) that is enabled while its oldest store
// may drain, and whose one step writes that store to memory. That step is the store's
// visible write, so the search's dependence (op.h) and race reversal see it and nothing
// else.
//
// Write-through: the port also reads and writes some words with plain C accesses that
// bypass the seam (list pointers next to a WRITE_ONCE of the same node, data-race free
// by locking). They must see their own CPU's buffered stores. So a buffered store is
// written to memory at once, as the storing CPU sees it, and the buffers keep per word
// the value the other CPUs still see (`committed`) until the last buffered store to it
// drains. Seam loads of other CPUs read that value; plain reads are never racy.
//
// A task switch on a CPU goes through __schedule(), whose smp_mb__after_spinlock()
// drains the buffer. The runtime lets another task of the same CPU run at any
// scheduling point (a preemption) without running __schedule(), so it enforces that
// drain instead: while a CPU's buffer holds stores, the other tasks of that CPU wait
// (like tasks behind a preempt-disabled region) until it is empty. A buffer therefore
// holds the stores of one task at a time, which is why per-task and per-CPU buffers
// would give the same executions here.
#ifndef KTHCHECK_CHECKER_RUNTIME_STORE_BUFFER_H_
#define KTHCHECK_CHECKER_RUNTIME_STORE_BUFFER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "impl/platform/seam.h"

namespace kt::rt {

inline constexpr int kBufferCpus = 4;  // NR_CPUS of the port
// pso: FIFO lanes per CPU. Any three distinct words a task stores in a row between full
// barriers may drain in any order (controlled_tso.cc LaneFor). Each lane takes
// kBufferCpus task ids (controlled_sys.h): three leave 20 for tasks.
inline constexpr int kPsoLanes = 3;
inline constexpr int kMaxLanes = kPsoLanes;

struct BufferedStore {
  void* addr = nullptr;
  unsigned size = 0;
  uint64_t value = 0;
  TaskId task = kNoTask;  // the task that stored it
  int32_t step = -1;      // the step that buffered it
  const char* fn = "";
  const char* what = "";
  std::string readers;    // tracing: other tasks' loads of the old value while buffered
  int lane = 0;           // pso: its FIFO lane; always 0 under tso
  uint64_t seq = 0;       // its CPU's count of stores pushed before it
  uint64_t fence = 0;     // it may drain once every store of its CPU with seq < fence has
};

class StoreBuffers {
 public:
  void Reset();
  // A plain, ONCE or release store by `cpu`: buffered, and written through. `release`:
  // it may drain only after every earlier store of the CPU (smp_store_release()).
  void Store(int cpu, BufferedStore s, bool release = false);
  // smp_wmb() on `cpu`: the stores it buffers from now on drain after those before.
  void Wmb(int cpu) { if (Valid(cpu)) fence_[cpu] = pushed_[cpu]; }
  // What a seam load on `cpu` reads: its own newest buffered value, else the value other
  // CPUs' buffers hide, else memory.
  uint64_t Load(int cpu, const void* addr, unsigned size) const;
  // A store that is visible to every CPU at once (a full barrier's, an RMW's); its CPU's
  // buffer is empty.
  void StoreVisible(void* addr, unsigned size, uint64_t value);
  // Drains the oldest store of `lane` on `cpu`: other CPUs see it from now on.
  BufferedStore Drain(int cpu, int lane);
  // A CPU outside the modelled ones (a task not yet placed) has no buffer: empty.
  bool Empty(int cpu) const { return !Valid(cpu) || q_[cpu].empty(); }
  static bool Valid(int cpu) { return cpu >= 0 && cpu < kBufferCpus; }
  // The oldest store of `lane` on `cpu`, or null if the lane is empty.
  const BufferedStore* Front(int cpu, int lane) const;
  // The lane's oldest store exists and its fence allows it to drain now.
  bool Drainable(int cpu, int lane) const;
  // Every store that `cpu` pushed before its `mark`-th has drained.
  bool DrainedBefore(int cpu, uint64_t mark) const {
    return Empty(cpu) || q_[cpu].front().seq >= mark;
  }
  // The task whose stores the buffer holds, or kNoTask if it is empty.
  TaskId Owner(int cpu) const { return Empty(cpu) ? kNoTask : q_[cpu].back().task; }
  // The newest buffered store to `addr` on `cpu`, or null: what a load there forwards.
  BufferedStore* Newest(int cpu, const void* addr);
  const BufferedStore* Newest(int cpu, const void* addr) const;
  // The count of stores ever pushed on `cpu` in this execution.
  uint64_t Pushed(int cpu) const { return Valid(cpu) ? pushed_[cpu] : 0; }

 private:
  struct Hidden {  // a word with buffered stores
    void* addr;
    uint64_t committed;  // what CPUs without a buffered store to it read
    uint64_t through;    // what the last buffered store wrote through
    int count;           // its buffered stores, over all CPUs
  };
  Hidden* Find(const void* addr);
  const Hidden* Find(const void* addr) const;

  std::vector<Hidden> hidden_;
  std::vector<BufferedStore> q_[kBufferCpus];  // in program order, drained ones removed
  uint64_t fence_[kBufferCpus] = {};            // the last smp_wmb()'s mark
  uint64_t pushed_[kBufferCpus] = {};
};

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_STORE_BUFFER_H_
