// api_sequence -- a module whose init runs an operation program chosen by its user (the
// scenario fuzzer's input, or `ops=` of a schedule token; api_program.h), and whose exit
// tears down what the program left: thaw, kthread_stop() of every live thread,
// kthread_cancel_delayed_work_sync() and kthread_destroy_worker(). The program is
// legalized first (LegalizeApiProgram), so every call keeps the API's contracts and a
// finding is the protocol's, not the module's misuse.
//
// Threads: the seed's parkable loop (parkable.h) for c, r, o; for z a freezable loop
// that, like kthread_worker_fn(), tests kthread_should_stop() and freezing() after
// setting TASK_INTERRUPTIBLE and calls try_to_freeze() after every wakeup. The worker's
// delayed work requeues itself once per worker (the seed's periodic work, bounded).
//
// Checks, each a contract of the API rather than of this module:
//   - after kthread_park(): the park postcondition (parkable.h);
//   - kthread_stop() of a thread never woken nor parked returns -EINTR (threadfn never
//     ran), of any other 0 or -EINTR;
//   - at kthread_destroy_worker(): every successful kthread_queue_work() of the immediate
//     work has run or was cancelled (kthread_cancel_work_sync() returned true); the
//     delayed work ran at most once per successful kthread_queue_delayed_work();
//   - suspend_freeze_processes() succeeds (every freezable task reaches a freezing point).
#include <vector>

#include "impl/boot.h"
#include "impl/kernel/bug.h"
#include "impl/kernel/err.h"
#include "impl/kernel/freezer.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/cpuhp.h"
#include "impl/kthread/kthread.h"
#include "impl/kthread/kthread_worker.h"
#include "impl/modules/api_program.h"
#include "impl/modules/parkable.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

struct ThreadSlot {
  task_struct* task;
  bool woken;  // wake_up_process() or kthread_park() reached it: threadfn may have run
};

ThreadSlot slots[kApiSlots];
kthread_worker* worker;
kthread_work work;
kthread_delayed_work dwork;
// The driver's counts of successful queues and cancels; the worker's of runs and of the
// delayed work's own requeue (kept apart: each variable has one writer).
int work_queued, work_runs, work_cancelled;
int dwork_queued, dwork_runs, dwork_requeued;
bool frozen;

int freezable_thread_fn(void* unused) {
  (void)unused;
  set_freezable();
  while (!kthread_should_stop()) {
    set_current_state(TASK_INTERRUPTIBLE);  // mb paired with kthread_stop()'s wakeup
    if (!kthread_should_stop() && !freezing(current)) {
      sys().SetWakeCondition([] { return kthread_should_stop(); }, "kthread_should_stop()");
      schedule();
      sys().SetWakeCondition({}, nullptr);
    }
    __set_current_state(TASK_RUNNING);
    try_to_freeze();
  }
  return 0;
}

void work_fn(kthread_work* w) {
  (void)w;
  WRITE_ONCE(work_runs, READ_ONCE(work_runs) + 1);
}

void dwork_fn(kthread_work* w) {
  (void)w;
  WRITE_ONCE(dwork_runs, READ_ONCE(dwork_runs) + 1);
  if (READ_ONCE(dwork_requeued)) return;  // periodic work: requeue itself, once per worker
  bool queued = kthread_queue_delayed_work(worker, &dwork, msecs_to_jiffies(1));
  WRITE_ONCE(dwork_requeued, queued ? 1 : -1);
}

unsigned int op_cpu(const ApiOp& op) {
  return static_cast<unsigned int>(op.arg / kApiSlots % kt_boot_params().cpus);
}

void create(const ApiOp& op, ThreadSlot* s) {
  task_struct* t;
  switch (op.op) {
    case 'c': t = kthread_create(parkable_thread_fn, nullptr, "api_thread"); break;
    case 'o':
      t = kthread_create_on_cpu(parkable_thread_fn, nullptr, op_cpu(op), "api_thread");
      break;
    case 'r': t = kthread_run(parkable_thread_fn, nullptr, "api_thread"); break;
    default: t = kthread_run(freezable_thread_fn, nullptr, "api_freezable"); break;
  }
  WARN_ON(IS_ERR(t));  // fork never fails here
  *s = {IS_ERR(t) ? nullptr : t, op.op == 'r' || op.op == 'z'};
}

void stop(ThreadSlot* s) {
  if (!s->task) return;
  int ret = kthread_stop(s->task);
  WARN_ON(s->woken ? ret != 0 && ret != -EINTR : ret != -EINTR);
  *s = {nullptr, false};
}

