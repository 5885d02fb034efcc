// controlled_seam.cc -- the seam operations of the controlled runtime (seam.h): each
// announces its operation and its accesses, yields to the strategy (a scheduling point),
// then acts on memory, under sc directly and under tso through the CPU's store buffer
// (controlled_tso.cc). The scheduling machinery is in controlled_sys.cc.
#include <cstdio>
#include <cstring>
#include <string>

#include "checker/runtime/check.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::rt {
namespace {

uint64_t RawLoad(const void* addr, unsigned size) {
  uint64_t v = 0;
  std::memcpy(&v, addr, size);
  return v;
}
void RawStore(void* addr, unsigned size, uint64_t v) { std::memcpy(addr, &v, size); }

uint64_t ApplyRmw(Rmw op, uint64_t old, uint64_t arg, uint64_t expected, bool* store) {
  *store = true;
  switch (op) {
    case Rmw::kXchg: return arg;
    case Rmw::kCmpxchg: *store = old == expected; return arg;
    case Rmw::kFetchOr: return old | arg;
    case Rmw::kFetchAndNot: return old & ~arg;
    case Rmw::kFetchAdd: return old + arg;
  }
  return old;
}

}  // namespace

// --- Seam operations ------------------------------------------------------------------

uint64_t ControlledSys::Load(const void* addr, unsigned size, Order, const char* fn,
                             const char* what) {
  if (Direct()) return tso_ && cur_ != kNoTask ? TsoLoad(addr, size) : RawLoad(addr, size);
  Announce(OpKind::kLoad, fn, what);
  Cur().op.Add(reinterpret_cast<uintptr_t>(addr), false);
  Yield();
  uint64_t v = tso_ ? TsoLoad(addr, size) : RawLoad(addr, size);
  if (options_.trace && !tso_) TraceValue(addr, v);
  return v;
}

void ControlledSys::Store(void* addr, unsigned size, uint64_t value, Order order, const char* fn,
                          const char* what) {
  if (Direct()) return RawStore(addr, size, value);
  Announce(OpKind::kStore, fn, what);
  Cur().op.value = value;
  if (tso_ && order != Order::kFull) {  // into the store buffer: no shared access yet
    Cur().op.buffered = true;
    Yield();
    Task& t = Cur();
    BufferedStore b{addr, size, value, cur_, static_cast<int32_t>(result_.steps.size()) - 1,
                    fn, what, {}};
    b.lane = LaneFor(addr);
    // pso: a release store becomes visible after every earlier store of its CPU.
    buffers_.Store(t.cpu, std::move(b), pso_ && order == Order::kRelease);
    RefreshDrainer(t.cpu);
    if (options_.trace && !result_.trace.empty()) {
      TraceBuffered(t.cpu, addr, value, "buffered");
      result_.trace.back().buffered = true;
    }
    return;
  }
  // smp_store_mb() under tso: xchg on x86, it waits for the buffer and writes memory.
  Cur().op.drain_first = tso_;
  Cur().op.Add(reinterpret_cast<uintptr_t>(addr), true);
  Yield();
  if (tso_)
    buffers_.StoreVisible(addr, size, value);
  else
    RawStore(addr, size, value);
  if (options_.trace) TraceValue(addr, value);
}

uint64_t ControlledSys::ReadModifyWrite(void* addr, unsigned size, Rmw op, uint64_t arg,
                                        uint64_t expected, Order, const char* fn,
                                        const char* what) {
  bool store = false;
  if (!Direct()) {
    Announce(OpKind::kRmw, fn, what);
    Cur().op.Add(reinterpret_cast<uintptr_t>(addr), true);
    // Every atomic RMW is a locked instruction under TSO: the buffer drains first. (The
    // kernel orders only the value-returning ones; set_bit/clear_bit get more here.)
    Cur().op.drain_first = tso_;
    Yield();
  }
  bool tso = tso_ && cur_ != kNoTask;
  uint64_t old = tso ? buffers_.Load(Cur().cpu, addr, size) : RawLoad(addr, size);
  uint64_t v = ApplyRmw(op, old, arg, expected, &store);
  if (store && tso)
    buffers_.StoreVisible(addr, size, v);
  else if (store)
    RawStore(addr, size, v);
  if (options_.trace && !Direct()) TraceValue(addr, store ? v : old);
  return old;
}

