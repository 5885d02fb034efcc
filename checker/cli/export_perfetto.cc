// export_perfetto.cc -- Chrome/Perfetto trace-event JSON (the "JSON Array/Object Format"
// of the Trace Event Format), which ui.perfetto.dev and chrome://tracing load.
//
// Timestamps are in microseconds: 1 step = 1 us. Two processes:
//   pid 1 "CPUs":  one thread per CPU (tid 1000 + cpu); a slice per stretch a task is on it.
//   pid 2 "Tasks": one thread per task (tid = task id + 1); slices by status (running,
//                  preempted, sleeping in a state, parked, woken), each step nested in its
//                  running slice (name = kernel function, args = the trace line);
//                  instant events for wakeups (matched or not), state and kthread flag
//                  stores, completions and preemptions; flow arrows from each wakeup to
//                  the step where its target resumes; a counter track per completion.
// A global instant marks the failing step with the verdict.
#include <nlohmann/json.hpp>

#include "checker/cli/export.h"
#include "checker/cli/timeline.h"

namespace kt::cli {
namespace {

using nlohmann::json;

constexpr int kCpuPid = 1, kTaskPid = 2, kCpuTid0 = 1000;

int Tid(TaskId t) { return t + 1; }

json Meta(const char* what, int pid, int tid, const json& args) {
  json e = {{"ph", "M"}, {"name", what}, {"pid", pid}, {"args", args}};
  if (tid >= 0) e["tid"] = tid;
  return e;
}

json Slice(int pid, int tid, int begin, int end, const std::string& name, const char* cat) {
  return {{"ph", "X"},          {"pid", pid},   {"tid", tid}, {"ts", begin},
          {"dur", end - begin}, {"name", name}, {"cat", cat}};
}

json Instant(int tid, int step, const std::string& name, const char* cat) {
  return {{"ph", "i"},  {"s", "t"},     {"pid", kTaskPid}, {"tid", tid},
          {"ts", step}, {"name", name}, {"cat", cat}};
}

void AddTracks(const Report& r, const Timeline& tl, json& ev) {
  ev.push_back(Meta("process_name", kCpuPid, -1, {{"name", "CPUs"}}));
  ev.push_back(Meta("process_sort_index", kCpuPid, -1, {{"sort_index", 0}}));
  std::string tasks = "Tasks (" + std::string(r.target.scenario->name) + ")";
  ev.push_back(Meta("process_name", kTaskPid, -1, {{"name", tasks}}));
  ev.push_back(Meta("process_sort_index", kTaskPid, -1, {{"sort_index", 1}}));
  for (int c = 0; c < tl.cpus; ++c) {
    ev.push_back(Meta("thread_name", kCpuPid, kCpuTid0 + c, {{"name", "CPU" + std::to_string(c)}}));
    ev.push_back(Meta("thread_sort_index", kCpuPid, kCpuTid0 + c, {{"sort_index", c}}));
  }
  for (size_t t = 0; t < tl.names.size(); ++t) {
    if (!tl.started[t]) continue;
    int tid = Tid(static_cast<TaskId>(t));
    ev.push_back(Meta("thread_name", kTaskPid, tid, {{"name", tl.names[t]}}));
    ev.push_back(Meta("thread_sort_index", kTaskPid, tid, {{"sort_index", t}}));
  }
}

void AddSlices(const Report& r, const Timeline& tl, json& ev) {
  for (const CpuSlice& s : tl.cpu_slices) {
    json e = Slice(kCpuPid, kCpuTid0 + s.cpu, s.begin, s.end, tl.names[s.task], "cpu");
    e["args"] = {{"task", tl.names[s.task]}, {"first_step", s.begin}, {"last_step", s.end - 1}};
    ev.push_back(e);
  }
  for (const TaskSlice& s : tl.task_slices) {
    json e = Slice(kTaskPid, Tid(s.task), s.begin, s.end, SliceName(s), StatusName(s.status));
    e["args"] = {{"cpu", s.cpu}};
    if (!s.state.empty()) e["args"]["state"] = s.state;
    if (s.end > tl.steps) e["args"]["note"] = "still asleep when the trace ends";
    ev.push_back(e);
  }
  for (const rt::TraceLine& l : r.trace) {
    json e = Slice(kTaskPid, Tid(l.task), l.step, l.step + 1, l.fn, "step");
    e["args"] = {{"step", l.step}, {"cpu", l.cpu}, {"event", l.text}, {"preempted", l.preempted}};
    ev.push_back(e);
    if (l.preempted)
      ev.push_back(
          Instant(Tid(l.task), l.step, "preempts CPU" + std::to_string(l.cpu), "preemption"));
  }
}

void AddEvents(const Timeline& tl, json& ev) {
  int flow = 0;
  for (const Event& e : tl.events) {
    const std::string who = e.task == kNoTask ? "" : tl.names[e.task];
    const std::string target = e.target == kNoTask ? "" : tl.names[e.target];
    json i;
    switch (e.kind) {
      case EventKind::kSwitch:
        continue;  // the CPU tracks show it
      case EventKind::kWaking:
        i = Instant(Tid(e.task), e.step,
                    "wake " + target + (e.matched ? "" : " (no match: " + e.value + ")"),
                    e.matched ? "wakeup" : "wakeup_nomatch");
        i["args"] = {{"target", target}, {"target_state", e.value}, {"matched", e.matched}};
        break;
      case EventKind::kWakeup:
        i = Instant(Tid(e.target), e.step, "woken by " + who, "wakeup");
        i["args"] = {{"waker", who}, {"target_cpu", e.cpu}};
        if (e.resume >= 0) {
          ++flow;
          ev.push_back({{"ph", "s"},
                        {"id", flow},
                        {"pid", kTaskPid},
                        {"tid", Tid(e.task)},
                        {"ts", e.step},
                        {"name", "wakeup"},
                        {"cat", "wakeup"}});
          ev.push_back({{"ph", "f"},
                        {"bp", "e"},
                        {"id", flow},
                        {"pid", kTaskPid},
                        {"tid", Tid(e.target)},
                        {"ts", e.resume},
                        {"name", "wakeup"},
                        {"cat", "wakeup"}});
        }
        break;
      case EventKind::kSetState:
        i = Instant(Tid(e.target), e.step, "__state = " + e.value, "state");
        i["args"] = {{"by", who}};
        break;
      case EventKind::kFlags:
        i = Instant(Tid(e.target), e.step, "kthread->flags = " + e.value, "flags");
        i["args"] = {{"by", who}};
        break;
      case EventKind::kCompletion:
        i = Instant(Tid(e.task), e.step, "completion `" + e.value + "`.done = " + e.detail,
                    "completion");
        ev.push_back({{"ph", "C"},
                      {"pid", kTaskPid},
                      {"ts", e.step},
                      {"name", "completion " + e.value},
                      {"args", {{"done", std::atoi(e.detail.c_str())}}}});
        break;
      case EventKind::kBuffered:
        i = Instant(Tid(e.task), e.step,
                    "buffered on CPU" + std::to_string(e.cpu) + ": " + e.value, "store_buffer");
        i["args"] = {{"cpu", e.cpu}, {"store", e.value}};
        break;
      case EventKind::kDrained:
        i = Instant(Tid(e.target), e.step, "drained: " + e.value, "store_buffer");
        i["args"] = {{"cpu", e.cpu}, {"store", e.value}, {"stored_by", who}};
        if (!e.detail.empty()) i["args"]["note"] = e.detail;
        break;
    }
    ev.push_back(i);
  }
}

void AddVerdict(const Report& r, const Timeline& tl, json& ev) {
  const explore::Verdict& v = r.verdict;
  if (tl.steps == 0) return;
  const rt::TraceLine& last = r.trace.back();
  std::string name =
      std::string(explore::VerdictName(v.kind)) + (v.oracle.empty() ? "" : ": " + v.oracle);
  json args = {{"message", v.message}, {"details", v.details}, {"step", last.step}};
  ev.push_back({{"ph", "i"},
                {"s", "g"},
                {"pid", kTaskPid},
                {"tid", Tid(last.task)},
                {"ts", last.step},
                {"name", name},
                {"cat", "verdict"},
                {"args", args}});
  json failing = Instant(Tid(last.task), last.step, "failing step", "verdict");
  failing["args"] = args;
  ev.push_back(failing);
}

}  // namespace

void WritePerfetto(std::ostream& out, const Report& r) {
  Timeline tl = ReadTimeline(r.trace, r.task_names, r.target.cpus);
  json ev = json::array();
  AddTracks(r, tl, ev);
  AddSlices(r, tl, ev);
  AddEvents(tl, ev);
  AddVerdict(r, tl, ev);
  // otherData: string values only (the format's metadata; Perfetto skips it).
  const explore::Verdict& v = r.verdict;
  json other = {
      {"scenario", r.target.scenario->name},
      {"variant", r.target.variant == Variant::kNone ? "none" : VariantName(r.target.variant)},
      {"cpus", std::to_string(r.target.cpus)},
      {"verdict", explore::VerdictName(v.kind)},
      {"oracle", v.oracle},
      {"message", v.message},
      {"schedule", r.token},
      {"time_unit", "1 step = 1 us"}};
  // One event per line: the file stays greppable and diffable.
  out << "{\"otherData\": " << other.dump() << ",\n\"traceEvents\": [\n";
  for (size_t i = 0; i < ev.size(); ++i) out << ev[i].dump() << (i + 1 < ev.size() ? ",\n" : "\n");
  out << "]}\n";
}

}  // namespace kt::cli
