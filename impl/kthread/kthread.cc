// kthread.cc -- kernel/kthread.c (v6.14): kthreadd, kthread(), create/stop/park/unpark/
// parkme/bind. Function names, order and comments on ordering follow the kernel.
#include "impl/kthread/kthread.h"

#include <string>

#include "impl/kernel/bug.h"
#include "impl/kernel/fork.h"
#include "impl/kernel/list.h"
#include "impl/platform/arena.h"
#include "impl/variants.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

struct kthread_create_info {
  const char* full_name;
  int (*threadfn)(void* data);
  void* data;
  int node;
  task_struct* result;
  completion* done;
  list_head list;
};

struct KthreadGlobals {
  spinlock_t kthread_create_lock;
  list_head kthread_create_list;
  task_struct* kthreadd_task;
};
KthreadGlobals g;

const char* Label(const char* what, task_struct* p) {
  return kstrdup((std::string(what) + " of " + p->comm).c_str());
}

}  // namespace

void kthread_init_globals() {
  g = KthreadGlobals{};
  INIT_LIST_HEAD(&g.kthread_create_list);
}

task_struct* kthreadd_task() { return g.kthreadd_task; }

// rest_init(): kthreadd is forked before any module loads.
void kthreadd_start(unsigned int cpu) {
  g.kthreadd_task = kernel_thread(kthreadd, nullptr, "kthreadd", PF_KTHREAD | PF_NOFREEZE, cpu);
}

// set_kthread_struct() -- v5.17+: called from copy_process() for PF_KTHREAD tasks.
void set_kthread_struct(task_struct* p) {
  auto* kthread = ArenaNew<struct kthread>();
  init_completion(&kthread->exited, Label("completion `exited`", p), p);
  init_completion(&kthread->parked, Label("completion `parked`", p), p);
  p->vfork_done = &kthread->exited;
  kthread->task = p;
  p->worker_private = kthread;
}

// to_kthread() -- WARNs for a task that is not a kthread.
kthread* to_kthread(task_struct* k) {
  WARN_ON(!(kt_peek(k->flags) & PF_KTHREAD));
  return static_cast<kthread*>(k->worker_private);
}

bool kthread_should_stop() { return test_bit(KTHREAD_SHOULD_STOP, &to_kthread(current)->flags); }

bool __kthread_should_park(task_struct* k) {
  return test_bit(KTHREAD_SHOULD_PARK, &to_kthread(k)->flags);
}

bool kthread_should_park() { return __kthread_should_park(current); }

// __kthread_parkme() -- v4.18+ order: the special state is stored before the flag test,
// so kthread_unpark() either is seen as !SHOULD_PARK or its TASK_PARKED wakeup arrives.
// complete(&parked) is issued every time the loop decides to sleep; preemption is off
// from there to schedule() (v5.7, 26c7295be0c5) so kthread_park()'s wait_task_inactive()
// normally finds the thread already off the runqueue.
static void __kthread_parkme(kthread* self) {
  for (;;) {
    // BUG (variant): `parked` is completed before the state is set, so kthread_park()
    // may find the thread still running.
    if (kt_variant(Variant::kParkmeCompleteBeforeState) &&
        test_bit(KTHREAD_SHOULD_PARK, &self->flags))
      complete(&self->parked);
    if (kt_variant(Variant::kParkmeNotSpecial))
      set_current_state(TASK_INTERRUPTIBLE);  // BUG (variant): any wakeup ends this sleep
    else
      set_special_state(TASK_PARKED);
    kt_proto(ProtoEv::kParkmeSetParked);
    bool park = test_bit(KTHREAD_SHOULD_PARK, &self->flags);
    kt_proto(ProtoEv::kParkmeTestShouldPark, kNoTask, park);
    if (!park) break;
    preempt_disable();
    if (!kt_variant(Variant::kParkmeCompleteBeforeState)) kt_proto(ProtoEv::kParkmeComplete);
    if (kt_variant(Variant::kParkmeCompleteAll))
      complete_all(&self->parked);  // BUG (variant): leaves `parked` done after the wait
    else if (!kt_variant(Variant::kParkmeCompleteBeforeState))
      complete(&self->parked);
    sys().SetWakeCondition([self] { return !(self->flags >> KTHREAD_SHOULD_PARK & 1); },
                           "!kthread_should_park()");
    kt_annotate_wait("schedule() in TASK_PARKED (__kthread_parkme)", nullptr);
    schedule_preempt_disabled();
    sys().SetWakeCondition({}, nullptr);
    preempt_enable();
  }
  __set_current_state(TASK_RUNNING);
  kt_proto(ProtoEv::kParkmeSetRunning);
}

void kthread_parkme() { __kthread_parkme(to_kthread(current)); }

