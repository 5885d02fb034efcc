// export_ftrace.cc -- the counterexample as ftrace text, in the line format of
// `trace-cmd report` (and of /sys/kernel/tracing/trace without the flags column):
//
//       TASK-PID     [CPU] SECONDS.USECS: EVENT: FIELDS
//     main-2       [000]      0.000129: sched_waking: comm=event_thread pid=3 prio=120
//     target_cpu=001
//
// 1 step = 1 us. pid = task id + 1; swapper/N (pid 0) is CPU N idle; every task has
// prio 120. The scheduler events use the kernel's field formats:
//   sched_switch   a CPU changes task (prev_state R+ = preempted, S, D, P = parked, X = exited)
//   sched_waking   a wakeup's state match succeeded (try_to_wake_up)
//   sched_wakeup   the TASK_RUNNING store that ends the sleep (ttwu_do_wakeup)
// The kthread events are kthcheck's own, in the same line format:
//   kthread_wakeup_nomatch  a wakeup whose state match failed (it did nothing)
//   kthread_set_state       a store to a task's __state (other than a wakeup's)
//   kthread_flags           a store to a task's kthread->flags (SHOULD_STOP, SHOULD_PARK)
//   kthread_complete        a completion's done count changes
//   kthread_verdict         the failing step: verdict, oracle and message
// and every step is also a `bprint` line (kernel function: what it did), as trace_printk
// would print it.
#include <algorithm>
#include <cstdio>

#include "checker/cli/export.h"
#include "checker/cli/timeline.h"

namespace kt::cli {
namespace {

class FtraceWriter {
 public:
  FtraceWriter(std::ostream& out, const Report& r)
      : out_(out), r_(r), tl_(ReadTimeline(r.trace, r.task_names, r.target.cpus)) {}

  void Write() {
    Header();
    size_t e = 0;
    for (int s = 0; s <= tl_.steps; ++s) {
      for (; e < tl_.events.size() && tl_.events[e].step == s; ++e) Print(tl_.events[e]);
      if (s < tl_.steps) Bprint(r_.trace[s]);
      if (s == tl_.steps - 1) Verdict();  // before the last step's switch-out (at s + 1)
    }
  }

 private:
  std::string Comm(TaskId t, int cpu) const {
    return t == kNoTask ? "swapper/" + std::to_string(cpu) : tl_.names[t];
  }
  static int Pid(TaskId t) { return t == kNoTask ? 0 : t + 1; }

  void Line(TaskId who, int cpu, int step, const char* event, const std::string& fields) {
    char head[96];
    std::snprintf(head, sizeof head, "%16s-%-7d [%03d] %6d.%06d: ", Comm(who, cpu).c_str(),
                  Pid(who), cpu, step / 1000000, step % 1000000);
    out_ << head << event << ": " << fields << "\n";
  }

  std::string Task(const char* prefix, TaskId t, int cpu) const {
    return std::string(prefix) + "comm=" + Comm(t, cpu) + " " + prefix +
           "pid=" + std::to_string(Pid(t)) + " " + prefix + "prio=120";
  }

  static std::string Cpu(int cpu) {
    char b[16];
    std::snprintf(b, sizeof b, "%03d", cpu < 0 ? 0 : cpu);
    return b;
  }

  // The CPU the acting task was on at `step` (its own step, or its last one).
  int CpuOf(TaskId t, int step) const {
    for (int s = std::min(step, tl_.steps - 1); s >= 0; --s)
      if (r_.trace[s].task == t) return r_.trace[s].cpu;
    return 0;
  }

  bool WokenAt(const Event& x) const {
    for (const Event& w : tl_.events)
      if (w.kind == EventKind::kWakeup && w.step == x.step && w.target == x.target) return true;
    return false;
  }

