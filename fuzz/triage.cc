// triage -- deduplicates scenario_fuzzer findings: each input is re-run (default build, no
// sanitizers), minimized, and filed under its signature.
//
//   triage --out=DIR FILE...        (same KT_FUZZ_VARIANT / KT_FUZZ_SCENARIO /
//                                    KT_FUZZ_CPUS as the fuzzing run)
//
// Minimizing: while the same oracle still fires, single-byte changes of the schedule
// bytes (erase it, zero it, or change its task rank or run length) are taken when they
// lower (preemptions, context switches asked for, bytes), lexicographically -- the
// DESIGN's "fewest preemptions, then fewest steps" -- until none does. The header
// (scenario and config bytes) is kept.
//
// Signature: oracle | variant | the finding's message with digits masked (where the bug
// shows: "event_thread sleeps although `has_pending_work(dev)` holds ...") | the set of
// preemptions of the minimized execution, each "task:kernel function>task:kernel
// function" (who was running on that CPU and could have continued, in which function,
// and who ran instead; the runtime's count of preemptions). Switches between tasks of
// different CPUs are not preemptions (the CPUs run in parallel), and the scenario, step
// counts, CPU count and the bytes are left out, so the same race reached by different
// inputs, or through the shared kernel code of different scenarios, files once
// (`sources` lists them all). The signature hash (16 hex digits) names the finding.
// Findings with the same oracle, variant and message are one bug reached by different
// minimal schedules: the summary file records that `bucket`, and `campaign.sh triage`
// groups its report by it.
//
// Output: DIR/<hash>/input (the minimized input; replays through scenario_fuzzer and
// scenario_fuzzer_random), token (for `kthcheck replay`), summary (oracle, scenario,
// variant, message, details, signature) and sources (every input that mapped here, one
// per line). One line per FILE on stdout: "<hash> <oracle> <scenario> <FILE>", or
// "- none - <FILE>" when the input shows no finding in this build.
// Exit status: 0, or 2 on bad usage or configuration.
#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "fuzz/counters.h"
#include "fuzz/scenario_fuzz.h"

namespace kt::fuzz {
namespace {

using Bytes = std::vector<uint8_t>;

// How good a reproducer is: fewest preemptions, then fewest context switches asked for
// (non-zero bytes), then fewest bytes.
struct Score {
  int preemptions;
  size_t switches;
  size_t size;
  bool operator<(const Score& o) const {
    return std::tie(preemptions, switches, size) < std::tie(o.preemptions, o.switches, o.size);
  }
};

// The input's score if it still shows `oracle`.
std::optional<Score> Try(const Bytes& in, const std::string& oracle, const FuzzConfig& c) {
  FuzzRun run = RunScenarioInput(in.data(), in.size(), c, {false, false});
  if (run.oracle != oracle) return std::nullopt;
  size_t switches = 0;
  for (size_t i = 0; i + 2 < in.size(); ++i) switches += in[i] != 0;
  return Score{run.result->preemptions, switches, in.size()};
}

// The input in its canonical layout: choices, then config and scenario bytes (what
// FuzzedDataProvider reads when the file is shorter than two bytes is a zero byte).
Bytes Canonical(Bytes in) {
  while (in.size() < 2) in.insert(in.begin(), 0);
  return in;
}

// Variants of schedule byte i: erased, zero, task rank 0 or run 0 kept apart, every run.
std::vector<Bytes> Candidates(const Bytes& in, size_t i) {
  std::vector<Bytes> out;
  Bytes t = in;
  t.erase(t.begin() + static_cast<long>(i));
  out.push_back(t);
  for (int v = 0; v < 256; v += 16) {  // each run length with this task rank, and rank 0
    for (int rank : {in[i] & 15, 0}) {
      t = in;
      t[i] = static_cast<uint8_t>(v | rank);
      if (t[i] != in[i]) out.push_back(t);
    }
  }
  return out;
}

// Greedy descent on Score while the oracle still fires: a local minimum (1-minimal in
// the sense that no single-byte change improves it).
Bytes Minimize(Bytes best, const std::string& oracle, const FuzzConfig& c) {
  Score score = *Try(best, oracle, c);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i + 2 < best.size(); ++i) {
      for (const Bytes& t : Candidates(best, i)) {
        std::optional<Score> s = Try(t, oracle, c);
        if (s && *s < score) {
          best = t;
          score = *s;
          changed = true;
          break;
        }
      }
    }
  }
  return best;
}

