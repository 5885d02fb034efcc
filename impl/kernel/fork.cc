// fork.cc -- kernel_thread() / copy_process() / do_exit(), reduced (see fork.h).
#include "impl/kernel/fork.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "impl/kernel/completion.h"
#include "impl/kthread/kthread.h"
#include "impl/platform/arena.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

struct ForkArgs {
  task_struct* p;
  int (*fn)(void*);
  void* arg;
};

// ret_from_fork: register the task with the seam's id, finish the switch in
// (on_cpu = 1, as finish_task_switch() leaves it), run fn.
void task_entry(void* raw) {
  auto* f = static_cast<ForkArgs*>(raw);
  if (f->p->tid < 0 || f->p->tid >= kMaxTasks) {  // a limit of the port, not a kernel rule
    std::fprintf(stderr, "kthcheck: more than %d tasks in one boot\n", kMaxTasks);
    std::abort();
  }
  sched_globals.task_by_tid[f->p->tid] = f->p;
  WRITE_ONCE(f->p->on_cpu, 1);
  do_exit(f->fn(f->arg));
}

}  // namespace

const char* kstrdup(const char* s) {
  size_t n = std::strlen(s) + 1;
  char* d = static_cast<char*>(ArenaAlloc(n));
  std::memcpy(d, s, n);
  return d;
}

task_struct* kernel_thread(int (*fn)(void*), void* arg, const char* name, unsigned int flags,
                           unsigned int cpu, TaskId* tid_out) {
  // copy_process()
  auto* p = ArenaNew<task_struct>();
  p->__state = TASK_NEW;
  p->flags = flags;
  p->comm = kstrdup(name);
  p->cpu = p->wake_cpu = cpu;
  p->cpus_mask = (1UL << nr_cpu_ids()) - 1;
  if (flags & PF_KTHREAD) set_kthread_struct(p);
  auto* f = ArenaNew<ForkArgs>(ForkArgs{p, fn, arg});
  wake_up_new_task(p);
  TaskId tid = sys().Spawn(task_entry, f, p->comm, static_cast<int>(task_cpu(p)), &p->tid);
  if (tid_out) *tid_out = tid;
  return p;
}

// do_exit() -> exit_mm() -> mm_release() -> complete_vfork_done(), then do_task_dead().
void do_exit(long code) {
  (void)code;  // kthreads report their result through kthread_exit()
  task_struct* tsk = current;
  WRITE_ONCE(tsk->flags, tsk->flags | PF_EXITING);
  if (tsk->vfork_done) {
    kt_proto(ProtoEv::kExitComplete);
    complete(tsk->vfork_done);
  }  // "kthread_stop() uses this completion"
  set_special_state(TASK_DEAD);
  // do_task_dead() -> __schedule(): dequeue for good; the seam ends the task.
  raw_spin_lock(&task_rq(tsk)->lock);
  WRITE_ONCE(tsk->on_rq, 0);
  raw_spin_unlock(&task_rq(tsk)->lock);
  smp_store_release(&tsk->on_cpu, 0);
  sys().Exit();
}

// Task memory lives in the per-execution arena and is never freed mid-run, so the
// reference count has nothing to protect here; the calls stay for transcription.
void get_task_struct(task_struct* p) { (void)p; }
void put_task_struct(task_struct* p) { (void)p; }

}  // namespace kt
