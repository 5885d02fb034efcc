// exports_test -- the export formats of issue 7, for every variant's counterexample,
// through the CLI as a user runs it: `check` finds the counterexample, `report TOKEN
// --format=F --output=FILE` writes it, and the test reads the file back.
//
// Oracles:
//   perfetto  JSON that the Trace Event Format accepts: a named track per CPU and per task;
//             on every track the slices nest (no partial overlap); the status slices of a
//             task do not overlap and each step lies inside one of its "running" slices;
//             one step slice per trace line; every flow start has its end; a global
//             instant names the verdict at the failing (last) step.
//   ftrace    every line is a comment or matches the trace-cmd report line format, with
//             the kernel's field formats for sched_switch/sched_waking/sched_wakeup;
//             timestamps never decrease; on each CPU every sched_switch's prev is the
//             previous switch's next; one bprint per step, by the step's task on its CPU.
//   html      self-contained (no URL, no src, no link, no script); a lane per task, a row
//             per step, the failing row marked (the DOM as rendered: html_chromium_test).
//   text      oracle line, then the interleaving, then the replay command, in that order.
// And the story each export must tell for two variants (below, "Stories").
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "impl/variants.h"
#include "tests/report/run_binary.h"

namespace kt::testing {
namespace {

using nlohmann::json;

// A counterexample must show within this many executions (the slowest variant that
// does, kthread_worker's timer_fn_ignores_canceling, needs about 25 thousand). Variants
// that need more are skipped, with the reason printed.
constexpr const char* kMaxExecutions = "50000";

struct Cex {
  std::string token;
  json report;                     // `report --format=json`
  std::vector<std::string> tasks;  // the task of each step
  std::set<std::string> task_names;
};

std::string ScenarioOf(const std::string& variant) {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (variant == v[i].name) return v[i].scenario;
  return "";
}

// "tso" for a VARIANT_TSO row: its counterexample exists only under store buffers.
std::string MemoryModelOf(const std::string& variant) {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (variant == v[i].name) return v[i].memory_model;
  return "sc";
}

// 1 for a VARIANT_SPURIOUS row: its counterexample needs an injected stray wakeup.
int StraysOf(const std::string& variant) {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (variant == v[i].name) return v[i].stray_wakeups;
  return 0;
}

// nullopt (and a reason) if the check does not find a violation within the cap.
std::optional<Cex> Find(const std::string& variant, std::string* why) {
  Result r = Kthcheck("check --scenario=" + ScenarioOf(variant) + " --variant=" + variant +
                      " --memory-model=" + MemoryModelOf(variant) +
                      " --spurious-wakeups=" + std::to_string(StraysOf(variant)) +
                      " --format=json --max-executions=" + kMaxExecutions);
  json j = json::parse(r.out, nullptr, false);
  if (j.is_discarded() || j.value("verdict", "") != "violation") {
    *why = "no counterexample within " + std::string(kMaxExecutions) + " executions (exit " +
           std::to_string(r.status) + ")";
    return std::nullopt;
  }
  Cex c;
  c.token = j["schedule"];
  c.report = j;
  for (const json& l : j["trace"]) {
    c.tasks.push_back(l["task"]);
    c.task_names.insert(l["task"].get<std::string>());
  }
  return c;
}

std::string Report(const Cex& c, const std::string& format) {
  std::string file = TmpDir() + "/cex." + format;
  Result r = Kthcheck("report " + c.token + " --format=" + format + " --output=" + file);
  EXPECT_EQ(r.status, 1) << "report exits with the verdict's status (1: violation)\n" << r.err;
  EXPECT_EQ(r.out,
            "wrote " + file + " (" + format + ", " + std::to_string(c.tasks.size()) + " steps)\n");
  return Slurp(file);
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

// --- perfetto ------------------------------------------------------------------------

using Track = std::pair<int, int>;  // pid, tid

void ExpectNested(std::vector<json> slices, const std::string& track) {
  std::sort(slices.begin(), slices.end(), [](const json& a, const json& b) {
    return a["ts"] != b["ts"] ? a["ts"] < b["ts"] : a["dur"] > b["dur"];
  });
  std::vector<int> ends;  // the open slices' ends
  for (const json& s : slices) {
    int ts = s["ts"], end = ts + s["dur"].get<int>();
    EXPECT_GT(s["dur"].get<int>(), 0) << track << ": " << s.dump();
    while (!ends.empty() && ends.back() <= ts) ends.pop_back();
    if (!ends.empty())
      EXPECT_LE(end, ends.back()) << track << ": overlaps its parent: " << s.dump();
    ends.push_back(end);
  }
}

void CheckPerfetto(const Cex& c, const std::string& text) {
  json j = json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << "perfetto export is not JSON";
  for (auto& [k, v] : j["otherData"].items()) EXPECT_TRUE(v.is_string()) << k;
  std::map<Track, std::string> names;
  std::map<Track, std::vector<json>> slices;
  std::set<int> flow_starts, flow_ends;
  int steps = 0, verdicts = 0;
  const int last = static_cast<int>(c.tasks.size()) - 1;
  for (const json& e : j.at("traceEvents")) {
    std::string ph = e.at("ph");
    ASSERT_TRUE(std::string("MXisfC").find(ph) != std::string::npos) << e.dump();
    Track t{e.at("pid"), e.value("tid", -1)};
    if (ph == "M") {
      if (e["name"] == "thread_name") names[t] = e["args"]["name"];
      continue;
    }
    ASSERT_GE(e.at("ts").get<double>(), 0) << e.dump();
    if (ph == "X") slices[t].push_back(e);
    if (ph == "X" && e["cat"] == "step") ++steps;
    if (ph == "s") flow_starts.insert(e["id"].get<int>());
    if (ph == "f") flow_ends.insert(e["id"].get<int>());
    if (ph == "i" && e["s"] == "g") {
      ++verdicts;
      EXPECT_EQ(e["ts"], last);
      EXPECT_NE(e["name"].get<std::string>().find(c.report["oracle"].get<std::string>()),
                std::string::npos);
    }
  }
  EXPECT_EQ(steps, last + 1) << "one step slice per trace line";
  EXPECT_EQ(verdicts, 1);
  EXPECT_EQ(flow_starts, flow_ends);
  std::set<std::string> cpus, tasks;
  for (auto& [t, n] : names) (t.first == 1 ? cpus : tasks).insert(n);
  EXPECT_EQ(cpus, (std::set<std::string>{"CPU0", "CPU1"}));
  EXPECT_EQ(tasks, c.task_names) << "a track per task that ran";
  for (auto& [t, list] : slices) {
    std::string track = names[t];
    ExpectNested(list, track);
    if (t.first != 2) continue;
    std::vector<json> status;  // running, preempted, sleeping, woken: one at a time
    for (const json& s : list)
      if (s["cat"] != "step") status.push_back(s);
    ExpectNested(status, track);
    for (size_t a = 0; a + 1 < status.size(); ++a)
      for (size_t b = a + 1; b < status.size(); ++b)
        EXPECT_TRUE(status[a]["ts"].get<int>() + status[a]["dur"].get<int>() <= status[b]["ts"] ||
                    status[b]["ts"].get<int>() + status[b]["dur"].get<int>() <= status[a]["ts"])
            << track << ": " << status[a].dump() << " overlaps " << status[b].dump();
    for (const json& s : list) {
      if (s["cat"] != "step") continue;
      bool inside = false;
      for (const json& r : status)
        inside |= r["cat"] == "running" && r["ts"] <= s["ts"] &&
                  s["ts"].get<int>() < r["ts"].get<int>() + r["dur"].get<int>();
      EXPECT_TRUE(inside) << track << ": step outside a running slice: " << s.dump();
    }
  }
}

// The last status slice of `task` on its track.
json LastStatus(const std::string& text, const std::string& task) {
  json j = json::parse(text);
  int tid = -1;
  for (const json& e : j["traceEvents"])
    if (e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 2 && e["args"]["name"] == task)
      tid = e["tid"];
  json last;
  for (const json& e : j["traceEvents"])
    if (e["ph"] == "X" && e["pid"] == 2 && e["tid"] == tid && e["cat"] != "step" &&
        (last.is_null() || e["ts"] > last["ts"]))
      last = e;
  return last;
}

// --- ftrace --------------------------------------------------------------------------

void CheckFtrace(const Cex& c, const std::string& text) {
  static const std::regex kLine(R"(^ *(\S+)-(\d+) +\[(\d{3})\] +(\d+)\.(\d{6}): (\w+): (.*)$)");
  static const std::regex kSwitch(
      R"(^prev_comm=(\S+) prev_pid=\d+ prev_prio=120 prev_state=(R\+?|S|D|P|X|I) ==> )"
      R"(next_comm=(\S+) next_pid=\d+ next_prio=120$)");
  static const std::regex kWake(R"(^comm=\S+ pid=\d+ prio=120 target_cpu=\d{3}$)");
  static const std::set<std::string> kEvents = {
      "sched_switch",           "sched_waking",      "sched_wakeup",
      "kthread_wakeup_nomatch", "kthread_set_state", "kthread_flags",
      "kthread_complete",       "kthread_verdict",   "bprint",
      "tso_store_buffered",     "tso_store_drained"};
  std::vector<std::string> lines = Lines(text);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "# tracer: nop");
  long prev_ts = -1;
  size_t bprints = 0;
  int verdicts = 0;
  std::map<int, std::string> on_cpu;  // cpu -> comm after the last switch
  for (const std::string& l : lines) {
    if (l.empty() || l[0] == '#') continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, kLine)) << "not a trace-cmd report line: " << l;
    long ts = std::stol(m[4]) * 1000000 + std::stol(m[5]);
    EXPECT_GE(ts, prev_ts) << l;
    prev_ts = ts;
    std::string event = m[6], fields = m[7];
    int cpu = std::stoi(m[3]);
    EXPECT_TRUE(kEvents.count(event)) << l;
    if (event == "sched_switch") {
      std::smatch s;
      ASSERT_TRUE(std::regex_match(fields, s, kSwitch)) << l;
      std::string expected = on_cpu.count(cpu) ? on_cpu[cpu] : "swapper/" + std::to_string(cpu);
      EXPECT_EQ(s[1], expected) << "the switch chain on CPU" << cpu << " breaks: " << l;
      EXPECT_EQ(m[1], s[1]) << "sched_switch is printed by prev: " << l;
      on_cpu[cpu] = s[3];
    }
    if (event == "sched_waking" || event == "sched_wakeup")
      EXPECT_TRUE(std::regex_match(fields, kWake)) << l;
    if (event == "bprint") {
      ASSERT_LT(bprints, c.tasks.size());
      EXPECT_EQ(m[1], c.tasks[bprints]) << l;
      EXPECT_EQ(ts, static_cast<long>(bprints)) << "1 step = 1 us: " << l;
      EXPECT_EQ(cpu, c.report["trace"][bprints]["cpu"].get<int>()) << l;
      ++bprints;
    }
    verdicts += event == "kthread_verdict";
  }
  EXPECT_EQ(bprints, c.tasks.size()) << "one bprint per step";
  EXPECT_EQ(verdicts, 1);
}

