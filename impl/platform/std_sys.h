// std_sys.h -- the seam on real threads: each task is an OS thread; schedule() really
// blocks (a per-task permit under a mutex and condition variable) until try_to_wake_up()
// makes the task runnable. Memory operations are real atomics with the ordering the
// port names. Virtual time runs at one tick per `tick` of real time.
//
// Used for stress runs under ThreadSanitizer: thousands of create/park/unpark/stop cycles
// with real concurrency. WARN_ON/BUG_ON are counted and printed, not fatal, so a run
// reports every one it hits.
#ifndef KTHCHECK_IMPL_PLATFORM_STD_SYS_H_
#define KTHCHECK_IMPL_PLATFORM_STD_SYS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "impl/platform/seam.h"

namespace kt {

class StdSys final : public Sys {
 public:
  struct Result {
    bool finished = false;             // the root task exited before the timeout
    std::vector<std::string> warnings; // WARN_ON / BUG_ON messages
  };

  explicit StdSys(std::chrono::microseconds tick = std::chrono::microseconds(10)) : tick_(tick) {}
  ~StdSys() override;

  // Runs boot() (outside any task), waits up to `timeout` for the returned root task to
  // exit, then stops every remaining task (idle daemons such as kthreadd) and joins them.
  Result Run(const std::function<TaskId()>& boot, std::chrono::milliseconds timeout);

  uint64_t Load(const void* addr, unsigned size, Order order, const char* fn,
                const char* what) override;
  void Store(void* addr, unsigned size, uint64_t value, Order order, const char* fn,
             const char* what) override;
  uint64_t ReadModifyWrite(void* addr, unsigned size, Rmw op, uint64_t arg, uint64_t expected,
                           Order order, const char* fn, const char* what) override;
  void Fence(Order order, const char* fn) override;
  void SpinUntil(const std::function<bool()>& pred, const void* const* watch, int nwatch,
                 const char* fn, const char* what) override;
  void Lock(LockWord* lock, const char* fn, const char* what) override;
  void Unlock(LockWord* lock, const char* fn, const char* what) override;
  TaskId Spawn(void (*entry)(void*), void* arg, const char* name, int cpu,
               TaskId* id_slot) override;
  [[noreturn]] void Exit() override;
  TaskId Current() override;
  bool Block(const WaitInfo& info) override;
  void MakeRunnable(TaskId task, int cpu) override;
  uint64_t Now() override;
  void PreemptDisable() override {}
  void PreemptEnable() override {}
  void SetWakeCondition(std::function<bool()>, const char*) override {}
  void Finding(const char* oracle, const char* file, int line, const char* what,
               const char* fn) override;
  bool Tracing() const override { return false; }
  void Note(std::string) override {}
  // Threads have no CPUs: every task is a candidate, and the stopper's calls are no-ops
  // (the port has moved task_cpu() itself, which smp_processor_id() reads).
  int TasksOnCpu(int cpu, TaskId** out, int max) override;
  void StopCpu(int) override {}
  void StopCpuEnd() override {}
  void MigrateTask(TaskId, int) override {}

 private:
  struct Task {
    std::mutex mu;
    std::condition_variable cv;
    bool permit = false;
    bool finished = false;
    TaskId* id_slot = nullptr;  // Spawn's, written before the thread starts
    std::thread thread;
  };
  void CheckShutdown();

  std::chrono::microseconds tick_;
  std::chrono::steady_clock::time_point start_;
  std::mutex tasks_mu_;  // guards tasks_ (the vector, not the tasks)
  std::vector<std::unique_ptr<Task>> tasks_;
  std::atomic<bool> shutdown_{false};
  std::mutex warn_mu_;
  std::vector<std::string> warnings_;
};

}  // namespace kt

#endif  // KTHCHECK_IMPL_PLATFORM_STD_SYS_H_
