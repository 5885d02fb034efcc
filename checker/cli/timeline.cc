#include "checker/cli/timeline.h"

#include <algorithm>
#include <map>

namespace kt::cli {
namespace {

// One "lhs = value" (store) or "lhs -> value" (load) part of a trace line's text.
struct Access {
  std::string lhs, value;
  bool store = false;
};

std::vector<std::string> Parts(const std::string& text) {
  std::vector<std::string> parts;
  size_t at = 0;
  for (size_t semi; (semi = text.find("; ", at)) != std::string::npos; at = semi + 2)
    parts.push_back(text.substr(at, semi - at));
  parts.push_back(text.substr(at));
  return parts;
}

bool ParseAccess(const std::string& part, Access* a) {
  size_t eq = part.find(" = "), arrow = part.find(" -> ");
  size_t at = std::min(eq, arrow);
  if (at == std::string::npos) return false;
  a->store = at == eq;
  a->lhs = part.substr(0, at);
  a->value = part.substr(at + (a->store ? 3 : 4));
  size_t note = a->value.find(", ");  // tso: ", buffered on CPU1", ", forwarded from ..."
  if (note != std::string::npos) a->value.resize(note);
  return true;
}

// The ttwu steps after a state match: a wakeup attempt's outcome shows among them.
bool InTtwu(const std::string& fn) {
  static const char* const kFns[] = {"__task_state_match", "ttwu_state_match", "ttwu_remote",
                                     "ttwu_runnable",      "ttwu_queue",       "ttwu_do_wakeup",
                                     "ttwu_do_activate",   "select_task_rq",   "select_fallback_rq",
                                     "set_task_cpu",       "try_to_wake_up"};
  for (const char* f : kFns)
    if (fn == f) return true;
  return false;
}

class Reader {
 public:
  Reader(const std::vector<rt::TraceLine>& trace, const std::vector<std::string>& names, int cpus)
      : trace_(trace) {
    tl_.steps = static_cast<int>(trace.size());
    tl_.names = names;
    for (const rt::TraceLine& l : trace) cpus = std::max(cpus, l.cpu + 1);
    for (const rt::TraceLine& l : trace)
      if (l.task >= static_cast<TaskId>(tl_.names.size())) tl_.names.resize(l.task + 1);
    for (size_t t = 0; t < tl_.names.size(); ++t) {
      if (tl_.names[t].empty()) tl_.names[t] = "task" + std::to_string(t);
      by_name_.emplace(tl_.names[t], static_cast<TaskId>(t));
    }
    tl_.cpus = cpus;
    size_t n = tl_.names.size();
    open_.resize(n);
    own_state_.assign(n, "TASK_RUNNING");
    cpu_task_.assign(cpus, kNoTask);
    cpu_begin_.assign(cpus, 0);
    tl_.started.assign(n, false);
    tl_.asleep_at_end.assign(n, false);
    next_.assign(trace.size(), -1);
    std::vector<int> last(n, -1);
    for (int i = static_cast<int>(trace.size()) - 1; i >= 0; --i) {
      next_[i] = last[trace[i].task];
      last[trace[i].task] = i;
    }
  }

  Timeline Read() {
    for (int i = 0; i < tl_.steps; ++i) Step(i);
    for (int c = 0; c < tl_.cpus; ++c) SwitchCpu(c, kNoTask, tl_.steps, "", false, false);
    tl_.end = tl_.steps + std::max(1, tl_.steps / 10);
    for (size_t t = 0; t < open_.size(); ++t) {
      TaskStatus st = open_[t].slice.status;
      bool asleep = open_[t].live && (st == TaskStatus::kSleeping || st == TaskStatus::kWoken);
      tl_.asleep_at_end[t] = asleep;
      Close(static_cast<TaskId>(t), asleep ? tl_.end : tl_.steps);
    }
    std::stable_sort(tl_.task_slices.begin(), tl_.task_slices.end(),
                     [](const TaskSlice& a, const TaskSlice& b) { return a.task < b.task; });
    std::stable_sort(tl_.events.begin(), tl_.events.end(),
                     [](const Event& a, const Event& b) { return a.step < b.step; });
    return std::move(tl_);
  }

 private:
  TaskId Find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? kNoTask : it->second;
  }

  void Close(TaskId t, int at) {
    Open& o = open_[t];
    o.slice.end = at;
    if (o.live && at > o.slice.begin) tl_.task_slices.push_back(o.slice);
    o.live = false;
  }

  void SetStatus(TaskId t, TaskStatus status, const std::string& state, int cpu, int at) {
    Open& o = open_[t];
    const TaskSlice& x = o.slice;
    if (o.live && x.status == status && x.state == state && x.cpu == cpu) return;
    Close(t, at);
    o.slice = TaskSlice{t, status, state, cpu, at, at};
    o.live = true;
  }