// --- html and text -------------------------------------------------------------------

void CheckHtml(const Cex& c, const std::string& html) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"http://", "https://", "src=", "<link", "<script", "@import"})
    EXPECT_EQ(html.find(external), std::string::npos) << "not self-contained: " << external;
  EXPECT_NE(html.find("data-oracle=\"" + c.report["oracle"].get<std::string>() + "\""),
            std::string::npos);
  for (const std::string& t : c.task_names)
    EXPECT_TRUE(std::regex_search(html, std::regex("<div class=\"lane[^\"]*\" id=\"lane-\\d+\" "
                                                   "data-task=\"" +
                                                   t + "\">")))
        << "no lane for " << t;
  size_t rows = 0;
  for (size_t at = 0; (at = html.find("<tr id=\"step-", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, c.tasks.size());
  std::string last = std::to_string(c.tasks.size() - 1);
  EXPECT_TRUE(std::regex_search(
      html, std::regex("<tr id=\"step-" + last + "\" class=\"step[^\"]* failing\"")))
      << "the last step's row is not marked failing";
  EXPECT_NE(html.find("id=\"legend\""), std::string::npos);
}

void CheckText(const Cex& c, const std::string& text) {
  size_t oracle = text.find("[" + c.report["oracle"].get<std::string>() + "]");
  size_t interleaving = text.find("\nInterleaving (");
  size_t replay = text.find("\nreplay:   ./kthcheck replay " + c.token + "\n");
  EXPECT_LT(oracle, interleaving);
  EXPECT_LT(interleaving, replay);
  EXPECT_NE(replay, std::string::npos);
}

class ExportsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportsTest, EveryFormatReadsBackForTheCounterexample) {
  std::string why;
  std::optional<Cex> c = Find(GetParam(), &why);
  if (!c) GTEST_SKIP() << GetParam() << ": " << why;
  CheckPerfetto(*c, Report(*c, "perfetto"));
  CheckFtrace(*c, Report(*c, "ftrace"));
  CheckHtml(*c, Report(*c, "html"));
  CheckText(*c, Report(*c, "text"));
  json j = json::parse(Report(*c, "json"));
  EXPECT_EQ(j["schedule"], c->token);
  EXPECT_EQ(j["trace"], c->report["trace"]) << "replay's trace differs from check's";
}