  void Print(const Event& e) {
    std::string target = e.target == kNoTask ? "" : tl_.names[e.target];
    int cpu = e.kind == EventKind::kSwitch ? e.cpu : CpuOf(e.task, e.step);
    switch (e.kind) {
      case EventKind::kSwitch:
        Line(e.task, e.cpu, e.step, "sched_switch",
             Task("prev_", e.task, e.cpu) + " prev_state=" + (e.task == kNoTask ? "R" : e.value) +
                 " ==> " + Task("next_", e.target, e.cpu));
        break;
      case EventKind::kWaking:
        if (e.matched)
          Line(e.task, cpu, e.step, "sched_waking",
               Task("", e.target, 0) + " target_cpu=" + Cpu(e.cpu));
        else
          Line(e.task, cpu, e.step, "kthread_wakeup_nomatch",
               Task("", e.target, 0) + " state=" + e.value);
        break;
      case EventKind::kWakeup:
        Line(e.task, cpu, e.step, "sched_wakeup",
             Task("", e.target, 0) + " target_cpu=" + Cpu(e.cpu));
        break;
      case EventKind::kSetState:
        if (!WokenAt(e))
          Line(e.task, cpu, e.step, "kthread_set_state",
               "comm=" + target + " pid=" + std::to_string(Pid(e.target)) + " state=" + e.value);
        break;
      case EventKind::kFlags:
        Line(e.task, cpu, e.step, "kthread_flags",
             "comm=" + target + " pid=" + std::to_string(Pid(e.target)) + " flags=" + e.value);
        break;
      case EventKind::kCompletion:
        Line(e.task, cpu, e.step, "kthread_complete",
             "completion=" + e.value + " done=" + e.detail);
        break;
      case EventKind::kBuffered:
        Line(e.task, e.cpu, e.step, "tso_store_buffered",
             "cpu=" + std::to_string(e.cpu) + " store=\"" + e.value + "\"");
        break;
      case EventKind::kDrained:
        Line(e.target, e.cpu, e.step, "tso_store_drained",
             "cpu=" + std::to_string(e.cpu) + " store=\"" + e.value + "\" by=" +
                 (e.task == kNoTask ? "?" : tl_.names[e.task]) +
                 (e.detail.empty() ? "" : " (" + e.detail + ")"));
        break;
    }
  }

  void Bprint(const rt::TraceLine& l) {
    Line(l.task, l.cpu, l.step, "bprint", l.fn + ": " + l.text);
  }

  void Header() {
    const explore::Verdict& v = r_.verdict;
    out_ << "# tracer: nop\n#\n# kthcheck " << r_.target.scenario->name << " ("
         << (r_.target.variant == Variant::kNone
                 ? std::string("faithful")
                 : std::string("variant ") + VariantName(r_.target.variant))
         << ", " << r_.target.cpus << " CPUs"
         << (r_.target.memory_model != rt::MemoryModel::kSc
                 ? std::string(", memory model ") + rt::MemoryModelName(r_.target.memory_model)
                 : std::string())
         << "): " << explore::VerdictName(v.kind)
         << (v.oracle.empty() ? "" : " [" + v.oracle + "]") << "\n";
    if (!v.message.empty()) out_ << "# " << v.message << "\n";
    if (!r_.token.empty()) out_ << "# replay: ./kthcheck replay " << r_.token << "\n";
    out_ << "# 1 step = 1 us; pid = task id + 1; swapper/N (pid 0) is CPU N idle\n"
         << "# entries-in-buffer/entries-written: " << tl_.steps << "/" << tl_.steps
         << "   #P:" << tl_.cpus << "\n#\n"
         << "#            TASK-PID       CPU#     TIMESTAMP  FUNCTION\n"
         << "#               | |          |          |         |\n";
  }

  void Verdict() {
    const explore::Verdict& v = r_.verdict;
    const rt::TraceLine& last = r_.trace.back();
    Line(last.task, last.cpu, last.step, "kthread_verdict",
         std::string("verdict=") + explore::VerdictName(v.kind) + " oracle=" +
             (v.oracle.empty() ? "none" : v.oracle) + " message=\"" + v.message + "\"");
  }

  std::ostream& out_;
  const Report& r_;
  Timeline tl_;
};

}  // namespace

void WriteFtrace(std::ostream& out, const Report& r) { FtraceWriter(out, r).Write(); }

}  // namespace kt::cli
