// export_html.cc -- the counterexample as one self-contained HTML page: inline CSS, no
// script, no external asset, so it opens offline and attaches to a bug report as is.
//
// Top to bottom: the verdict (oracle, one sentence, details, replay command); a legend;
// an overview with one lane per task (its slices as coloured bars, 1 step = 1 unit,
// each bar links to its first step); then the steps in order, one row per step and one
// swimlane column per task: the acting task's cell says what it did, the other cells
// show each task's status by colour. Preemption points and the failing (last) step are
// highlighted. Stable hooks for tests and scripts: .lane[data-task], tr#step-N,
// tr.preempted, tr.failing, #verdict[data-oracle].
#include <algorithm>
#include <cstdio>
#include <map>

#include "checker/cli/export.h"
#include "checker/cli/timeline.h"

namespace kt::cli {
namespace {

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fff}
header,section{padding:8px 16px}
#verdict{border-bottom:3px solid #c62828;background:#ffebee}
#verdict.holds{border-color:#2e7d32;background:#e8f5e9}
#verdict h1{font-size:18px;margin:4px 0}
#verdict .oracle{color:#c62828}
code,td,.lane-name{font-family:ui-monospace,monospace;font-size:12px}
.legend span{display:inline-block;margin:2px 10px 2px 0}
.sw{display:inline-block;width:14px;height:14px;vertical-align:middle;margin-right:4px;
  border:1px solid #888}
.lane{display:flex;align-items:center;margin:3px 0}
.lane-name{width:240px;flex:none;overflow:hidden}
.lane.implicated .lane-name{color:#c62828;font-weight:bold}
.bar{position:relative;flex:1;height:18px;background:#fafafa;border:1px solid #ddd;overflow:hidden}
.seg{position:absolute;top:0;height:100%}
.mark{position:absolute;top:-3px;height:24px;width:2px;background:#c62828}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th.n{width:48px} th.cpu{width:48px}
th{position:sticky;top:0;background:#eee;text-align:left;padding:3px 6px;z-index:1}
td{padding:1px 6px;border-bottom:1px solid #f0f0f0;overflow-wrap:anywhere}
td.act{font-weight:600}
tr.preempted td.n{box-shadow:inset 4px 0 #f57f17}
tr.preempted td.n::after{content:" \25B6";color:#f57f17}
tr.failing td{background:#ffcdd2 !important;border-top:2px solid #c62828;border-bottom:2px solid #c62828}
tr:target td{outline:2px solid #1565c0}
.badge{display:inline-block;border-radius:3px;padding:0 4px;margin-left:6px;font-weight:normal;
  background:#e3f2fd;border:1px solid #90caf9}
.badge.nomatch{background:#fff3e0;border-color:#ffb74d}
td.running{background:#c8e6c9} .seg.running,.sw.running{background:#2e7d32}
td.preempted{background:#ffe082} .seg.preempted,.sw.preempted{background:#f9a825}
td.woken{background:#bbdefb} .seg.woken,.sw.woken{background:#1e88e5}
td.sleeping{background:#eeeeee} .seg.sleeping,.sw.sleeping{background:#9e9e9e}
td.sleeping-d{background:#d6d6d6} .seg.sleeping-d,.sw.sleeping-d{background:#546e7a}
td.parked{background:#e1bee7} .seg.parked,.sw.parked{background:#8e24aa}
.sw.none{background:#fff}
)";

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string StatusClass(const TaskSlice& s) {
  if (s.status != TaskStatus::kSleeping) return StatusName(s.status);
  if (s.state == "TASK_PARKED") return "parked";
  std::string letter = StateLetter(s.state);
  return letter == "S" || letter == "I" ? "sleeping" : "sleeping-d";
}

class HtmlWriter {
 public:
  HtmlWriter(std::ostream& out, const Report& r)
      : out_(out), r_(r), tl_(ReadTimeline(r.trace, r.task_names, r.target.cpus)) {
    for (size_t t = 0; t < tl_.names.size(); ++t)
      if (tl_.started[t]) lanes_.push_back(static_cast<TaskId>(t));
    status_.assign(tl_.names.size(), std::vector<std::string>(tl_.steps));
    for (const TaskSlice& s : tl_.task_slices)
      for (int i = s.begin; i < s.end && i < tl_.steps; ++i) status_[s.task][i] = StatusClass(s);
    for (const Event& e : tl_.events) Badge(e);
  }

  void Write() {
    const explore::Verdict& v = r_.verdict;
    out_ << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kthcheck: "
         << Esc(r_.target.scenario->name) << " " << explore::VerdictName(v.kind)
         << (v.oracle.empty() ? "" : " [" + Esc(v.oracle) + "]") << "</title>\n<style>" << kStyle
         << "</style></head>\n<body>\n";
    Verdict();
    Legend();
    Overview();
    Steps();
    out_ << "</body></html>\n";
  }

 private:
  void Badge(const Event& e) {
    const std::string target = e.target == kNoTask ? "" : tl_.names[e.target];
    std::string& b = badges_[e.step];
    if (e.kind == EventKind::kWaking)
      b += e.matched ? "<span class=\"badge wake\">wakes " + Esc(target) + "</span>"
                     : "<span class=\"badge nomatch\">wakeup of " + Esc(target) +
                           " matches nothing (" + Esc(e.value) + ")</span>";
    else if (e.kind == EventKind::kFlags)
      b += "<span class=\"badge\">" + Esc(target) + " flags " + Esc(e.value) + "</span>";
    else if (e.kind == EventKind::kCompletion)
      b += "<span class=\"badge\">" + Esc(e.value) + ".done = " + Esc(e.detail) + "</span>";
    else if (e.kind == EventKind::kBuffered)
      b += "<span class=\"badge\">buffered on CPU" + std::to_string(e.cpu) +
           ": not yet visible to other CPUs</span>";
    else if (e.kind == EventKind::kDrained)
      b += "<span class=\"badge" + std::string(e.detail.empty() ? "" : " nomatch") +
           "\">now visible to other CPUs" + (e.detail.empty() ? "" : ": " + Esc(e.detail)) +
           "</span>";
  }

  void Verdict() {
    const explore::Verdict& v = r_.verdict;
    std::string variant = r_.target.variant == Variant::kNone
                              ? "faithful"
                              : "variant " + std::string(VariantName(r_.target.variant));
    out_ << "<header id=\"verdict\" class=\"" << explore::VerdictName(v.kind) << "\" data-oracle=\""
         << Esc(v.oracle) << "\">\n<h1>" << Esc(r_.target.scenario->name) << " (" << Esc(variant)
         << ", " << r_.target.cpus << " CPUs): " << explore::VerdictName(v.kind);
    if (!v.oracle.empty()) out_ << " <span class=\"oracle\">[" << Esc(v.oracle) << "]</span>";
    out_ << "</h1>\n<p class=\"message\">" << Esc(v.message) << "</p>\n<ul class=\"details\">";
    for (const std::string& d : v.details) out_ << "<li>" << Esc(d) << "</li>";
    out_ << "</ul>\n<p>" << tl_.steps << " steps, " << v.preemptions << " preemptions";
    if (tl_.steps > 0)
      out_ << "; <a href=\"#step-" << tl_.steps - 1 << "\">failing step " << tl_.steps - 1
           << "</a>";
    out_ << "</p>\n";
    if (!r_.token.empty())
      out_ << "<p class=\"replay\">replay: <code>./kthcheck replay " << Esc(r_.token)
           << "</code></p>\n";
    out_ << "</header>\n";
  }

  void Legend() {
    static const char* const kItems[][2] = {{"running", "running"},
                                            {"preempted", "preempted (runnable, CPU taken)"},
                                            {"woken", "woken (runnable)"},
                                            {"sleeping", "sleeping: S (interruptible)"},
                                            {"sleeping-d", "sleeping: D (uninterruptible)"},
                                            {"parked", "parked (TASK_PARKED)"},
                                            {"none", "not started / exited"}};
    out_ << "<section id=\"legend\" class=\"legend\"><b>Legend</b> ";
    for (const auto& it : kItems)
      out_ << "<span><i class=\"sw " << it[0] << "\"></i>" << it[1] << "</span>";
    out_ << "<span>&#9654; preemption point (the row's task took the CPU from a runnable task)"
            "</span><span><i class=\"sw\" style=\"background:#ffcdd2;border-color:#c62828\"></i>"
            "failing step</span><span>1 step = 1 &micro;s in the Perfetto and ftrace exports"
            "</span></section>\n";
  }

  std::string Pct(int x) const {
    char b[16];
    std::snprintf(b, sizeof b, "%.3f%%", tl_.end ? 100.0 * x / tl_.end : 0.0);
    return b;
  }

  // A task the verdict names: the first word of its message or of a detail line.
  bool Implicated(TaskId t) const {
    auto names = [&](const std::string& line) { return line.rfind(tl_.names[t] + " ", 0) == 0; };
    const explore::Verdict& v = r_.verdict;
    return names(v.message) || std::any_of(v.details.begin(), v.details.end(), names);
  }

  void Overview() {
    out_ << "<section id=\"overview\"><b>Tasks</b> (one lane per task; red: named in the "
            "verdict; red line: failing step; after it, each task's state at the end)\n";
    for (TaskId t : lanes_) {
      bool implicated = Implicated(t);
      out_ << "<div class=\"lane" << (implicated ? " implicated" : "") << "\" id=\"lane-" << t
           << "\" data-task=\"" << Esc(tl_.names[t]) << "\"><span class=\"lane-name\">"
           << Esc(tl_.names[t]) << (tl_.asleep_at_end[t] ? " (asleep at the end)" : "")
           << "</span><div class=\"bar\">";
      for (const TaskSlice& s : tl_.task_slices) {
        if (s.task != t) continue;
        out_ << "<a class=\"seg " << StatusClass(s) << "\" style=\"left:" << Pct(s.begin)
             << ";width:" << Pct(s.end - s.begin) << "\" href=\"#step-" << s.begin << "\" title=\""
             << Esc(SliceName(s)) << ", steps " << s.begin << "-" << s.end - 1 << ", CPU" << s.cpu
             << "\"></a>";
      }
      if (tl_.steps > 0)
        out_ << "<i class=\"mark\" style=\"left:" << Pct(tl_.steps - 1) << "\"></i>";
      out_ << "</div></div>\n";
    }
    out_ << "</section>\n";
  }

  void Steps() {
    out_ << "<section id=\"steps\"><table class=\"steps\">\n<thead><tr><th "
            "class=\"n\">step</th><th class=\"cpu\">CPU</th>";
    for (TaskId t : lanes_)
      out_ << "<th class=\"lane-head\" data-task=\"" << Esc(tl_.names[t]) << "\">"
           << Esc(tl_.names[t]) << "</th>";
    out_ << "</tr></thead>\n<tbody>\n";
    for (const rt::TraceLine& l : r_.trace) {
      bool failing = l.step == tl_.steps - 1;
      out_ << "<tr id=\"step-" << l.step << "\" class=\"step" << (l.preempted ? " preempted" : "")
           << (failing ? " failing" : "") << "\" data-task=\"" << Esc(tl_.names[l.task])
           << "\"><td class=\"n\">" << l.step << "</td><td>CPU" << l.cpu << "</td>";
      for (TaskId t : lanes_) {
        const std::string& cls = l.step < tl_.steps ? status_[t][l.step] : std::string();
        out_ << "<td class=\"" << cls << (t == l.task ? " act" : "") << "\">";
        if (t == l.task) {
          out_ << Esc(l.fn) << ": " << Esc(l.text);
          auto b = badges_.find(l.step);
          if (b != badges_.end()) out_ << b->second;
          if (failing) out_ << "<span class=\"badge nomatch\">failing step</span>";
        }
        out_ << "</td>";
      }
      out_ << "</tr>\n";
    }
    out_ << "</tbody></table></section>\n";
  }

  std::ostream& out_;
  const Report& r_;
  Timeline tl_;
  std::vector<TaskId> lanes_;
  std::vector<std::vector<std::string>> status_;  // [task][step]: a td class
  std::map<int, std::string> badges_;             // step -> badge HTML
};

}  // namespace

void WriteHtml(std::ostream& out, const Report& r) { HtmlWriter(out, r).Write(); }

}  // namespace kt::cli
