// controlled_tso.cc -- the tso and pso memory models of the controlled runtime: per-CPU
// store buffers (store_buffer.h) whose drains are steps of pseudo-tasks the strategy
// chooses, one FIFO lane per CPU under tso, kPsoLanes under pso.
//
// What waits for the buffer to drain, and why (Documentation/memory-barriers.txt,
// tools/memory-model):
//   smp_mb(), smp_store_mb(), smp_mb__after_spinlock()  full barriers
//   xchg, cmpxchg, test_and_*_bit (and set_bit/clear_bit) locked instructions on TSO
//   spin_unlock                                       RELEASE (stronger here, op.h)
//   schedule() blocking                               __schedule()'s full barrier
//   a wakeup taking effect                            the rq lock the wakee takes next
//   a new task's first step                           wake_up_new_task()'s locks
// spin_lock does not: LKMM promises ACQUIRE only, which TSO gives every load. That is
// why smp_mb__after_spinlock() in try_to_wake_up() still matters under this model,
// though x86's locked acquisition would make it redundant.
//
// pso keeps all of the above and adds what orders stores among themselves
// (memory-barriers.txt, "SMP BARRIER PAIRING"): smp_wmb() orders the stores before it
// before those after it; smp_store_release() waits for every earlier store of its CPU
// (later stores may still pass it); smp_rmb() stays a no-op, loads being in order.
// spin_unlock still drains the whole buffer, which is stronger than RELEASE.
#include <cstring>
#include <string>

#include "checker/runtime/check.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::rt {
namespace {

// Lane 0 keeps tso's names; pso's lane l > 0 of CPU c is "store_buffer/c.l".
const char* const kBufferNames[kMaxLanes][kBufferCpus] = {
    {"store_buffer/0", "store_buffer/1", "store_buffer/2", "store_buffer/3"},
    {"store_buffer/0.1", "store_buffer/1.1", "store_buffer/2.1", "store_buffer/3.1"},
    {"store_buffer/0.2", "store_buffer/1.2", "store_buffer/2.2", "store_buffer/3.2"}};

}  // namespace

void ControlledSys::ResetBuffers() {
  first_drainer_ = tso_ ? DrainerId(0, lanes_ - 1) : kMaxTasks;
  if (!tso_) return;
  buffers_.Reset();
  for (int l = 0; l < lanes_; ++l)
    for (int c = 0; c < kBufferCpus; ++c) {
      Task& d = tasks_[DrainerId(c, l)];
      d = Task{};
      d.name = kBufferNames[l][c];
      d.cpu = c;
      d.op.kind = OpKind::kDrain;
    }
}

bool ControlledSys::TsoEnabled(int i, uint32_t* cpu_blocked) const {
  const Task& t = tasks_[i];
  if (t.op.drain_first && !buffers_.Empty(t.cpu)) return false;
  if (t.op.kind == OpKind::kStart && t.start_cpu >= 0 &&
      !buffers_.DrainedBefore(t.start_cpu, t.start_mark))
    return false;
  // A switch on this CPU would run __schedule()'s barrier first (store_buffer.h).
  TaskId owner = buffers_.Owner(t.cpu);
  if (owner != kNoTask && owner != i) {
    *cpu_blocked |= 1u << i;
    return false;
  }
  return true;
}

uint32_t ControlledSys::EnabledDrainers() const {
  uint32_t en = 0;
  for (int l = 0; l < lanes_; ++l)
    for (int c = 0; c < kBufferCpus; ++c)
      if (buffers_.Drainable(c, l)) en |= 1u << DrainerId(c, l);
  return en;
}

// Each lane's pending operation is the write of its oldest store. A drain that a barrier
// holds behind other lanes' stores is enabled by their drains, which touch other words:
// no dependence orders them, and none is needed. The held drain is never enabled before
// them, so it is never in a sleep set or a backtrack set there; a happens-before edge
// missing from it can only add races (more exploration) or make it look like an
// initial where it is not enabled (dpor.cc HandleRace drops those). pso_test's
// generated programs with smp_wmb() and release stores compare DPOR with DFS.
void ControlledSys::RefreshDrainer(int cpu) {
  for (int l = 0; l < lanes_; ++l) {
    Task& d = tasks_[DrainerId(cpu, l)];
    d.op.nacc = 0;
    const BufferedStore* f = buffers_.Front(cpu, l);
    if (!f) continue;
    d.op.Add(reinterpret_cast<uintptr_t>(f->addr), true);
    d.op.fn = f->fn;
    d.op.what = f->what;
    d.op.value = f->value;
    d.parent_step = f->step;
  }
}