// Sequential consistency: a fence orders nothing that is not already ordered. Under tso
// only a full barrier orders anything (TSO keeps loads and stores in order otherwise):
// it waits until its CPU's buffer is empty, and is no step at all if it already is.
// Under pso smp_wmb() (kRelease) also orders: the stores buffered after it drain after
// those before it. That touches only the CPU's own buffer, so it is no step either.
void ControlledSys::Fence(Order order, const char* fn) {
  if (pso_ && order == Order::kRelease && !Direct()) buffers_.Wmb(Cur().cpu);
  if (!tso_ || order != Order::kFull || Direct() || buffers_.Empty(Cur().cpu)) return;
  Announce(OpKind::kFence, fn, "smp_mb()");
  Cur().op.drain_first = true;
  Yield();
}

void ControlledSys::SpinUntil(const std::function<bool()>& pred, const void* const* watch,
                              int nwatch, const char* fn, const char* what) {
  if (Direct()) {
    KT_CHECK(pred(), "a spin outside any task would never end");
    return;
  }
  Announce(OpKind::kSpin, fn, what);
  for (int i = 0; i < nwatch && i < kMaxAccesses - 1; ++i)
    Cur().op.Add(reinterpret_cast<uintptr_t>(watch[i]), false);
  Cur().spin_pred = &pred;
  Yield();
  Cur().spin_pred = nullptr;
}

void ControlledSys::Lock(LockWord* lock, const char* fn, const char* what) {
  if (Direct()) {
    KT_CHECK(lock->owner == kNoTask, "lock taken outside any task is held");
    return;
  }
  Announce(OpKind::kLock, fn, what);
  Cur().op.Add(reinterpret_cast<uintptr_t>(lock), true);
  Cur().lock = lock;
  Yield();
  lock->owner = cur_;
  Cur().lock = nullptr;
  ++Cur().preempt;
}

void ControlledSys::Unlock(LockWord* lock, const char* fn, const char* what) {
  if (Direct()) return;
  Announce(OpKind::kUnlock, fn, what);
  Cur().op.Add(reinterpret_cast<uintptr_t>(lock), true);
  // RELEASE: what the critical section stored is visible before the lock is free. (The
  // kernel lets later loads pass the unlock store itself; this is stronger.)
  Cur().op.drain_first = tso_;
  Yield();
  KT_CHECK(lock->owner == cur_, "unlock of a lock the task does not hold");
  lock->owner = kNoTask;
  --Cur().preempt;
}

void ControlledSys::PreemptDisable() {
  if (Direct()) return;
  Announce(OpKind::kPreemptOff, "preempt_disable", "");
  Yield();
  ++Cur().preempt;
}

void ControlledSys::PreemptEnable() {
  if (Direct()) return;
  Announce(OpKind::kPreemptOn, "preempt_enable", "");
  Yield();
  --Cur().preempt;
}

TaskId ControlledSys::Spawn(void (*entry)(void*), void* arg, const char* name, int cpu,
                            TaskId* id_slot) {
  KT_CHECK(ntasks_ < first_drainer_, "too many tasks for the controlled runtime");
  TaskId id = ntasks_++;
  *id_slot = id;
  Task& t = tasks_[id];
  t = Task{};
  t.entry = entry;
  t.arg = arg;
  t.name = name;
  t.cpu = cpu;
  t.op.fn = "ret_from_fork";
  t.parent_step = static_cast<int>(result_.steps.size()) - 1;
  t.last_ran = t.parent_step;
  t.id_slot = id_slot;
  if (tso_ && cur_ != kNoTask) {  // wake_up_new_task()'s locks publish the creator's stores
    t.start_cpu = Cur().cpu;
    t.start_mark = buffers_.Pushed(t.start_cpu);
  }
  t.ctx = MakeContext(stacks_.Top(id), stacks_.stack_bytes(), TaskMain);
  return id;
}

TaskId ControlledSys::SpawnIrq(void (*entry)(void*), void* arg, const char* name, int cpu,
                               TaskId* id_slot) {
  TaskId id = Spawn(entry, arg, name, cpu, id_slot);
  tasks_[id].irq = options_.hardirq;
  if (options_.hardirq) ++hardirqs_live_;
  tasks_[id].op.fn = "handle_irq";
  return id;
}

TaskId ControlledSys::Interrupted() {
  if (cur_ == kNoTask) return kNoTask;
  return Cur().irq ? Cur().interrupted : cur_;
}

// Disabling interrupts takes effect with the task's next step (in practice the lock
// acquisition that follows): code between the two touches nothing shared, so nothing
// can tell the difference, and the search sees the step that closes the CPU to other
// tasks and handlers as an operation of its own (dpor.cc MayDisable). Enabling them
// takes effect at once.
void ControlledSys::IrqDisable() {
  if (!Direct()) ++Cur().irq_off_pending;
}

