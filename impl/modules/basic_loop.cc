// basic_loop -- the seed's first example: a thread that works and sleeps with
// msleep_interruptible() until kthread_stop(). The driver keeps the module loaded for
// 1.5 s of virtual time, so the loop runs more than once before the stop.
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

struct my_data {
  unsigned long iterations;
};
my_data data;
task_struct* my_thread;

void do_my_work(my_data* d) { WRITE_ONCE(d->iterations, READ_ONCE(d->iterations) + 1); }

int my_thread_fn(void* arg) {
  auto* d = static_cast<my_data*>(arg);
  // kt_proto_test: the line the model's kFnTestStop stands for (conformance).
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    do_my_work(d);
    msleep_interruptible(1000);
  }
  return 0;
}

int my_init() {
  data = my_data{};
  my_thread = kthread_run(my_thread_fn, &data, "my_thread");
  return IS_ERR(my_thread) ? static_cast<int>(PTR_ERR(my_thread)) : 0;
}

void my_exit() {
  // BUG (variant, the seed's "kthread_stop() 없이 모듈 언로드"): no kthread_stop().
  if (kt_variant(Variant::kExitWithoutStop)) return;
  int ret = kthread_stop(my_thread);
  WARN_ON(ret != 0 && ret != -EINTR);
}

void run() {
  if (my_init()) return;
  msleep(1500);
  my_exit();
}

}  // namespace

extern const Scenario kBasicLoop = {
    "basic_loop",
    "kthread_run + msleep_interruptible loop on kthread_should_stop(), kthread_stop at exit",
    run};

}  // namespace kt