// pso: a task's words take lanes in turn, in the order of their first store since the
// task last waited for an empty buffer (a full barrier, an RMW, an unlock, a sleep, a
// wakeup). So two stores to one word share a lane (coherence), kPsoLanes consecutive
// distinct words never do, and the choice depends only on the task's own program: the
// lane pseudo-tasks replay the same operations in every execution with that program
// order, as the search requires of a task. (The next word shares the first one's lane
// and stays behind it: the model is PSO for kPsoLanes words in flight per task.)
int ControlledSys::LaneFor(const void* addr) {
  if (!pso_) return 0;
  std::vector<const void*>& w = Cur().lane_words;
  size_t i = 0;
  while (i < w.size() && w[i] != addr) ++i;
  if (i == w.size()) w.push_back(addr);
  return static_cast<int>(i % lanes_);
}

void ControlledSys::Drain(TaskId drainer, uint32_t enabled, uint32_t cpu_blocked) {
  int cpu = DrainerCpu(drainer);
  RecordStep(drainer, enabled, cpu_blocked);
  BufferedStore b = buffers_.Drain(cpu, DrainerLane(drainer));
  if (options_.trace && !result_.trace.empty()) {
    std::string text = "drained to memory: " + Lhs(b.addr, b.what, b.value) + " (buffered by " +
                       tasks_[b.task].name + " at step " + std::to_string(b.step) + ")";
    if (!b.readers.empty()) text += ", after " + b.readers + " read the old value";
    result_.trace.back().text = text;
    result_.trace.back().stored_by = b.task;
  }
  RefreshDrainer(cpu);
}

uint64_t ControlledSys::TsoLoad(const void* addr, unsigned size) {
  int cpu = tasks_[cur_].cpu;
  bool traced = options_.trace && !Direct();
  uint64_t v = buffers_.Load(cpu, addr, size);
  if (!traced) return v;
  if (buffers_.Newest(cpu, addr)) {
    TraceBuffered(cpu, addr, v, "forwarded from");
    return v;
  }
  TraceValue(addr, v);
  // Another CPU's buffered store to this word is not visible yet: say so at its drain.
  std::string who = std::string(Cur().name) + " (step " +
                    std::to_string(static_cast<int>(result_.steps.size()) - 1) + ")";
  for (int c = 0; c < kBufferCpus; ++c) {
    if (c == cpu) continue;
    if (BufferedStore* b = buffers_.Newest(c, addr)) {
      b->readers += (b->readers.empty() ? "" : ", ") + who;
      Note("not yet visible: " + Lhs(addr, b->what, b->value) + " in CPU" +
           std::to_string(c) + "'s store buffer");
    }
  }
  return v;
}

// "T->__state = TASK_INTERRUPTIBLE, buffered on CPU1" or
// "d->pending -> 1, forwarded from CPU1's store buffer".
void ControlledSys::TraceBuffered(int cpu, const void* addr, uint64_t value, const char* how) {
  if (result_.trace.empty()) return;
  const Op& op = Cur().op;
  std::string text = Lhs(addr, op.what, value);
  if (op.kind == OpKind::kLoad) {
    size_t eq = text.find(" = ");
    if (eq != std::string::npos) text.replace(eq, 3, " -> ");
    text += std::string(", ") + how + " CPU" + std::to_string(cpu) + "'s store buffer";
  } else {
    text += ", " + std::string(how) + " on CPU" + std::to_string(cpu);
  }
  std::string& t = result_.trace.back().text;
  t = t.empty() ? text : text + "; " + t;
}

// "lhs = value", named by the program's formatter as TraceValue() does.
std::string ControlledSys::Lhs(const void* addr, const char* what, uint64_t value) const {
  std::string lhs, v;
  if (options_.format_value) options_.format_value(addr, what, value, &lhs, &v);
  if (lhs.empty()) lhs = what;
  if (v.empty())
    v = value > 0xffffffffu ? "(pointer)" : std::to_string(static_cast<long long>(value));
  return lhs + " = " + v;
}

}  // namespace kt::rt