void ControlledSys::IrqEnable() {
  if (Direct()) return;
  Task& t = Cur();
  if (t.irq_off_pending > 0)
    --t.irq_off_pending;
  else
    --t.irq_off;
}

void ControlledSys::Exit() {
  Cur().finished = true;
  if (Cur().irq) --hardirqs_live_;
  Schedule();
  KT_CHECK(false, "a finished task was scheduled again");
  __builtin_unreachable();
}

bool ControlledSys::Block(const WaitInfo& info) {
  if (Cur().irq)
    EndFinding("warn", std::string("BUG: scheduling while atomic: interrupt handler ") +
                           Cur().name + " sleeps in " + info.what);
  if (info.stray_wakeups && options_.stray_wakeups > 0) {
    // The window for a stray wakeup opens here: a step of its own, ordered against
    // MakeRunnable(current) by the permit it writes (op.h).
    Announce(OpKind::kSleep, "schedule", info.what);
    Cur().op.Add(PermitObj(cur_), true);
    Yield();
  }
  Task& t = Cur();
  Announce(OpKind::kBlock, "schedule", info.what);
  t.op.Add(PermitObj(cur_), true);
  t.op.drain_first = tso_;  // __schedule(): rq->lock + smp_mb__after_spinlock()
  t.wait = info;
  t.deadline = info.timeout ? now_ + info.timeout : 0;
  Yield();
  Task& me = Cur();
  KT_CHECK(me.permit, "a blocked task ran without a wakeup permit");
  me.permit = false;
  me.deadline = 0;
  bool woken = !me.timed_out;
  me.timed_out = me.stray = false;
  me.permit = me.permit_kept;
  me.permit_kept = false;
  return woken;
}

void ControlledSys::MakeRunnable(TaskId task, int cpu) {
  if (cur_ == kNoTask) {
    tasks_[task].permit = true;
    tasks_[task].cpu = cpu;
    return;
  }
  Announce(OpKind::kWake, "ttwu_do_activate", tasks_[task].name);
  Cur().op.Add(PermitObj(task), true);
  // The wakee's __schedule() takes the rq lock the waker releases: it sees the waker's
  // stores, so they leave the buffer before the wakeup can take effect.
  Cur().op.drain_first = tso_;
  Yield();
  Task& w = tasks_[task];
  // Its sleep already ended by a timer or a stray wakeup that it has not yet acted on:
  // this wakeup is a second one, kept for after it (the sleeper's own try_to_wake_up()
  // then finds the state changed and sleeps again, to be ended by this one).
  if (w.permit && w.timed_out && w.op.kind == OpKind::kBlock) w.permit_kept = true;
  w.permit = true;
  w.cpu = cpu;
  if (options_.trace && !result_.trace.empty()) {
    result_.trace.back().woken = task;
    result_.trace.back().woken_cpu = cpu;
  }
  if (options_.trace) Note(std::string("make ") + tasks_[task].name + " runnable on CPU" +
                           std::to_string(cpu));
}

void ControlledSys::SetWakeCondition(std::function<bool()> cond, const char* text) {
  if (cur_ == kNoTask) return;
  Cur().wake_cond = std::move(cond);
  Cur().wake_text = text;
}

void ControlledSys::Finding(const char* oracle, const char* file, int line, const char* cond,
                            const char* fn) {
  const char* base = std::strrchr(file, '/');
  std::string where = std::string(base ? base + 1 : file) + ":" + std::to_string(line);
  std::string who = cur_ == kNoTask ? "boot" : Cur().name;
  if (cur_ == kNoTask) {
    std::fprintf(stderr, "[internal bug] %s at %s outside any task\n", cond, where.c_str());
    std::exit(3);
  }
  EndFinding(oracle, std::string(cond) + " in " + fn + "() (" + where + "), task " + who);
}

void ControlledSys::Note(std::string text) {
  if (!options_.trace || result_.trace.empty()) return;
  std::string& t = result_.trace.back().text;
  if (!t.empty()) t += "; ";
  t += text;
}

void ControlledSys::TraceValue(const void* addr, uint64_t value) {
  if (result_.trace.empty()) return;
  const Op& op = Cur().op;
  std::string lhs, v;
  if (options_.format_value) options_.format_value(addr, op.what, value, &lhs, &v);
  if (lhs.empty()) lhs = op.what;
  if (v.empty())  // values as wide as a pointer differ between runs: not printed
    v = value > 0xffffffffu ? "(pointer)" : std::to_string(static_cast<long long>(value));
  std::string text = lhs + (op.kind == OpKind::kLoad ? " -> " : " = ") + v;
  std::string& t = result_.trace.back().text;
  t = t.empty() ? text : text + "; " + t;
}

}  // namespace kt::rt