// Stories: what a kernel developer must be able to read off the exports.

// The seed's lost wakeup: the producer's wake_up_process() finds event_thread still
// TASK_RUNNING (it has tested for work but not yet set TASK_INTERRUPTIBLE), matches
// nothing, and event_thread then sleeps in TASK_INTERRUPTIBLE to the end.
TEST(ExportStoriesTest, LostWakeupShowsTheUnmatchedWakeupBeforeTheSleep) {
  std::string why;
  std::optional<Cex> c = Find("event_check_before_set_state", &why);
  ASSERT_TRUE(c) << why;
  std::string ftrace = Report(*c, "ftrace");
  std::smatch nomatch, sleep;
  ASSERT_TRUE(std::regex_search(
      ftrace, nomatch,
      std::regex(R"((\d+\.\d{6}): kthread_wakeup_nomatch: comm=event_thread pid=\d+ prio=120 )"
                 R"(state=TASK_RUNNING)")));
  ASSERT_TRUE(std::regex_search(
      ftrace, sleep,
      std::regex(R"((\d+\.\d{6}): kthread_set_state: comm=event_thread pid=\d+ )"
                 R"(state=TASK_INTERRUPTIBLE\n(.*\n)*.*prev_comm=event_thread .*prev_state=S )")));
  EXPECT_LT(nomatch.position(0), sleep.position(0)) << "the wakeup comes before the sleep";
  std::string perfetto = Report(*c, "perfetto");
  json last = LastStatus(perfetto, "event_thread");
  EXPECT_EQ(last["name"], "sleeping (TASK_INTERRUPTIBLE)");
  EXPECT_GT(last["ts"].get<int>() + last["dur"].get<int>(), static_cast<int>(c->tasks.size()))
      << "asleep after the last step";
  EXPECT_NE(perfetto.find("\"name\":\"wake event_thread (no match: TASK_RUNNING)\""),
            std::string::npos);
  std::string html = Report(*c, "html");
  EXPECT_NE(html.find("wakeup of event_thread matches nothing (TASK_RUNNING)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(html, std::regex("<div class=\"lane implicated\"[^>]*data-task="
                                                 "\"event_thread\">")));
}

