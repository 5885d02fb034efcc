// api_stateful_test -- a rapidcheck stateful test (rc::state) of the kthread API on the
// real-threads runtime (impl/platform/std_sys.h): random sequences of kthread_run,
// kthread_park, kthread_unpark, kthread_stop, kthread_queue_work and kthread_flush_work,
// each executed by the driver task of a live kernel instance, compared with a simple model:
//
// | command     | precondition        | model                 | observed (must hold)            |
// |-------------+---------------------+-----------------------+---------------------------------|
// | Create      | < 3 alive, < 6 made | thread i running      | kthread_run ok; its loop starts |
// | Park(i)     | i running           | thread i parked       | returns 0; i is TASK_PARKED and |
// |             |                     |                       | its loop makes no progress      |
// | Unpark(i)   | i parked            | thread i running      | its loop makes progress again   |
// | Stop(i)     | i alive             | thread i gone         | returns i's threadfn result     |
// | QueueWork   | -                   | -                     | (counts successful queues)      |
// | FlushWork   | -                   | -                     | work ran once per successful    |
// |             |                     |                       | queue                           |
//
// At the end every thread is stopped, the worker destroyed, and the run must finish with
// no WARN_ON/BUG_ON. The driver task takes commands from the test thread through a
// mailbox (an OS-level mutex and condition variable: the real-threads backend lets a task
// block outside the seam).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "impl/boot.h"
#include "impl/kernel/err.h"
#include "impl/kernel/sched.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/kthread/kthread_worker.h"
#include "impl/modules/scenario.h"
#include "impl/platform/std_sys.h"

namespace kt {
namespace {

constexpr int kMaxAlive = 3;
constexpr int kMaxCreated = 6;

// --- The kernel side: a driver task that runs jobs from the test thread. -------------

struct Slot {
  int id;
  int iterations;
};

int ThreadFn(void* arg) {
  auto* s = static_cast<Slot*>(arg);
  while (!kthread_should_stop()) {
    if (kthread_should_park()) {
      kthread_parkme();
      continue;
    }
    WRITE_ONCE(s->iterations, READ_ONCE(s->iterations) + 1);
    msleep_interruptible(1);
  }
  return s->id * 10 + 3;
}

int work_runs;
void WorkFn(kthread_work*) { WRITE_ONCE(work_runs, READ_ONCE(work_runs) + 1); }

class Mailbox {
 public:
  // Test thread: runs `job` in the driver task and waits for it; after a `last` job the
  // driver returns (the module's work is done).
  void Do(std::function<void()> job, bool last = false) {
    std::unique_lock<std::mutex> l(mu_);
    job_ = std::move(job);
    last_ = last;
    done_ = false;
    cv_.notify_all();
    cv_.wait(l, [this] { return done_; });
  }
  // Driver task: runs jobs until the last one.
  void Serve() {
    for (bool last = false; !last;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return static_cast<bool>(job_); });
        job = std::move(job_);
        job_ = nullptr;
        last = last_;
      }
      job();
      std::lock_guard<std::mutex> l(mu_);
      done_ = true;
      cv_.notify_all();
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool last_ = false;
  bool done_ = false;
};

Mailbox* mailbox;

void DriverRun() { mailbox->Serve(); }

const Scenario kApiDriver = {"rc_api_driver", "runs kthread API calls sent by the test",
                             DriverRun};

// --- The system under test -----------------------------------------------------------

class KernelSut {
 public:
  KernelSut() {
    mailbox = &mailbox_;
    runner_ = std::thread([this] {
      result_ = sys_.Run(
          [] {
            BootParams p;
            p.scenario = &kApiDriver;
            p.cpus = 2;
            return kernel_boot(p);
          },
          std::chrono::seconds(60));
    });
    Do([this] {
      work_runs = 0;
      worker_ = kthread_run_worker(0, "rc_worker");
      kthread_init_work(&work_, WorkFn);
    });
  }

  ~KernelSut() { Finish(); }

  void Do(const std::function<void()>& job) { mailbox_.Do(job); }

  // Stops what is left, ends the driver and the run; the run's result.
  const StdSys::Result& Finish() {
    if (runner_.joinable()) {
      mailbox_.Do(
          [this] {
            for (task_struct*& t : tasks_)
              if (t) kthread_stop(t);
            kthread_destroy_worker(worker_);
          },
          /*last=*/true);
      runner_.join();
    }
    return result_;
  }

  task_struct* tasks_[kMaxCreated] = {};
  Slot slots_[kMaxCreated] = {};
  kthread_worker* worker_ = nullptr;
  kthread_work work_;
  int queued_ = 0;  // successful kthread_queue_work calls

