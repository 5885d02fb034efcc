// checkpoint_fuzzer -- libFuzzer target for the other file the tool reads: a saved search
// (checker/explore/checkpoint.h, JSON), read by LoadCheckpoint() to resume a DPOR or DFS
// search. The input is the file's bytes.
//
// Checked for every input:
//   - LoadCheckpoint accepts the file or rejects it with one line of error text, never a
//     crash or an exception (KT_FUZZ_ONE_LINE_ERRORS=0 skips the one-line part);
// for accepted files:
//   - SaveCheckpoint + LoadCheckpoint is a round trip (every field equal), and the saved
//     checkpoint matches its own key (CheckpointMismatch(c, c.key) is empty);
//   - resuming: when the key names a program of the catalog and options the CLI accepts
//     (search dpor or dfs, 0 <= shard_index < shard_count, split_levels >= 0,
//     max_preemptions >= -1, max_steps >= 1), Explore() resumes the search from the
//     file's stack for at most kResumeExecutions executions and returns a verdict; a
//     stack that does not fit the program must give a verdict or an input error, never
//     a crash. KT_FUZZ_CHECKPOINT_RESUME=0 turns this part off.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "checker/cli/kernel_program.h"
#include "checker/explore/checkpoint.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"

namespace {

using kt::explore::Checkpoint;
using kt::explore::DporNode;

constexpr uint64_t kResumeExecutions = 3;
constexpr uint64_t kMaxResumeSteps = 20000;  // the default bound: a huge one would be slow

// The first line names the bug (campaign.sh files crashes by it); details follow.
[[noreturn]] void Fail(const std::string& what, const std::string& detail = "") {
  std::fprintf(stderr, "checkpoint_fuzzer: %s\n", what.c_str());
  if (!detail.empty()) std::fprintf(stderr, "  detail: %s\n", detail.c_str());
  std::abort();
}

bool EnvOff(const char* name) {
  const char* v = std::getenv(name);
  return v && std::string(v) == "0";
}

const std::string& Dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TEST_TMPDIR");
    if (!tmp) tmp = std::getenv("TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/kt_checkpoint_fuzz." + std::to_string(getpid());
  }();
  return dir;
}

bool SameNode(const DporNode& a, const DporNode& b) {
  return a.enabled == b.enabled && a.backtrack == b.backtrack && a.done == b.done &&
         a.sleep == b.sleep && a.chosen == b.chosen && a.preemptions == b.preemptions &&
         a.preempts == b.preempts && a.pruned == b.pruned && a.level == b.level && a.key == b.key;
}

bool Same(const Checkpoint& a, const Checkpoint& b) {
  if (!(a.key == b.key) || a.executions != b.executions || a.steps != b.steps ||
      a.sleep_blocked != b.sleep_blocked || a.other_shard != b.other_shard ||
      a.seconds != b.seconds || a.step_bound != b.step_bound ||
      a.step_message != b.step_message || a.dpor.replay_depth != b.dpor.replay_depth ||
      a.dpor.started != b.dpor.started ||
      a.dpor.preemption_bound_hit != b.dpor.preemption_bound_hit ||
      a.dpor.stack.size() != b.dpor.stack.size())
    return false;
  return std::equal(a.dpor.stack.begin(), a.dpor.stack.end(), b.dpor.stack.begin(), SameNode);
}

void CheckRoundTrip(const Checkpoint& c) {
  std::string path = Dir() + ".saved", error;
  if (!kt::explore::SaveCheckpoint(path, c, &error)) Fail("SaveCheckpoint failed", error);
  std::optional<Checkpoint> back = kt::explore::LoadCheckpoint(path, &error);
  if (!back) Fail("a saved checkpoint does not load", error);
  if (!Same(*back, c)) Fail("SaveCheckpoint + LoadCheckpoint changed the checkpoint");
  std::string mismatch = kt::explore::CheckpointMismatch(*back, c.key);
  if (!mismatch.empty()) Fail("a checkpoint does not match its own key", mismatch);
}

// The program a key names ("kt1:<scenario>:<params>", the token without its choices).
std::optional<kt::cli::Target> TargetOf(const std::string& program) {
  std::string error;
  std::optional<kt::explore::ScheduleToken> token =
      kt::explore::DecodeToken(program + ":a", &error);
  if (!token) return std::nullopt;
  return kt::cli::TargetFromToken(*token, &error);
}

void CheckResume(const Checkpoint& c) {
  const kt::explore::CheckpointKey& k = c.key;
  std::optional<kt::explore::Search> search = kt::explore::ParseSearch(k.search);
  if (!search || !kt::explore::IsTreeSearch(*search) || k.shard_count < 1 ||
      k.shard_index < 0 || k.shard_index >= k.shard_count || k.split_levels < 0 ||
      k.max_preemptions < -1 || k.max_steps < 1 || k.max_steps > kMaxResumeSteps)
    return;
  std::optional<kt::cli::Target> target = TargetOf(k.program);
  if (!target) return;
  kt::explore::SearchOptions o;
  o.search = *search;
  o.shard_index = k.shard_index;
  o.shard_count = k.shard_count;
  o.split_levels = k.split_levels;
  o.program_id = k.program;
  o.resume = c;
  kt::explore::Bounds b;
  b.max_steps = k.max_steps;
  b.max_preemptions = k.max_preemptions;
  b.hung_task_timeout = k.hung_task_timeout;
  b.max_executions = c.executions + kResumeExecutions;
  if (b.max_executions < c.executions) return;  // overflow: no run would be allowed anyway
  std::string mismatch = kt::explore::CheckpointMismatch(c, kt::explore::KeyFor(o, b));
  if (!mismatch.empty()) return;  // the CLI refuses it with this line
  kt::explore::Program program = kt::cli::MakeProgram(*target);
  if (!kt::explore::CheckpointFits(program, c, b).empty()) return;  // and this one
  kt::explore::Explore(program, o, b);
}

bool ResumeOn() {
  static const bool on = !EnvOff("KT_FUZZ_CHECKPOINT_RESUME");
  return on;
}

bool OneLineChecks() {
  static const bool on = !EnvOff("KT_FUZZ_ONE_LINE_ERRORS");
  return on;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = Dir() + ".in";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) Fail("cannot write the input file", path);
  }
  std::string error;
  std::optional<Checkpoint> c = kt::explore::LoadCheckpoint(path, &error);
  if (!c) {
    if (error.empty() || (OneLineChecks() && error.find('\n') != std::string::npos))
      Fail("LoadCheckpoint rejected the file without one line of error text", "'" + error + "'");
    return 0;
  }
  CheckRoundTrip(*c);
  if (ResumeOn()) CheckResume(*c);
  return 0;
}
