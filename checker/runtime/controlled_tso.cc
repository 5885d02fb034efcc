// controlled_tso.cc -- the tso memory model of the controlled runtime: per-CPU store
// buffers (store_buffer.h) whose drains are steps of pseudo-tasks the strategy chooses.
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
#include <cstring>
#include <string>

#include "checker/runtime/check.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::rt {
namespace {

const char* const kBufferNames[kBufferCpus] = {"store_buffer/0", "store_buffer/1",
                                               "store_buffer/2", "store_buffer/3"};

}  // namespace

void ControlledSys::ResetBuffers() {
  if (!tso_) return;
  buffers_.Reset();
  for (int c = 0; c < kBufferCpus; ++c) {
    Task& d = tasks_[kFirstDrainer + c];
    d = Task{};
    d.name = kBufferNames[c];
    d.cpu = c;
    d.op.kind = OpKind::kDrain;
  }
}

bool ControlledSys::TsoEnabled(int i, uint32_t* cpu_blocked) const {
  const Task& t = tasks_[i];
  if (t.op.drain_first && !buffers_.Empty(t.cpu)) return false;
  if (t.op.kind == OpKind::kStart && t.start_cpu >= 0 &&
      buffers_.Drained(t.start_cpu) < t.start_mark)
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
  for (int c = 0; c < kBufferCpus; ++c)
    if (!buffers_.Empty(c)) en |= 1u << (kFirstDrainer + c);
  return en;
}

// The drainer's pending operation is the write of the oldest buffered store.
void ControlledSys::RefreshDrainer(int cpu) {
  Task& d = tasks_[kFirstDrainer + cpu];
  d.op.nacc = 0;
  if (buffers_.Empty(cpu)) return;
  const BufferedStore& f = buffers_.Front(cpu);
  d.op.Add(reinterpret_cast<uintptr_t>(f.addr), true);
  d.op.fn = f.fn;
  d.op.what = f.what;
  d.op.value = f.value;
  d.parent_step = f.step;
}

void ControlledSys::Drain(TaskId drainer, uint32_t enabled, uint32_t cpu_blocked) {
  int cpu = drainer - kFirstDrainer;
  RecordStep(drainer, enabled, cpu_blocked);
  BufferedStore b = buffers_.Drain(cpu);
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