 private:
  Mailbox mailbox_;
  StdSys sys_{std::chrono::microseconds(10)};
  std::thread runner_;
  StdSys::Result result_;
};

// Reads a slot's loop counter in the driver task.
int Iterations(KernelSut& sut, int id) {
  int n = 0;
  sut.Do([&] { n = READ_ONCE(sut.slots_[id].iterations); });
  return n;
}

// True once the thread's loop counter passes `from` (waits up to about a second).
bool Progresses(KernelSut& sut, int id, int from) {
  for (int i = 0; i < 1000; ++i) {
    if (Iterations(sut, id) > from) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

// --- The model and the commands ------------------------------------------------------

struct ThreadModel {
  int id;
  bool parked;
};

struct Model {
  std::vector<ThreadModel> threads;
  int created = 0;
};

using Command = rc::state::Command<Model, KernelSut>;

struct Create : Command {
  void checkPreconditions(const Model& m) const override {
    RC_PRE(static_cast<int>(m.threads.size()) < kMaxAlive && m.created < kMaxCreated);
  }
  void apply(Model& m) const override { m.threads.push_back({m.created++, false}); }
  void run(const Model& m, KernelSut& sut) const override {
    int id = m.created;
    bool ok = false;
    sut.Do([&] {
      sut.slots_[id] = Slot{id, 0};
      task_struct* t = kthread_run(ThreadFn, &sut.slots_[id], "rc_thread");
      ok = !IS_ERR(t);
      if (ok) sut.tasks_[id] = t;
    });
    RC_ASSERT(ok);
    RC_ASSERT(Progresses(sut, id, 0));  // its loop started
  }
  void show(std::ostream& os) const override { os << "Create"; }
};

// A command on one existing thread, chosen among those that fit `want_parked`.
struct OnThread : Command {
  int index = 0;
  explicit OnThread(const Model& m) {
    RC_PRE(!m.threads.empty());
    index = *rc::gen::inRange<int>(0, static_cast<int>(m.threads.size()));
  }
  bool Valid(const Model& m) const { return index < static_cast<int>(m.threads.size()); }
};

struct Park : OnThread {
  using OnThread::OnThread;
  void checkPreconditions(const Model& m) const override {
    RC_PRE(Valid(m) && !m.threads[index].parked);
  }
  void apply(Model& m) const override { m.threads[index].parked = true; }
  void run(const Model& m, KernelSut& sut) const override {
    int id = m.threads[index].id;
    int ret = -1;
    unsigned int state = 0;
    sut.Do([&] {
      ret = kthread_park(sut.tasks_[id]);
      state = READ_ONCE(sut.tasks_[id]->__state);
    });
    RC_ASSERT(ret == 0);
    RC_ASSERT(state == TASK_PARKED);
    int before = Iterations(sut, id);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    RC_ASSERT(Iterations(sut, id) == before);  // a parked thread does not loop
  }
  void show(std::ostream& os) const override { os << "Park(" << index << ")"; }
};

struct Unpark : OnThread {
  using OnThread::OnThread;
  void checkPreconditions(const Model& m) const override {
    RC_PRE(Valid(m) && m.threads[index].parked);
  }
  void apply(Model& m) const override { m.threads[index].parked = false; }
  void run(const Model& m, KernelSut& sut) const override {
    int id = m.threads[index].id;
    int before = Iterations(sut, id);
    sut.Do([&] { kthread_unpark(sut.tasks_[id]); });
    RC_ASSERT(Progresses(sut, id, before));
  }
  void show(std::ostream& os) const override { os << "Unpark(" << index << ")"; }
};

struct Stop : OnThread {
  using OnThread::OnThread;
  void checkPreconditions(const Model& m) const override { RC_PRE(Valid(m)); }
  void apply(Model& m) const override { m.threads.erase(m.threads.begin() + index); }
  void run(const Model& m, KernelSut& sut) const override {
    int id = m.threads[index].id;
    int ret = 0;
    sut.Do([&] {
      ret = kthread_stop(sut.tasks_[id]);
      sut.tasks_[id] = nullptr;
    });
    RC_ASSERT(ret == id * 10 + 3);  // the thread function's return value
  }
  void show(std::ostream& os) const override { os << "Stop(" << index << ")"; }
};

struct QueueWork : Command {
  void run(const Model&, KernelSut& sut) const override {
    sut.Do([&] {
      if (kthread_queue_work(sut.worker_, &sut.work_)) ++sut.queued_;
    });
  }
  void show(std::ostream& os) const override { os << "QueueWork"; }
};

struct FlushWork : Command {
  void run(const Model&, KernelSut& sut) const override {
    int runs = 0;
    sut.Do([&] {
      kthread_flush_work(&sut.work_);
      runs = READ_ONCE(work_runs);
    });
    RC_ASSERT(runs == sut.queued_);  // once per successful queue, all done after a flush
  }
  void show(std::ostream& os) const override { os << "FlushWork"; }
};

RC_GTEST_PROP(ApiStatefulTest, RandomApiSequencesMatchTheModel, ()) {
  KernelSut sut;
  rc::state::check(Model{}, sut,
                   rc::state::gen::execOneOfWithArgs<Create, Park, Unpark, Stop, QueueWork,
                                                     FlushWork>());
  const StdSys::Result& r = sut.Finish();
  RC_ASSERT(r.finished);
  RC_ASSERT(r.warnings.empty());
}

}  // namespace
}  // namespace kt