// kthread_exit() -- v5.17+: store the result, then do_exit() completes `exited`
// (mm_release -> complete_vfork_done); the store precedes the completion.
void kthread_exit(long result) {
  kthread* kthread = to_kthread(current);
  if (kt_variant(Variant::kExitBeforeResult)) {
    // BUG (variant): `exited` is completed before the result is stored (the pre-5.17
    // do_exit(ret) ordering bug class, B26), so kthread_stop() may read a stale result.
    kt_proto(ProtoEv::kExitComplete);
    complete(&kthread->exited);
    current->vfork_done = nullptr;
  }
  WRITE_ONCE(kthread->result, static_cast<int>(result));
  WRITE_ONCE(kthread->kt_result_stored, 1);
  // The faithful store is part of the model's exit step (kExitComplete's); only the
  // variant's late one is a step of its own.
  if (kt_variant(Variant::kExitBeforeResult)) kt_proto(ProtoEv::kExitResultStored);
  // BUG (variant): the flag that lets kthread_stop() read the result early is published
  // with WRITE_ONCE(); it needs smp_store_release() (or smp_wmb() before it) to become
  // visible only after the stores above. Sequential consistency and TSO keep stores in
  // order, so only pso shows it.
  if (kt_variant(Variant::kExitFlagWithoutRelease)) WRITE_ONCE(kthread->result_published, 1);
  do_exit(0);
}

// kthread() -- the body of every kthread (v6.14 order, kernel-semantics.md section 8).
static int kthread_fn(void* _create) {
  auto* create = static_cast<kthread_create_info*>(_create);
  int (*threadfn)(void* data) = create->threadfn;
  void* data = create->data;
  kthread* self = to_kthread(current);

  // If the creator was killed, `done` is already NULL and `create` is ours to free.
  completion* done = xchg(&create->done, nullptr);
  if (!done) kthread_exit(-EINTR);

  self->full_name = create->full_name;
  self->threadfn = threadfn;
  self->data = data;

  // OK, tell the creator we're alive and wait for the first wakeup.
  __set_current_state(TASK_UNINTERRUPTIBLE);
  create->result = current;
  // Preemption off across complete() -> schedule(), so the creator's
  // wait_task_inactive() (kthread_bind) does not find us preempted but queued.
  preempt_disable();
  complete(done);
  kt_annotate_wait("kthread(): waiting for the first wakeup", nullptr);
  // Only the creator holds the new task, and it relies on this sleep lasting until its
  // wake_up_process() (kthread_bind()'s wait_task_inactive() WARNs otherwise).
  kt_annotate_private_sleep();
  schedule_preempt_disabled();
  preempt_enable();

  WRITE_ONCE(self->started, 1);

  int ret = -EINTR;
  bool stop = test_bit(KTHREAD_SHOULD_STOP, &self->flags);
  kt_proto(ProtoEv::kKthreadTestShouldStop, kNoTask, stop);
  if (!stop) {
    __kthread_parkme(self);
    ret = threadfn(data);
  }
  kthread_exit(ret);
}

// create_kthread() -- called by kthreadd for each queued request. Fork never fails here.
static void create_kthread(kthread_create_info* create) {
  kernel_thread(kthread_fn, create, create->full_name, PF_KTHREAD | PF_NOFREEZE,
                task_cpu(current));
}

// kthreadd() -- serializes kthread creation. Its sleep is idle, not a hang.
int kthreadd(void* unused) {
  (void)unused;
  for (;;) {
    set_current_state(TASK_INTERRUPTIBLE);
    if (list_empty(&g.kthread_create_list)) {
      sys().SetWakeCondition([] { return g.kthread_create_list.next != &g.kthread_create_list; },
                             "!list_empty(&kthread_create_list)");
      current->kt_wait.idle = true;
      kt_annotate_wait("kthreadd idle", nullptr);
      schedule();
      sys().SetWakeCondition({}, nullptr);
    }
    __set_current_state(TASK_RUNNING);

    spin_lock(&g.kthread_create_lock);
    while (!list_empty(&g.kthread_create_list)) {
      kthread_create_info* create =
          list_entry(g.kthread_create_list.next, kthread_create_info, list);
      list_del_init(&create->list);
      spin_unlock(&g.kthread_create_lock);
      create_kthread(create);
      spin_lock(&g.kthread_create_lock);
    }
    spin_unlock(&g.kthread_create_lock);
  }
}

