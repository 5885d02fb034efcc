#include "checker/cli/report.h"

#include <cstdio>

namespace kt::cli {
namespace {

std::string Name(const Report& r, TaskId t) {
  return t >= 0 && t < static_cast<TaskId>(r.task_names.size()) ? r.task_names[t]
                                                                 : "task" + std::to_string(t);
}

std::string Header(const Report& r) {
  std::string s = r.target.scenario->name;
  s += r.target.variant == Variant::kNone ? std::string(" (faithful")
                                          : std::string(" (variant ") + VariantName(r.target.variant);
  s += ", " + std::to_string(r.target.cpus) + " CPUs";
  if (r.target.memory_model != rt::MemoryModel::kSc)
    s += std::string(", memory model ") + rt::MemoryModelName(r.target.memory_model);
  if (r.target.stray_wakeups)
    s += ", up to " + std::to_string(r.target.stray_wakeups) + " spurious wakeup(s) injected";
  if (r.target.irq_threaded) s += ", threaded interrupt handlers";
  return s + ")";
}

}  // namespace

nlohmann::json ToJson(const Report& r) {
  const explore::Verdict& v = r.verdict;
  nlohmann::json j;
  j["scenario"] = r.target.scenario->name;
  j["variant"] = r.target.variant == Variant::kNone ? nullptr
                                                    : nlohmann::json(VariantName(r.target.variant));
  j["cpus"] = r.target.cpus;
  j["memory_model"] = rt::MemoryModelName(r.target.memory_model);
  j["spurious_wakeups"] = r.target.stray_wakeups;
  j["irq"] = r.target.irq_threaded ? "threaded" : "hard";
  j["verdict"] = explore::VerdictName(v.kind);
  j["oracle"] = v.oracle.empty() ? nullptr : nlohmann::json(v.oracle);
  j["message"] = v.message;
  j["details"] = v.details;
  j["exhaustive"] = v.exhaustive;
  j["executions"] = v.executions;
  j["sleep_blocked"] = v.sleep_blocked;
  if (v.traces) {  // --count-traces
    j["traces"] = v.traces;
    j["memory_traces"] = v.memory_traces;
  }
  j["steps"] = v.steps;
  j["bound"] = v.bound.empty() ? nullptr : nlohmann::json(v.bound);
  j["seconds"] = v.seconds;
  j["schedule"] = r.token.empty() ? nullptr : nlohmann::json(r.token);
  j["preemptions"] = v.preemptions;
  nlohmann::json trace = nlohmann::json::array();
  for (const rt::TraceLine& l : r.trace)
    trace.push_back({{"step", l.step},
                     {"task", Name(r, l.task)},
                     {"cpu", l.cpu},
                     {"function", l.fn},
                     {"event", l.text},
                     {"preempted", l.preempted}});
  j["trace"] = trace;
  return j;
}

void PrintText(std::ostream& out, const Report& r) {
  const explore::Verdict& v = r.verdict;
  out << Header(r) << ": " << explore::VerdictName(v.kind);
  if (!v.oracle.empty()) out << " [" << v.oracle << "]";
  out << "\n";
  if (!v.message.empty()) out << "  " << v.message << "\n";
  for (const std::string& d : v.details) out << "    " << d << "\n";
  out << "  executions: " << v.executions << (v.exhaustive ? " (exhaustive)" : "");
  if (v.sleep_blocked) out << ", of which " << v.sleep_blocked << " sleep-set blocked";
  if (v.traces)
    out << ", " << v.traces << " distinct Mazurkiewicz traces (" << v.memory_traces
        << " if CPU regions are ignored)";
  if (!v.bound.empty()) out << ", bound reached: " << v.bound;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", v.seconds);
  out << ", " << secs << " s\n";
  if (r.trace.empty()) return;
  out << "\nInterleaving (" << r.trace.size() << " steps, " << v.preemptions
      << " preemptions; '>' marks a preemption):\n";
  for (const rt::TraceLine& l : r.trace) {
    char head[96];
    std::snprintf(head, sizeof head, "%5d %c %-14s CPU%d  ", l.step, l.preempted ? '>' : ' ',
                  Name(r, l.task).c_str(), l.cpu);
    out << head << l.fn << ": " << l.text << "\n";
  }
  out << "\nschedule: " << r.token << "\nreplay:   ./kthcheck replay " << r.token << "\n";
}

void PrintRow(std::ostream& out, const Report& r) {
  char line[256];
  std::string variant = r.target.variant == Variant::kNone ? "-" : VariantName(r.target.variant);
  if (r.target.memory_model != rt::MemoryModel::kSc)
    variant += std::string(" [") + rt::MemoryModelName(r.target.memory_model) + "]";
  if (r.target.stray_wakeups) variant += " [spurious=" + std::to_string(r.target.stray_wakeups) + "]";
  if (r.target.irq_threaded) variant += " [irq=threaded]";
  std::snprintf(line, sizeof line, "%-22s %-30s %-14s %-12s %10llu %8.2fs", r.target.scenario->name,
                variant.c_str(),
                explore::VerdictName(r.verdict.kind),
                r.verdict.oracle.empty() ? "-" : r.verdict.oracle.c_str(),
                static_cast<unsigned long long>(r.verdict.executions), r.verdict.seconds);
  out << line << "\n";
}

}  // namespace kt::cli