// The finding's own text with CPU numbers and other digits masked ("main (CPU#) is
// stuck in context_switch_out"): where the bug shows, like a crash's top frame.
std::string Where(const rt::RunResult& r) {
  std::string s = r.message;
  for (char& c : s)
    if (c >= '0' && c <= '9') c = '#';
  return s;
}

// oracle | variant | where: the bug, whatever schedule shows it (the summary groups
// findings by it).
std::string Bucket(const FuzzRun& run) {
  return run.oracle + "|" + VariantName(run.target.variant) + "|" + Where(*run.result);
}

std::string Signature(const FuzzRun& run) {
  std::set<std::string> points;
  for (const Preemption& p : run.preemptions) points.insert(p.from + ">" + p.to);
  std::string s = Bucket(run) + "|";
  bool first = true;
  for (const std::string& p : points) {
    s += (first ? "" : ";") + p;
    first = false;
  }
  return s;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

void WriteFile(const std::string& path, const std::string& text, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << text;
}

void File(const std::string& dir, const std::string& source, const Bytes& input,
          const FuzzRun& run, const std::string& signature) {
  mkdir(dir.c_str(), 0755);
  if (!Exists(dir + "/input")) {
    WriteFile(dir + "/input", std::string(input.begin(), input.end()));
    WriteFile(dir + "/token", run.Token() + "\n");
    std::string s = "oracle: " + run.oracle + "\nscenario: " + run.target.scenario->name +
                    "\nvariant: " + VariantName(run.target.variant) +
                    "\ncpus: " + std::to_string(run.target.cpus) +
                    "\nmessage: " + run.result->message + "\n";
    for (const std::string& d : run.result->details) s += "detail: " + d + "\n";
    s += "bucket: " + Bucket(run) + "\n";
    s += "preemptions: " + std::to_string(run.result->preemptions) + "\n";
    s += "signature: " + signature + "\n";
    WriteFile(dir + "/summary", s);
  }
  WriteFile(dir + "/sources", source + "\n", /*append=*/true);
}

int Main(int argc, char** argv) {
  std::string out;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--out=", 6) == 0) out = argv[i] + 6;
    else files.push_back(argv[i]);
  }
  if (out.empty() || files.empty()) {
    std::fprintf(stderr, "usage: triage --out=DIR FILE...\n");
    return 2;
  }
  std::string error;
  std::optional<FuzzConfig> config = ConfigFromEnv(&error);
  if (!config) {
    std::fprintf(stderr, "triage: %s\n", error.c_str());
    return 2;
  }
  mkdir(out.c_str(), 0755);
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    Bytes input = Canonical(Bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>()));
    std::string oracle = RunScenarioInput(input.data(), input.size(), *config, {false, false}).oracle;
    if (oracle.empty()) {
      std::printf("- none - %s\n", f.c_str());
      continue;
    }
    Bytes small = Minimize(input, oracle, *config);
    FuzzRun run = RunScenarioInput(small.data(), small.size(), *config, {false, true});
    std::string signature = Signature(run);
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016" PRIx64, StringHash(signature));
    File(out + "/" + hash, f, small, run, signature);
    std::printf("%s %s %s %s\n", hash, run.oracle.c_str(), run.target.scenario->name, f.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace kt::fuzz

int main(int argc, char** argv) { return kt::fuzz::Main(argc, argv); }
