#include "impl/platform/std_sys.h"

#include <cstdio>
#include <cstring>

namespace kt {
namespace {

thread_local TaskId t_current = kNoTask;

// Thrown to end a task's thread: from Exit(), or from a wait during shutdown.
struct TaskExit {};

int MemOrder(Order o) {
  switch (o) {
    case Order::kPlain:
    case Order::kOnce: return __ATOMIC_RELAXED;
    case Order::kAcquire: return __ATOMIC_ACQUIRE;
    case Order::kRelease: return __ATOMIC_RELEASE;
    case Order::kFull: return __ATOMIC_SEQ_CST;
  }
  return __ATOMIC_SEQ_CST;
}

int LoadOrder(Order o) { return o == Order::kRelease ? __ATOMIC_RELAXED : MemOrder(o); }
int StoreOrder(Order o) { return o == Order::kAcquire ? __ATOMIC_RELAXED : MemOrder(o); }

template <typename T>
uint64_t AtomicLoad(const void* a, int mo) {
  return static_cast<uint64_t>(__atomic_load_n(static_cast<const T*>(a), mo));
}
template <typename T>
void AtomicStore(void* a, uint64_t v, int mo) {
  __atomic_store_n(static_cast<T*>(a), static_cast<T>(v), mo);
}
template <typename T>
uint64_t AtomicRmw(void* a, Rmw op, uint64_t arg, uint64_t expected) {
  T* p = static_cast<T*>(a);
  T x = static_cast<T>(arg);
  switch (op) {
    case Rmw::kXchg: return __atomic_exchange_n(p, x, __ATOMIC_SEQ_CST);
    case Rmw::kCmpxchg: {
      T e = static_cast<T>(expected);
      __atomic_compare_exchange_n(p, &e, x, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
      return e;
    }
    case Rmw::kFetchOr: return __atomic_fetch_or(p, x, __ATOMIC_SEQ_CST);
    case Rmw::kFetchAndNot: return __atomic_fetch_and(p, static_cast<T>(~x), __ATOMIC_SEQ_CST);
    case Rmw::kFetchAdd: return __atomic_fetch_add(p, x, __ATOMIC_SEQ_CST);
  }
  return 0;
}

}  // namespace

StdSys::~StdSys() {
  for (auto& t : tasks_)
    if (t->thread.joinable()) t->thread.detach();
}

uint64_t StdSys::Load(const void* a, unsigned size, Order o, const char*, const char*) {
  switch (size) {
    case 1: return AtomicLoad<uint8_t>(a, LoadOrder(o));
    case 2: return AtomicLoad<uint16_t>(a, LoadOrder(o));
    case 4: return AtomicLoad<uint32_t>(a, LoadOrder(o));
    default: return AtomicLoad<uint64_t>(a, LoadOrder(o));
  }
}

void StdSys::Store(void* a, unsigned size, uint64_t v, Order o, const char*, const char*) {
  switch (size) {
    case 1: return AtomicStore<uint8_t>(a, v, StoreOrder(o));
    case 2: return AtomicStore<uint16_t>(a, v, StoreOrder(o));
    case 4: return AtomicStore<uint32_t>(a, v, StoreOrder(o));
    default: return AtomicStore<uint64_t>(a, v, StoreOrder(o));
  }
}

uint64_t StdSys::ReadModifyWrite(void* a, unsigned size, Rmw op, uint64_t arg, uint64_t expected,
                                 Order, const char*, const char*) {
  switch (size) {
    case 1: return AtomicRmw<uint8_t>(a, op, arg, expected);
    case 2: return AtomicRmw<uint16_t>(a, op, arg, expected);
    case 4: return AtomicRmw<uint32_t>(a, op, arg, expected);
    default: return AtomicRmw<uint64_t>(a, op, arg, expected);
  }
}

void StdSys::Fence(Order o, const char*) { __atomic_thread_fence(MemOrder(o)); }

void StdSys::CheckShutdown() {
  if (shutdown_.load(std::memory_order_acquire) && t_current != kNoTask) throw TaskExit{};
}

void StdSys::SpinUntil(const std::function<bool()>& pred, const void* const*, int, const char*,
                       const char*) {
  while (!pred()) {
    CheckShutdown();
    std::this_thread::yield();
  }
}

void StdSys::Lock(LockWord* lock, const char*, const char*) {
  for (;;) {
    uint32_t expected = 0;
    if (__atomic_compare_exchange_n(&lock->impl, &expected, 1u, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
      break;
    CheckShutdown();
    std::this_thread::yield();
  }
  lock->owner = t_current;
}

void StdSys::Unlock(LockWord* lock, const char*, const char*) {
  lock->owner = kNoTask;
  __atomic_store_n(&lock->impl, 0u, __ATOMIC_RELEASE);
}

TaskId StdSys::Spawn(void (*entry)(void*), void* arg, const char*, int, TaskId* id_slot) {
  std::lock_guard<std::mutex> g(tasks_mu_);
  TaskId id = static_cast<TaskId>(tasks_.size());
  *id_slot = id;
  tasks_.push_back(std::make_unique<Task>());
  Task* t = tasks_.back().get();
  t->id_slot = id_slot;
  t->thread = std::thread([this, t, id, entry, arg] {
    t_current = id;
    try {
      entry(arg);
    } catch (const TaskExit&) {
    }
    std::lock_guard<std::mutex> l(t->mu);
    t->finished = true;
    t->cv.notify_all();
  });
  return id;
}

void StdSys::Exit() { throw TaskExit{}; }

int StdSys::TasksOnCpu(int, TaskId** out, int max) {
  std::lock_guard<std::mutex> g(tasks_mu_);
  int n = 0;
  for (size_t i = 0; i < tasks_.size() && n < max; ++i)
    if (static_cast<TaskId>(i) != t_current) out[n++] = tasks_[i]->id_slot;
  return n;
}

TaskId StdSys::Current() { return t_current; }

bool StdSys::Block(const WaitInfo& info) {
  Task* t;
  {
    std::lock_guard<std::mutex> g(tasks_mu_);
    t = tasks_[t_current].get();
  }
  std::unique_lock<std::mutex> l(t->mu);
  auto ready = [&] { return t->permit || shutdown_.load(std::memory_order_acquire); };
  bool woken = true;
  if (info.timeout)
    woken = t->cv.wait_for(l, tick_ * static_cast<int64_t>(info.timeout), ready);
  else
    t->cv.wait(l, ready);
  if (shutdown_.load(std::memory_order_acquire) && !t->permit) throw TaskExit{};
  if (!woken) return false;
  t->permit = false;
  return true;
}

void StdSys::MakeRunnable(TaskId task, int) {
  Task* t;
  {
    std::lock_guard<std::mutex> g(tasks_mu_);
    t = tasks_[task].get();
  }
  std::lock_guard<std::mutex> l(t->mu);
  t->permit = true;
  t->cv.notify_all();
}

uint64_t StdSys::Now() {
  return static_cast<uint64_t>((std::chrono::steady_clock::now() - start_) / tick_);
}

void StdSys::Finding(const char* oracle, const char* file, int line, const char* cond,
                     const char* fn) {
  std::string msg = std::string(oracle) + ": " + cond + " in " + fn + "() at " + file + ":" +
                    std::to_string(line);
  std::fprintf(stderr, "WARNING: %s\n", msg.c_str());
  std::lock_guard<std::mutex> g(warn_mu_);
  warnings_.push_back(msg);
}

StdSys::Result StdSys::Run(const std::function<TaskId()>& boot, std::chrono::milliseconds timeout) {
  start_ = std::chrono::steady_clock::now();
  Sys* previous = GetSys();
  SetSys(this);
  TaskId root = boot();
  Task* r;
  {
    std::lock_guard<std::mutex> g(tasks_mu_);
    r = tasks_[root].get();
  }
  Result result;
  {
    std::unique_lock<std::mutex> l(r->mu);
    result.finished = r->cv.wait_for(l, timeout, [r] { return r->finished; });
  }
  shutdown_.store(true, std::memory_order_release);
  std::vector<Task*> all;
  {
    std::lock_guard<std::mutex> g(tasks_mu_);
    for (auto& t : tasks_) all.push_back(t.get());
  }
  for (Task* t : all) {
    {
      std::lock_guard<std::mutex> l(t->mu);
      t->cv.notify_all();
    }
    if (result.finished) t->thread.join();  // after a hang, threads may be stuck: detach
  }
  SetSys(previous);
  std::lock_guard<std::mutex> g(warn_mu_);
  result.warnings = warnings_;
  return result;
}

}  // namespace kt