void destroy_worker() {
  kthread_destroy_worker(worker);
  worker = nullptr;
  WARN_ON(READ_ONCE(work_runs) + work_cancelled != work_queued);
  // A delayed work whose timer fires while kthread_cancel_delayed_work_timer() holds
  // `canceling` is dropped: neither run nor reported pending by the cancel. So for it
  // only "at most one run per successful queue" holds.
  WARN_ON(READ_ONCE(dwork_runs) > dwork_queued + (READ_ONCE(dwork_requeued) == 1));
}

void run_op(const ApiOp& op) {
  ThreadSlot* s = &slots[op.arg % kApiSlots];
  switch (op.op) {
    case 'c': case 'r': case 'o': case 'z': create(op, s); break;
    case 'w':
      if (s->task) wake_up_process(s->task);
      s->woken = true;
      break;
    case 'b': if (s->task) kthread_bind(s->task, op_cpu(op)); break;
    case 'p':
      if (!s->task) break;
      s->woken = true;
      if (kthread_park(s->task) == 0) check_parked(s->task);
      break;
    case 'u': if (s->task) kthread_unpark(s->task); break;
    case 's': stop(s); break;
    case 'd': cpu_down(static_cast<unsigned int>(1 + op.arg % (kt_boot_params().cpus - 1))); break;
    case 'e': cpu_up(static_cast<unsigned int>(1 + op.arg % (kt_boot_params().cpus - 1))); break;
    case 'k':
      worker = kthread_run_worker(op.arg & 1 ? KTW_FREEZABLE : 0, "api_kworker");
      kthread_init_work(&work, work_fn);
      kthread_init_delayed_work(&dwork, dwork_fn);
      work_queued = work_runs = work_cancelled = 0;
      dwork_queued = dwork_runs = dwork_requeued = 0;
      break;
    case 'q': work_queued += kthread_queue_work(worker, &work); break;
    case 'l':
      dwork_queued += kthread_queue_delayed_work(worker, &dwork, msecs_to_jiffies(op.arg + 1));
      break;
    case 'h': kthread_flush_work(&work); break;
    case 'v': kthread_flush_worker(worker); break;
    case 'x': work_cancelled += kthread_cancel_work_sync(&work); break;
    case 'y': kthread_cancel_delayed_work_sync(&dwork); break;
    case 't': destroy_worker(); break;
    case 'i': frozen = !WARN_ON(suspend_freeze_processes()); break;
    case 'j':
      if (frozen) suspend_thaw_processes();
      frozen = false;
      break;
    case 'm': msleep(static_cast<unsigned int>(op.arg + 1)); break;
  }
}

// Module exit: what the program left alive goes, in the order a module would do it.
void api_exit() {
  if (frozen) suspend_thaw_processes();
  frozen = false;
  for (ThreadSlot& s : slots) stop(&s);
  if (worker) {
    kthread_cancel_delayed_work_sync(&dwork);
    destroy_worker();
  }
}

void run() {
  for (ThreadSlot& s : slots) s = {nullptr, false};
  worker = nullptr;
  frozen = false;
  const BootParams& p = kt_boot_params();
  std::vector<ApiOp> ops;
  std::string error;
  // The token's ops= (or the CLI's --ops=) was checked before boot; empty means default.
  BUG_ON(!ParseApiProgram(p.ops.empty() ? kDefaultApiProgram : p.ops, &ops, &error));
  for (const ApiOp& op : LegalizeApiProgram(ops, p.cpus)) run_op(op);
  api_exit();
}

}  // namespace

extern const Scenario kApiSequence = {
    "api_sequence",
    "a module that runs an operation program (ops=, api_program.h): kthread create/run/"
    "create_on_cpu, wake, bind, park, unpark, stop, cpu_down/up, kthread_worker queue/"
    "delayed/flush/cancel/destroy, freeze/thaw; exit stops what is left",
    // Budgeted: the default program alone has far more interleavings than an exhaustive
    // search covers (park_unpark_stop, a third of it, takes 2.8 million executions). A
    // quarter of the other budgets: its executions are about 840 steps, 2 to 3 times
    // theirs, and oracle_exhaustive_test's long search is 50 budgets.
    run, /*parameterized=*/false, /*search_budget=*/5000, /*needs_fairness=*/false,
    /*programmed=*/true};

}  // namespace kt