// __kthread_create_on_node() -- queue the request for kthreadd, wake it, wait for the
// new thread to report itself through `done`.
task_struct* kthread_create_on_node(int (*threadfn)(void*), void* data, int node,
                                    const char* name) {
  completion done;  // DECLARE_COMPLETION_ONSTACK
  init_completion(&done, "completion `create->done`", g.kthreadd_task);
  auto* create = ArenaNew<kthread_create_info>();
  create->threadfn = threadfn;
  create->data = data;
  create->node = node;
  create->done = &done;
  create->full_name = kstrdup(name);

  spin_lock(&g.kthread_create_lock);
  list_add_tail(&create->list, &g.kthread_create_list);
  spin_unlock(&g.kthread_create_lock);

  wake_up_process(g.kthreadd_task);
  // Wait for completion in killable state, for I might be chosen by the OOM killer
  // while kthreadd is trying to allocate memory for the new kernel thread.
  if (wait_for_completion_killable(&done)) {
    if (xchg(&create->done, nullptr)) return ERR_PTR<task_struct>(-EINTR);
    wait_for_completion(&done);
  }
  kt_proto(ProtoEv::kKthreadCreated, create->result->tid);
  return create->result;
}

task_struct* kthread_run(int (*threadfn)(void*), void* data, const char* name) {
  task_struct* k = kthread_create(threadfn, data, name);
  if (!IS_ERR(k)) {
    kt_proto(ProtoEv::kWakeIntent, k->tid, kWakeRun);
    wake_up_process(k);
  }
  return k;
}

// __kthread_bind_mask() -- the thread must be inactive in `state`; otherwise WARN and
// skip the binding entirely (the source of "wrong CPU" failures).
static void __kthread_bind_mask(task_struct* p, unsigned long mask, unsigned int state) {
  unsigned long inactive = wait_task_inactive(p, state);
  kt_proto(ProtoEv::kBindWaitInactive, p->tid, state);
  if (!inactive) {
    // The kernel's WARN_ON(1): invariant 4 (section 18, binding), reported by name.
    kt_invariant("binding", false);
    return;
  }
  unsigned long flags = 0;
  // It's safe because the task is inactive.
  raw_spin_lock_irqsave(&p->pi_lock, flags);
  do_set_cpus_allowed(p, mask);
  WRITE_ONCE(p->flags, p->flags | PF_NO_SETAFFINITY);
  raw_spin_unlock_irqrestore(&p->pi_lock, flags);
}

static void __kthread_bind(task_struct* p, unsigned int cpu, unsigned int state) {
  __kthread_bind_mask(p, 1UL << cpu, state);
}

void kthread_bind_mask(task_struct* p, unsigned long mask) {
  kthread* kthread = to_kthread(p);
  __kthread_bind_mask(p, mask, TASK_UNINTERRUPTIBLE);
  WARN_ON_ONCE(READ_ONCE(kthread->started));
}

// kthread_bind() -- only valid on a just-created thread, still asleep in kthread().
void kthread_bind(task_struct* p, unsigned int cpu) {
  kthread* kthread = to_kthread(p);
  __kthread_bind(p, cpu, TASK_UNINTERRUPTIBLE);
  WARN_ON_ONCE(READ_ONCE(kthread->started));
}

// kthread_create_on_cpu() -- v5.11+: binds, records the CPU, does not set IS_PER_CPU.
task_struct* kthread_create_on_cpu(int (*threadfn)(void*), void* data, unsigned int cpu,
                                   const char* name) {
  task_struct* p = kthread_create_on_node(threadfn, data, 0, name);
  if (IS_ERR(p)) return p;
  kthread_bind(p, cpu);
  to_kthread(p)->cpu = cpu;
  return p;
}

void kthread_set_per_cpu(task_struct* k, int cpu) {
  kthread* kthread = to_kthread(k);
  if (!kthread) return;
  WARN_ON_ONCE(!(READ_ONCE(k->flags) & PF_NO_SETAFFINITY));
  if (cpu < 0) {
    clear_bit(KTHREAD_IS_PER_CPU, &kthread->flags);
    return;
  }
  kthread->cpu = static_cast<unsigned int>(cpu);
  set_bit(KTHREAD_IS_PER_CPU, &kthread->flags);
}

bool kthread_is_per_cpu(task_struct* p) {
  struct kthread* kthread = static_cast<struct kthread*>(p->worker_private);
  if (!kthread || !(kt_peek(p->flags) & PF_KTHREAD)) return false;
  return test_bit(KTHREAD_IS_PER_CPU, &kthread->flags);
}