  // CPU `c` runs `next` from step `at` on (kNoTask: idle); the task it leaves gets
  // prev_state `why`, and is marked preempted if `preempt`. `event`: record the switch.
  void SwitchCpu(int c, TaskId next, int at, const std::string& why, bool preempt,
                 bool event = true) {
    TaskId prev = cpu_task_[c];
    if (prev == next) return;
    if (prev != kNoTask) tl_.cpu_slices.push_back(CpuSlice{c, prev, cpu_begin_[c], at});
    if (event) {
      Event e{at, EventKind::kSwitch, prev, next, c};
      e.value = why;
      tl_.events.push_back(e);
    }
    if (preempt && prev != kNoTask && open_[prev].live &&
        open_[prev].slice.status == TaskStatus::kRunning)
      SetStatus(prev, TaskStatus::kPreempted, "", c, at);
    cpu_task_[c] = next;
    cpu_begin_[c] = at;
  }

  void Step(int i) {
    const rt::TraceLine& l = trace_[i];
    TaskId a = l.task;
    int s = l.step, c = l.cpu;
    if (l.kind == rt::OpKind::kDrain) return Drained(i);
    for (int other = 0; other < tl_.cpus; ++other)  // it migrated: its old CPU is idle
      if (other != c && cpu_task_[other] == a) SwitchCpu(other, kNoTask, s, "R", false);
    SwitchCpu(c, a, s, "R+", true);
    tl_.started[a] = true;
    SetStatus(a, TaskStatus::kRunning, "", c, s);
    for (const std::string& part : Parts(l.text)) ReadPart(i, part);
    if (l.buffered) {
      Event e{s, EventKind::kBuffered, a, kNoTask, c};
      e.value = Parts(l.text).front();
      e.value.resize(std::min(e.value.size(), e.value.find(", buffered")));
      tl_.events.push_back(e);
    }
    if (l.kind == rt::OpKind::kWake && l.woken != kNoTask &&
        l.woken < static_cast<TaskId>(open_.size()) && open_[l.woken].live &&
        open_[l.woken].slice.status == TaskStatus::kSleeping)
      SetStatus(l.woken, TaskStatus::kWoken, open_[l.woken].slice.state, l.woken_cpu, s + 1);
    int j = next_[i];
    bool blocks = j >= 0 ? trace_[j].kind == rt::OpKind::kBlock
                         : l.text.find(tl_.names[a] + "->on_cpu = 0") != std::string::npos;
    if (!blocks) return;
    const std::string& state = own_state_[a];
    SwitchCpu(c, kNoTask, s + 1, StateLetter(state), false);
    if (j < 0 && state == "TASK_DEAD")
      Close(a, s + 1);
    else
      SetStatus(a, TaskStatus::kSleeping, state, c, s + 1);
  }

  // "drained to memory: LHS = V (buffered by T at step N)[, after R read the old value]"
  void Drained(int i) {
    const rt::TraceLine& l = trace_[i];
    tl_.started[l.task] = true;
    // The buffer's lane is busy for the step of its drain, and idle otherwise.
    SetStatus(l.task, TaskStatus::kRunning, "", l.cpu, l.step);
    Close(l.task, l.step + 1);
    Event e{l.step, EventKind::kDrained, l.stored_by, l.task, l.cpu};
    static const std::string kHead = "drained to memory: ";
    size_t at = l.text.rfind(kHead, 0) == 0 ? kHead.size() : 0;
    size_t paren = l.text.find(" (buffered by", at);
    e.value = l.text.substr(at, paren == std::string::npos ? paren : paren - at);
    size_t after = l.text.find("), after ");
    if (after != std::string::npos) e.detail = l.text.substr(after + 3);
    tl_.events.push_back(e);
  }

  void ReadPart(int i, const std::string& part) {
    const rt::TraceLine& l = trace_[i];
    Access acc;
    if (!ParseAccess(part, &acc)) return;
    Event e{l.step, EventKind::kSetState, l.task};
    if (acc.lhs.rfind("completion `", 0) == 0 && acc.store) {
      size_t tick = acc.lhs.find('`', 12);
      e.kind = EventKind::kCompletion;
      e.value = acc.lhs.substr(12, tick == std::string::npos ? tick : tick - 12);
      e.detail = acc.value;
      tl_.events.push_back(e);
      return;
    }
    static const std::string kFlags = " kthread->flags";
    if (acc.lhs.size() > kFlags.size() &&
        acc.lhs.compare(acc.lhs.size() - kFlags.size(), kFlags.size(), kFlags) == 0) {
      e.target = Find(acc.lhs.substr(0, acc.lhs.size() - kFlags.size()));
      e.kind = EventKind::kFlags;
      e.value = acc.value;
      if (acc.store && e.target != kNoTask) tl_.events.push_back(e);
      return;
    }
    size_t arrow = acc.lhs.find("->");
    if (arrow == std::string::npos || acc.lhs.compare(arrow, 9, "->__state") != 0) return;
    e.target = Find(acc.lhs.substr(0, arrow));
    if (e.target == kNoTask) return;
    if (e.target == l.task) own_state_[l.task] = acc.value;
    if (acc.store) {
      e.value = acc.value;
      tl_.events.push_back(e);
    } else if (l.fn == "__task_state_match" && !Waits(i)) {
      ReadWakeup(i, e.target, acc.value);
    }
  }

