// idle_oracles.cc -- what the controlled runtime does when no task can run: the hang
// and lost-wakeup oracles, the hung-task detector, and virtual time (timers fire only
// when every task is blocked, earliest deadline first).
#include <algorithm>
#include <string>

#include "checker/runtime/check.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::rt {

std::string ControlledSys::Describe(TaskId t) const {
  const Task& k = tasks_[t];
  std::string s = std::string(k.name) + " (CPU" + std::to_string(k.cpu) + ")";
  switch (k.op.kind) {
    case OpKind::kBlock:
      s += " sleeps";
      if (k.wait.state) s += std::string(" in ") + k.wait.state;
      s += std::string(" at ") + k.wait.what;
      if (k.deadline) s += " (timeout at t=" + std::to_string(k.deadline) + "ms)";
      break;
    case OpKind::kSpin:
      s += std::string(" spins in ") + k.op.fn + ": " + k.op.what;
      break;
    case OpKind::kLock:
      s += std::string(" spins on a lock in ") + k.op.fn;
      break;
    default:
      s += std::string(" is stuck in ") + k.op.fn;
      break;
  }
  if (k.wake_cond && k.op.kind == OpKind::kBlock) {
    bool holds = EvalAs(t, k.wake_cond);
    s += std::string("; its wake condition `") + k.wake_text + "` " +
         (holds ? "holds, but no wakeup is pending" : "is false");
  }
  return s;
}

// The wait-for chain from `from`: each link names the task expected to end the wait.
std::string ControlledSys::WaitChain(TaskId from, std::vector<std::string>* details) const {
  uint32_t seen = 0;
  std::string sentence;
  for (TaskId t = from; t != kNoTask && !(seen >> t & 1);) {
    seen |= 1u << t;
    details->push_back(Describe(t));
    if (sentence.empty()) sentence = Describe(t);
    TaskId next = tasks_[t].op.kind == OpKind::kBlock ? tasks_[t].wait.waits_for : kNoTask;
    if (next != kNoTask && tasks_[next].finished) {
      details->push_back(std::string(tasks_[next].name) + " has exited");
      break;
    }
    t = next;
  }
  for (int i = 0; i < ntasks_; ++i) {
    const Task& k = tasks_[i];
    if (seen >> i & 1 || k.finished || (k.op.kind == OpKind::kBlock && k.wait.idle)) continue;
    details->push_back("also blocked: " + Describe(i));
  }
  return sentence;
}

bool ControlledSys::HandleIdle() {
  const Task& root = tasks_[root_];
  TaskId timer = kNoTask;
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (t.finished || t.op.kind != OpKind::kBlock || t.permit || !t.deadline) continue;
    if (timer == kNoTask || t.deadline < tasks_[timer].deadline) timer = i;
  }

  if (!root.finished && timer == kNoTask) {
    std::string s = WaitChain(root_, &result_.details);
    End(Outcome::kHang, "nothing can run and no timer is pending: " + s);
  }

  // Lost wakeup: a sleeper whose wake condition holds, with no wakeup in flight (every
  // task is blocked, so no waker is half-way through try_to_wake_up).
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (t.finished || t.op.kind != OpKind::kBlock || t.permit || !t.wake_cond) continue;
    if (EvalAs(i, t.wake_cond)) {
      result_.details.push_back(Describe(i));
      End(Outcome::kLostWakeup, std::string(t.name) + " sleeps although `" + t.wake_text +
                                    "` holds, and no wakeup is pending");
    }
  }

  if (root.finished) {
    // A timer that may fire early is still due: the execution goes on until it fires, so
    // that every step that may run does run (the partial-order reduction finds the races
    // of a step only in executions that contain it).
    for (int i = 0; i < ntasks_; ++i) {
      const Task& t = tasks_[i];
      if (!t.finished && t.op.kind == OpKind::kBlock && !t.permit && ExpiresEarly(t))
        return FireTimer(i);
    }
    // lifetime: the module's exit returned, yet one of its threads is still alive (not
    // an idle daemon such as kthreadd): its code would run after the module is gone.
    for (int i = 0; i < ntasks_; ++i) {
      const Task& t = tasks_[i];
      if (t.finished || (t.op.kind == OpKind::kBlock && t.wait.idle)) continue;
      result_.details.push_back(Describe(i));
      EndFinding("lifetime", std::string(t.name) + " is still alive after " + root.name +
                                 " (the module's exit) returned");
    }
    End(Outcome::kComplete, "");
  }

  // khungtaskd: an untimed, non-idle wait that outlasts the hung-task timeout.
  uint64_t next_time = std::max(now_, tasks_[timer].deadline);
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (t.finished || t.deadline || (t.op.kind == OpKind::kBlock && t.wait.idle)) continue;
    if (next_time - t.since > options_.hung_task_timeout) {
      std::string s = WaitChain(i, &result_.details);
      End(Outcome::kHang, "blocked for more than " +
                              std::to_string(options_.hung_task_timeout) +
                              " ms of virtual time (hung task): " + s);
    }
  }

  return FireTimer(timer);
}

// The machine is idle: `timer`'s sleep ends by its timeout, ordered after every step so
// far (global_sync). An early expiry may have moved the clock past its deadline already:
// time never goes back.
bool ControlledSys::FireTimer(TaskId timer) {
  Task& t = tasks_[timer];
  now_ = std::max(now_, t.deadline);
  t.permit = true;
  t.timed_out = true;
  // An early-expiring timer was enabled all along: firing it now is one of the orders
  // explored, not a step ordered after everything.
  timer_fired_ = !ExpiresEarly(t);
  return true;
}

}  // namespace kt::rt