// kthread_unpark() -- v6.12+ (214e01ad4ed7): nothing to do unless SHOULD_PARK.
void kthread_unpark(task_struct* k) {
  kthread* kthread = to_kthread(k);
  bool parked = test_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
  kt_proto(ProtoEv::kUnparkTestBit, k->tid, parked);
  if (!parked) return;
  // Newly created kthread was parked when the CPU was offline. The binding was lost
  // and we need to set it again.
  if (kt_variant(Variant::kUnparkBeforeRebind)) {
    // BUG (variant): the thread is released before it is bound back to its CPU.
    clear_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
    wake_up_state(k, TASK_PARKED);
  }
  if (test_bit(KTHREAD_IS_PER_CPU, &kthread->flags))
    __kthread_bind(k, kthread->cpu, TASK_PARKED);
  if (kt_variant(Variant::kUnparkBeforeRebind)) return;
  clear_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
  kt_proto(ProtoEv::kUnparkClearBit, k->tid);
  // __kthread_parkme() will either see !SHOULD_PARK or get the wakeup.
  kt_proto(ProtoEv::kWakeIntent, k->tid, kWakeUnpark);
  wake_up_state(k, TASK_PARKED);
}

// kthread_park() -- returns only once k sleeps in TASK_PARKED off the CPU.
int kthread_park(task_struct* k) {
  kthread* kthread = to_kthread(k);
  if (WARN_ON(READ_ONCE(k->flags) & PF_EXITING)) return -ENOSYS;
  if (WARN_ON_ONCE(test_bit(KTHREAD_SHOULD_PARK, &kthread->flags))) return -EBUSY;

  set_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
  kt_proto(ProtoEv::kParkSetBit, k->tid);
  if (k != current) {
    if (!kt_variant(Variant::kParkWithoutWakeup)) {
      kt_proto(ProtoEv::kWakeIntent, k->tid, kWakePark);
      wake_up_process(k);
    }
    // Wait for __kthread_parkme() to complete(), this means we _will_ have TASK_PARKED
    // and are about to call schedule().
    wait_for_completion(&kthread->parked);
    kt_proto(ProtoEv::kParkWaitParked, k->tid);
    // Invariant 3 (section 18): each park handshake consumes the one complete().
    kt_invariant("completion_balance", READ_ONCE(kthread->parked.done) == 0);
    // Now wait for that schedule() to complete and the task to get scheduled out. The
    // kernel's WARN_ON_ONCE here asserts invariant 2 (section 18), the park
    // postcondition; it is reported under that name.
    unsigned long inactive = wait_task_inactive(k, TASK_PARKED);
    kt_proto(ProtoEv::kParkWaitInactive, k->tid);
    if (!inactive) kt_invariant("park_postcondition", false);
  }
  return 0;
}

// Variant exit_flag_without_release: kthread_stop()'s ending with a lock-free fast path.
// The result is read once smp_cond_load_acquire() sees `result_published` (acquire: the
// reader side is right), then `exited` is waited for so the task is dead on return.
// The invariant is the kernel's one: the result read is the one kthread_exit() stored.
static int kthread_stop_early_result(task_struct* k) {
  kthread* kthread = to_kthread(k);
  const void* watch[] = {&kthread->result_published};
  sys().SpinUntil([kthread] { return READ_ONCE(kthread->result_published) != 0; }, watch, 1,
                  __func__, "smp_cond_load_acquire(&kthread->result_published, VAL)");
  (void)smp_load_acquire(&kthread->result_published);
  kt_invariant("result_before_exited", READ_ONCE(kthread->kt_result_stored));
  int ret = READ_ONCE(kthread->result);
  wait_for_completion(&kthread->exited);
  kt_proto(ProtoEv::kStopWaitExited, k->tid);
  put_task_struct(k);
  return ret;
}

// kthread_stop() -- v6.1+ text. Returns threadfn's result, or -EINTR if the thread was
// stopped before it ever ran threadfn.
int kthread_stop(task_struct* k) {
  get_task_struct(k);
  kthread* kthread = to_kthread(k);
  set_bit(KTHREAD_SHOULD_STOP, &kthread->flags);
  kt_proto(ProtoEv::kStopSetBit, k->tid);
  if (!kt_variant(Variant::kStopWithoutUnpark)) kthread_unpark(k);
  set_bit(TIF_NOTIFY_SIGNAL, &k->thread_flags);  // set_tsk_thread_flag()
  kt_proto(ProtoEv::kStopSignal, k->tid);
  kt_proto(ProtoEv::kWakeIntent, k->tid, kWakeStop);
  wake_up_process(k);
  if (kt_variant(Variant::kExitFlagWithoutRelease)) return kthread_stop_early_result(k);
  wait_for_completion(&kthread->exited);
  kt_proto(ProtoEv::kStopWaitExited, k->tid);
  // Invariant 3 (section 18): `exited` completes only after the result is stored.
  kt_invariant("result_before_exited", READ_ONCE(kthread->kt_result_stored));
  int ret = READ_ONCE(kthread->result);
  put_task_struct(k);
  return ret;
}

}  // namespace kt