// kthread_stop() without kthread_unpark(): SHOULD_STOP is set, but wake_up_process()
// does not match TASK_PARKED, so park_thread stays parked and main waits forever.
// Under tso every export shows the sleeper's state store sitting in CPU1's buffer and
// its drain after the waker read the old state.
TEST(ExportStoriesTest, MissingBarrierShowsTheBufferedStoreAndItsLateDrain) {
  std::string why;
  std::optional<Cex> c = Find("event_loop_no_barrier", &why);
  ASSERT_TRUE(c) << why;
  std::string ftrace = Report(*c, "ftrace");
  EXPECT_NE(ftrace.find("tso_store_buffered: cpu=1 store=\"event_thread->__state = "
                        "TASK_INTERRUPTIBLE\""),
            std::string::npos) << ftrace;
  EXPECT_NE(ftrace.find("tso_store_drained: cpu=1 store=\"event_thread->__state = "
                        "TASK_INTERRUPTIBLE\" by=event_thread (after main"),
            std::string::npos) << ftrace;
  std::string perfetto = Report(*c, "perfetto");
  EXPECT_NE(perfetto.find("buffered on CPU1: event_thread->__state = TASK_INTERRUPTIBLE"),
            std::string::npos);
  EXPECT_NE(perfetto.find("\"cat\":\"store_buffer\""), std::string::npos);
  std::string html = Report(*c, "html");
  EXPECT_NE(html.find("buffered on CPU1: not yet visible to other CPUs"), std::string::npos);
  EXPECT_NE(html.find("now visible to other CPUs: after main"), std::string::npos);
}

