// smpboot.cc -- kernel/smpboot.c (v5.15+/v6.x): smpboot_thread_fn, thread creation,
// register/unregister, and the hotplug park/unpark helpers.
#include "impl/kthread/smpboot.h"

#include "impl/kernel/bug.h"
#include "impl/kernel/fork.h"
#include "impl/kernel/mutex.h"
#include "impl/kthread/cpuhp.h"
#include "impl/kthread/kthread.h"
#include "impl/platform/arena.h"
#include "impl/variants.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

struct smpboot_thread_data {
  unsigned int cpu;
  unsigned int status;
  smp_hotplug_thread* ht;
};

struct SmpbootGlobals {
  list_head hotplug_threads;
  mutex smpboot_threads_lock;
};
SmpbootGlobals g;

// BUG_ON(td->cpu != smp_processor_id()): a per-CPU thread doing per-CPU work on another
// CPU. Reported as its own oracle, `wrong_cpu`.
void check_cpu(smpboot_thread_data* td, const char* where) {
  if (td->cpu != static_cast<unsigned int>(smp_processor_id()))
    sys().Finding("wrong_cpu", __FILE__, __LINE__, where, "smpboot_thread_fn");
}

// Invariant 8 (section 18): NONE -> ACTIVE -> PARKED -> ACTIVE ...
void set_status(smpboot_thread_data* td, unsigned int from, unsigned int to) {
  kt_invariant("smpboot_status", td->status == from);
  td->status = to;
}

}  // namespace

void smpboot_init_globals() {
  INIT_LIST_HEAD(&g.hotplug_threads);
  mutex_init(&g.smpboot_threads_lock, "mutex smpboot_threads_lock");
}

// The should_park branch of smpboot_thread_fn(): run the park callback once per
// ACTIVE period, then park.
static void smpboot_park(smpboot_thread_data* td, smp_hotplug_thread* ht) {
  // BUG (variant): the park callback runs whatever the status (also before setup).
  if (ht->park &&
      (td->status == HP_THREAD_ACTIVE || kt_variant(Variant::kSmpbootParkIgnoresStatus))) {
    check_cpu(td, "td->cpu != smp_processor_id() in the park callback");
    ht->park(td->cpu);
    set_status(td, HP_THREAD_ACTIVE, HP_THREAD_PARKED);
  }
  kthread_parkme();
}

// smpboot_thread_fn() -- the loop of every per-CPU hotplug thread. The state is set
// before should_stop/should_park/thread_should_run are tested (lost-wakeup-free order).
static int smpboot_thread_fn(void* data) {
  auto* td = static_cast<smpboot_thread_data*>(data);
  smp_hotplug_thread* ht = td->ht;
  for (;;) {
    if (kt_variant(Variant::kSmpbootNoBarrier)) {
      __set_current_state(TASK_INTERRUPTIBLE);  // BUG (variant): no smp_mb before the tests
      kt_proto(ProtoEv::kLoopSetInterruptible);
    } else if (!kt_variant(Variant::kSmpbootCheckBeforeSetState)) {
      set_current_state(TASK_INTERRUPTIBLE);
      kt_proto(ProtoEv::kLoopSetInterruptible);
    }
    preempt_disable();
    // A test that leads to a TASK_RUNNING store has its protocol event at the store
    // (proto_event.h): until then a waker can still match the sleep state.
    bool stop = kthread_should_stop();
    if (!stop) kt_proto(ProtoEv::kLoopShouldStop, kNoTask, 0);
    if (stop) {
      __set_current_state(TASK_RUNNING);
      kt_proto(ProtoEv::kLoopShouldStop, kNoTask, 1);
      preempt_enable();
      // cleanup must mirror setup
      if (ht->cleanup && td->status != HP_THREAD_NONE) ht->cleanup(td->cpu, cpu_online(td->cpu));
      return 0;
    }
    bool park = false;
    if (!kt_variant(Variant::kSmpbootParkAfterSchedule)) {
      park = kthread_should_park();
      if (!park) kt_proto(ProtoEv::kLoopShouldPark, kNoTask, 0);
    }
    if (park) {
      __set_current_state(TASK_RUNNING);
      kt_proto(ProtoEv::kLoopShouldPark, kNoTask, 1);
      preempt_enable();
      smpboot_park(td, ht);
      // We might have been woken for stop
      continue;
    }
    // BUG (variant): the sleep state is set only after the stop/park tests.
    if (kt_variant(Variant::kSmpbootCheckBeforeSetState)) {
      set_current_state(TASK_INTERRUPTIBLE);
      kt_proto(ProtoEv::kLoopSetInterruptible);
    }
    check_cpu(td, "td->cpu != smp_processor_id()");
    // Check for state change setup
    switch (td->status) {
      case HP_THREAD_NONE:
        __set_current_state(TASK_RUNNING);
        kt_proto(ProtoEv::kLoopStatus, kNoTask, HP_THREAD_NONE);
        preempt_enable();
        if (ht->setup) ht->setup(td->cpu);
        set_status(td, HP_THREAD_NONE, HP_THREAD_ACTIVE);
        continue;
      case HP_THREAD_PARKED:
        __set_current_state(TASK_RUNNING);
        kt_proto(ProtoEv::kLoopStatus, kNoTask, HP_THREAD_PARKED);
        preempt_enable();
        if (ht->unpark) ht->unpark(td->cpu);
        set_status(td, HP_THREAD_PARKED, HP_THREAD_ACTIVE);
        continue;
    }
    kt_proto(ProtoEv::kLoopStatus, kNoTask, HP_THREAD_ACTIVE);
    bool run = ht->thread_should_run(td->cpu);
    kt_proto(ProtoEv::kLoopThreadShouldRun, kNoTask, run);
    if (!run) {
      preempt_enable_no_resched();
      sys().SetWakeCondition(
          [ht, td] {
            return kthread_should_stop() || kthread_should_park() || ht->thread_should_run(td->cpu);
          },
          "kthread_should_stop() || kthread_should_park() || thread_should_run(cpu)");
      schedule();
      sys().SetWakeCondition({}, nullptr);
      // BUG (variant): should_park is tested only after a sleep, so a park request that
      // arrives while thread_fn runs is not seen before the next schedule().
      if (kt_variant(Variant::kSmpbootParkAfterSchedule) && kthread_should_park())
        smpboot_park(td, ht);
    } else {
      __set_current_state(TASK_RUNNING);
      kt_proto(ProtoEv::kLoopThreadFn);
      preempt_enable();
      ht->thread_fn(td->cpu);
    }
  }
}