  // wait_task_inactive() also matches states; its lock step comes right before.
  bool Waits(int i) const {
    for (int k = i - 1; k >= 0; --k)
      if (trace_[k].task == trace_[i].task) return trace_[k].fn == "wait_task_inactive";
    return false;
  }

  // A wakeup attempt on `target` starts at line i: it matched if the waker then stores
  // target's state (TASK_WAKING, TASK_RUNNING, or saved_state) among its ttwu steps.
  void ReadWakeup(int i, TaskId target, const std::string& state) {
    const rt::TraceLine& l = trace_[i];
    Event waking{l.step, EventKind::kWaking, l.task, target};
    waking.value = state;
    const std::string& name = tl_.names[target];
    Event wakeup{-1, EventKind::kWakeup, l.task, target, open_[target].slice.cpu};
    for (int k = next_[i], n = 0; k >= 0 && n < 24 && InTtwu(trace_[k].fn); k = next_[k], ++n) {
      const std::string& text = trace_[k].text;
      if (trace_[k].fn == "__task_state_match" && text.find("->__state ->") != std::string::npos)
        break;  // the next attempt
      if (text.find(name + "->__state = ") != std::string::npos ||
          text.find(name + "->saved_state = ") != std::string::npos)
        waking.matched = true;
      if (text.find(name + "->__state = TASK_RUNNING") != std::string::npos)
        wakeup.step = trace_[k].step;
      if (trace_[k].kind == rt::OpKind::kWake && trace_[k].woken == target)
        wakeup.cpu = trace_[k].woken_cpu;
    }
    waking.cpu = wakeup.cpu;
    tl_.events.push_back(waking);
    if (wakeup.step < 0) return;
    for (int k = wakeup.step + 1; k < tl_.steps && wakeup.resume < 0; ++k)
      if (trace_[k].task == target) wakeup.resume = trace_[k].step;
    tl_.events.push_back(wakeup);
  }

  struct Open {
    TaskSlice slice;
    bool live = false;
  };

  const std::vector<rt::TraceLine>& trace_;
  Timeline tl_;
  std::map<std::string, TaskId> by_name_;
  std::vector<Open> open_;
  std::vector<std::string> own_state_;  // a task's last __state as it saw it itself
  std::vector<TaskId> cpu_task_;
  std::vector<int> cpu_begin_;
  std::vector<int> next_;  // the index of the same task's next line, or -1
};

}  // namespace

const char* StatusName(TaskStatus s) {
  switch (s) {
    case TaskStatus::kRunning:
      return "running";
    case TaskStatus::kPreempted:
      return "preempted";
    case TaskStatus::kSleeping:
      return "sleeping";
    case TaskStatus::kWoken:
      return "woken";
  }
  return "?";
}

std::string SliceName(const TaskSlice& s) {
  switch (s.status) {
    case TaskStatus::kRunning:
      return "running";
    case TaskStatus::kPreempted:
      return "preempted (runnable)";
    case TaskStatus::kWoken:
      return "woken (runnable)";
    case TaskStatus::kSleeping:
      return (s.state == "TASK_PARKED" ? "parked (" : "sleeping (") + s.state + ")";
  }
  return "?";
}

const char* StateLetter(const std::string& state) {
  if (state == "TASK_RUNNING" || state == "TASK_WAKING") return "R";
  if (state.rfind("TASK_INTERRUPTIBLE", 0) == 0) return "S";
  if (state == "TASK_PARKED") return "P";
  if (state == "TASK_DEAD") return "X";
  if (state == "TASK_IDLE") return "I";
  return "D";  // UNINTERRUPTIBLE, KILLABLE, FROZEN: all "D" in the kernel's report
}

Timeline ReadTimeline(const std::vector<rt::TraceLine>& trace,
                      const std::vector<std::string>& names, int cpus) {
  return Reader(trace, names, cpus).Read();
}

}  // namespace kt::cli