TEST(ExportStoriesTest, StopWithoutUnparkShowsTheThreadParkedToTheEnd) {
  std::string why;
  std::optional<Cex> c = Find("stop_without_unpark", &why);
  ASSERT_TRUE(c) << why;
  std::string ftrace = Report(*c, "ftrace");
  EXPECT_TRUE(std::regex_search(ftrace, std::regex(R"(prev_comm=park_thread .*prev_state=P )")));
  EXPECT_TRUE(std::regex_search(
      ftrace,
      std::regex(R"(kthread_flags: comm=park_thread pid=\d+ flags=SHOULD_STOP\|SHOULD_PARK)")));
  EXPECT_TRUE(std::regex_search(
      ftrace, std::regex(R"(kthread_wakeup_nomatch: comm=park_thread pid=\d+ prio=120 )"
                         R"(state=TASK_PARKED)")));
  json last = LastStatus(Report(*c, "perfetto"), "park_thread");
  EXPECT_EQ(last["name"], "parked (TASK_PARKED)");
  EXPECT_GT(last["ts"].get<int>() + last["dur"].get<int>(), static_cast<int>(c->tasks.size()))
      << "asleep after the last step";
}

// The CLI contract of replay/report (DESIGN "Command line"): bad input is one line on
// stderr and exit 2; --help shows examples.
TEST(ReportCliTest, BadFormatOrOutputIsOneLineAndExitTwo) {
  std::string why;
  std::optional<Cex> c = Find("event_check_before_set_state", &why);
  ASSERT_TRUE(c) << why;
  for (const std::string& args :
       {"report " + c->token + " --format=svg", "replay " + c->token + " --format=pdf",
        "report " + c->token + " --format=html --output=" + TmpDir() + "/no/such/dir/x.html",
        std::string("report kt1:nonsense --format=html")}) {
    Result r = Kthcheck(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;
  }
}

TEST(ReportCliTest, ReplayPrintsEveryFormatOnStdout) {
  std::string why;
  std::optional<Cex> c = Find("event_check_before_set_state", &why);
  ASSERT_TRUE(c) << why;
  for (const char* f : {"text", "json", "perfetto", "ftrace", "html"}) {
    Result r = Kthcheck("replay " + c->token + " --format=" + f);
    EXPECT_EQ(r.status, 1) << f;
    EXPECT_EQ(r.out, Report(*c, f)) << "replay and report differ for " << f;
  }
}

TEST(ReportCliTest, HelpShowsReportExamples) {
  for (const char* args : {"--help", "report --help", "replay --help"}) {
    Result r = Kthcheck(args);
    EXPECT_EQ(r.status, 0) << args;
    EXPECT_NE(r.out.find("kthcheck report TOKEN --format=html --output="), std::string::npos)
        << args << "\n"
        << r.out;
  }
  Result r = Kthcheck("report --help");
  for (const char* f : {"perfetto", "ftrace", "html", "--output"})
    EXPECT_NE(r.out.find(f), std::string::npos) << f;
}

std::vector<std::string> Variants() {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(v[i].name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllVariants, ExportsTest, ::testing::ValuesIn(Variants()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kt::testing