// __smpboot_create_thread() -- create once, bind, mark per-CPU, park before threadfn.
static int __smpboot_create_thread(smp_hotplug_thread* ht, unsigned int cpu) {
  task_struct* tsk = READ_ONCE(ht->store[cpu]);
  if (tsk) return 0;
  auto* td = ArenaNew<smpboot_thread_data>();
  td->cpu = cpu;
  td->ht = ht;
  tsk = kthread_create_on_cpu(smpboot_thread_fn, td, cpu, ht->thread_comm);
  if (IS_ERR(tsk)) return static_cast<int>(PTR_ERR(tsk));
  kthread_set_per_cpu(tsk, static_cast<int>(cpu));
  kt_proto(ProtoEv::kSmpbootThreadCreated, tsk->tid, cpu);
  // Park the thread so that it could start right on the CPU when it is available.
  kthread_park(tsk);
  get_task_struct(tsk);
  WRITE_ONCE(ht->store[cpu], tsk);
  if (ht->create) {
    // Make sure that the task has actually scheduled out into park position, before
    // calling the create callback.
    if (!wait_task_inactive(tsk, TASK_PARKED))
      WARN_ON(1);
    else
      ht->create(cpu);
  }
  return 0;
}

int smpboot_create_threads(unsigned int cpu) {
  int ret = 0;
  mutex_lock(&g.smpboot_threads_lock);
  for (list_head* p = g.hotplug_threads.next; p != &g.hotplug_threads; p = p->next) {
    ret = __smpboot_create_thread(list_entry(p, smp_hotplug_thread, list), cpu);
    if (ret) break;
  }
  mutex_unlock(&g.smpboot_threads_lock);
  return ret;
}

static void smpboot_unpark_thread(smp_hotplug_thread* ht, unsigned int cpu) {
  task_struct* tsk = READ_ONCE(ht->store[cpu]);
  if (!ht->selfparking) kthread_unpark(tsk);
}

int smpboot_unpark_threads(unsigned int cpu) {
  mutex_lock(&g.smpboot_threads_lock);
  for (list_head* p = g.hotplug_threads.next; p != &g.hotplug_threads; p = p->next)
    smpboot_unpark_thread(list_entry(p, smp_hotplug_thread, list), cpu);
  mutex_unlock(&g.smpboot_threads_lock);
  return 0;
}

static void smpboot_park_thread(smp_hotplug_thread* ht, unsigned int cpu) {
  task_struct* tsk = READ_ONCE(ht->store[cpu]);
  if (tsk && !ht->selfparking) kthread_park(tsk);
}

// smpboot_park_threads() -- reverse registration order.
int smpboot_park_threads(unsigned int cpu) {
  mutex_lock(&g.smpboot_threads_lock);
  for (list_head* p = g.hotplug_threads.prev; p != &g.hotplug_threads; p = p->prev)
    smpboot_park_thread(list_entry(p, smp_hotplug_thread, list), cpu);
  mutex_unlock(&g.smpboot_threads_lock);
  return 0;
}

// smpboot_destroy_threads() -- "We need to destroy also the parked threads of offline
// cpus": every possible CPU.
static void smpboot_destroy_threads(smp_hotplug_thread* ht) {
  for (int cpu = 0; cpu < nr_cpu_ids(); ++cpu) {
    task_struct* tsk = READ_ONCE(ht->store[cpu]);
    if (tsk) {
      kthread_stop(tsk);
      put_task_struct(tsk);
      WRITE_ONCE(ht->store[cpu], nullptr);
    }
  }
}

int smpboot_register_percpu_thread(smp_hotplug_thread* plug_thread) {
  int ret = 0;
  cpus_read_lock();
  mutex_lock(&g.smpboot_threads_lock);
  for (int cpu = 0; cpu < nr_cpu_ids(); ++cpu) {
    if (!cpu_online(static_cast<unsigned int>(cpu))) continue;  // for_each_online_cpu
    ret = __smpboot_create_thread(plug_thread, static_cast<unsigned int>(cpu));
    if (ret) {
      smpboot_destroy_threads(plug_thread);
      goto out;
    }
    smpboot_unpark_thread(plug_thread, static_cast<unsigned int>(cpu));
  }
  list_add(&plug_thread->list, &g.hotplug_threads);
out:
  mutex_unlock(&g.smpboot_threads_lock);
  cpus_read_unlock();
  return ret;
}

void smpboot_unregister_percpu_thread(smp_hotplug_thread* plug_thread) {
  cpus_read_lock();
  mutex_lock(&g.smpboot_threads_lock);
  kt_proto(ProtoEv::kSmpbootUnregister);
  list_del_init(&plug_thread->list);
  smpboot_destroy_threads(plug_thread);
  mutex_unlock(&g.smpboot_threads_lock);
  cpus_read_unlock();
}

}  // namespace kt
