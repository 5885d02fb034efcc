// smpboot_hotplug -- a ksoftirqd-like per-CPU hotplug thread client, exercised by CPU
// hotplug while work arrives (kernel-semantics.md section 15; issue: N CPUs, H
// offline/online cycles, W work items, unregister at the end).
//
//   main (the controller, CPU 0): smpboot_register_percpu_thread(); start the producer;
//        H times: cpu_down(c), cpu_up(c) for c = 1, 2, ... (CPU 0 stays online);
//        wait for the producer's `producer_done`, stop it; let the system go idle;
//        unregister.
//   producer: W times: under cpus_read_lock(), raise work on CPU (i mod N) if it is
//        online (else on CPU 0) and wake that CPU's thread (raise_softirq +
//        wakeup_softirqd).
//   softirqd/N: smpboot_thread_fn with thread_should_run = "work pending on N",
//        thread_fn = run it. Work pending when a CPU goes down stays on that CPU and runs
//        once cpu_up() unparks its thread: ksoftirqd has no park callback at all, and
//        the kernel's park callbacks keep to their own CPU (cpu_stop_park() checks its
//        CPU's list; rcu_cpu_kthread_park() marks its CPU's thread off-CPU). This one
//        marks the thread off-CPU and the unpark callback clears the mark, as RCU's do;
//        being non-NULL, the park callback also moves td->status to PARKED.
//
// At the idle point before unregister every raised work item must have run, and every
// CPU's thread must be back from its last park.
#include "impl/boot.h"
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/cpuhp.h"
#include "impl/kthread/kthread.h"
#include "impl/kthread/smpboot.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

unsigned long pending[NR_CPUS];
unsigned long processed;
int offcpu[NR_CPUS];  // set by the park callback, cleared by unpark
task_struct* softirqd[NR_CPUS];

void wakeup_softirqd(unsigned int cpu) {
  task_struct* tsk = READ_ONCE(softirqd[cpu]);
  if (!tsk) return;
  kt_proto(ProtoEv::kWakeIntent, tsk->tid, kWakeWork);
  wake_up_process(tsk);
}

int softirq_should_run(unsigned int cpu) { return READ_ONCE(pending[cpu]) != 0; }

void run_softirq(unsigned int cpu) {
  unsigned long n = xchg(&pending[cpu], 0UL);
  kt_proto(ProtoEv::kWorkTaken, kNoTask, static_cast<long>(n));
  kt_rmw(&processed, Rmw::kFetchAdd, n, 0UL, Order::kFull, __func__, "processed");
}

// The park and unpark callbacks run on the thread's own CPU and touch only its state.
void softirq_park(unsigned int cpu) { WRITE_ONCE(offcpu[cpu], 1); }
void softirq_unpark(unsigned int cpu) { WRITE_ONCE(offcpu[cpu], 0); }

smp_hotplug_thread softirq_threads;
completion producer_done;

// Every raised item has run and every CPU's thread has come back from its last park.
bool settled(const BootParams& p) {
  if (READ_ONCE(processed) != static_cast<unsigned long>(p.work)) return false;
  for (int c = 0; c < p.cpus; ++c)
    if (READ_ONCE(offcpu[c])) return false;
  return true;
}

int producer_fn(void* unused) {
  (void)unused;
  const int cpus = kt_boot_params().cpus;
  for (int i = 0; i < kt_boot_params().work; ++i) {
    cpus_read_lock();
    unsigned int cpu = static_cast<unsigned int>(i % cpus);
    if (!cpu_online(cpu)) cpu = 0;
    kt_rmw(&pending[cpu], Rmw::kFetchAdd, 1UL, 0UL, Order::kFull, "raise_softirq", "pending[cpu]");
    kt_proto(ProtoEv::kWorkRaised, kNoTask, cpu);
    wakeup_softirqd(cpu);
    cpus_read_unlock();
  }
  complete(&producer_done);
  // Stay until stopped, so kthread_stop() returns our result rather than -EINTR.
  while (!kthread_should_stop()) {
    set_current_state(TASK_INTERRUPTIBLE);
    if (!kthread_should_stop()) schedule();
    __set_current_state(TASK_RUNNING);
  }
  return 0;
}

void run() {
  const BootParams& p = kt_boot_params();
  for (int c = 0; c < NR_CPUS; ++c) pending[c] = 0, offcpu[c] = 0;
  processed = 0;
  softirq_threads = smp_hotplug_thread{};
  softirq_threads.store = softirqd;
  for (task_struct*& t : softirqd) t = nullptr;
  softirq_threads.thread_should_run = softirq_should_run;
  softirq_threads.thread_fn = run_softirq;
  softirq_threads.park = softirq_park;
  softirq_threads.unpark = softirq_unpark;
  softirq_threads.thread_comm = "softirqd";
  INIT_LIST_HEAD(&softirq_threads.list);

  init_completion(&producer_done, "completion `producer_done`", nullptr);
  WARN_ON(smpboot_register_percpu_thread(&softirq_threads));
  task_struct* producer = kthread_run(producer_fn, nullptr, "producer");
  producer_done.kt_owner = producer;
  for (int i = 0; i < p.hotplug && p.cpus > 1; ++i) {
    unsigned int cpu = 1 + static_cast<unsigned int>(i % (p.cpus - 1));
    cpu_down(cpu);
    cpu_up(cpu);
  }
  wait_for_completion(&producer_done);
  WARN_ON(kthread_stop(producer) != 0);
  // Let the system go idle: no thread may sleep with work pending, and each is back from
  // its last park. Under the checker the first msleep() ends only once every task is
  // idle; on real threads the softirq threads may still be running, so wait up to a
  // second.
  for (int i = 0; i < 100 && !settled(p); ++i) msleep(10);
  WARN_ON(!settled(p));
  smpboot_unregister_percpu_thread(&softirq_threads);
}

}  // namespace

extern const Scenario kSmpbootHotplug = {
    "smpboot_hotplug",
    "per-CPU hotplug threads (ksoftirqd-like) across --hotplug offline/online cycles while "
    "a producer raises --work items",
    run, /*parameterized=*/true, /*search_budget=*/20000};

}  // namespace kt
