// token_fuzzer -- libFuzzer target for the schedule-token reader, the one text the CLI
// reads besides its flags (`kthcheck replay <token>`). The input is the token text.
//
// Checked for every input:
//   - DecodeToken accepts it or rejects it with one line of error text (STYLE.md 3.6),
//     never a crash (KT_FUZZ_ONE_LINE_ERRORS=0 skips the one-line part);
// for accepted tokens:
//   - re-encoding is a round trip: EncodeToken(DecodeToken(x)) decodes to the same token
//     and is a fixed point of decode+encode; and when x is already canonical (every run
//     of a task is one letter plus a count >= 2 with no leading zero, or the letter
//     alone) EncodeToken(DecodeToken(x)) == x byte for byte. (The decoder also accepts
//     non-canonical spellings such as "a1", "a01" or "aa"; they re-encode as "a", "a",
//     "a2".)
//   - TargetFromToken accepts it or rejects it with one line; an accepted target survives
//     MakeToken -> EncodeToken -> DecodeToken -> TargetFromToken unchanged;
//   - what `kthcheck replay <x>` does next never crashes: the livelock=N parameter, the
//     replay of arbitrary choices (a schedule that does not fit is a divergence, with
//     text) and both report printers (text and JSON, output discarded). These are the
//     steps of cli::RunReplay, repeated here because RunReplay prints usage errors on
//     stderr, once per input.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "checker/cli/kernel_program.h"
#include "checker/cli/report.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"

namespace {

using kt::explore::DecodeToken;
using kt::explore::EncodeToken;
using kt::explore::ScheduleToken;

// The first line names the bug (campaign.sh files crashes by it); details follow.
[[noreturn]] void Fail(const std::string& what, std::string_view input,
                       const std::string& detail = "") {
  std::fprintf(stderr, "token_fuzzer: %s\n", what.c_str());
  if (!detail.empty()) std::fprintf(stderr, "  detail: %s\n", detail.c_str());
  std::fprintf(stderr, "  input: %.*s\n", static_cast<int>(std::min<size_t>(input.size(), 300)),
               input.data());
  std::abort();
}

// KT_FUZZ_ONE_LINE_ERRORS=0 skips the one-line check of error texts (to fuzz past a
// known violation).
bool OneLineChecks() {
  static const bool on = [] {
    const char* v = std::getenv("KT_FUZZ_ONE_LINE_ERRORS");
    return !(v && std::string(v) == "0");
  }();
  return on;
}

bool Same(const ScheduleToken& a, const ScheduleToken& b) {
  return a.program == b.program && a.params == b.params && a.choices == b.choices;
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'F'); }

// The choices part is in the form EncodeToken writes.
bool CanonicalChoices(std::string_view s) {
  char prev = 0;
  for (size_t i = 0; i < s.size();) {
    if (!IsLetter(s[i]) || s[i] == prev) return false;
    prev = s[i++];
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    std::string_view count = s.substr(start, i - start);
    if (!count.empty() && (count[0] == '0' || count == "1")) return false;
  }
  return true;
}

void CheckOneLine(const std::string& error, std::string_view input, const char* who) {
  if (error.empty() || (OneLineChecks() && error.find('\n') != std::string::npos))
    Fail(std::string(who) + " rejected the token without one line of error text", input,
         "'" + error + "'");
}

std::optional<kt::cli::Target> CheckTarget(const ScheduleToken& token, std::string_view input) {
  std::string error;
  std::optional<kt::cli::Target> target = kt::cli::TargetFromToken(token, &error);
  if (!target) {
    CheckOneLine(error, input, "TargetFromToken");
    return std::nullopt;
  }
  std::string again_text = EncodeToken(kt::cli::MakeToken(*target, token.choices));
  std::optional<ScheduleToken> again = DecodeToken(again_text, &error);
  if (!again) Fail("MakeToken wrote a token DecodeToken rejects", input, error);
  std::optional<kt::cli::Target> t2 = kt::cli::TargetFromToken(*again, &error);
  // Only parameterized scenarios read hotplug and work, so only their tokens carry them.
  bool params_differ = target->scenario->parameterized &&
                       (t2 && (t2->hotplug != target->hotplug || t2->work != target->work));
  if (!t2 || t2->scenario != target->scenario || t2->variant != target->variant ||
      t2->cpus != target->cpus || t2->memory_model != target->memory_model ||
      t2->stray_wakeups != target->stray_wakeups || t2->irq_threaded != target->irq_threaded ||
      t2->ops != target->ops || params_differ)
    Fail("the target does not survive MakeToken/TargetFromToken", input, again_text);
  return target;
}

class NullBuffer final : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

// cli::RunReplay's steps after TargetFromToken.
void CheckReplay(const ScheduleToken& token, const kt::cli::Target& target,
                 std::string_view input) {
  kt::explore::Bounds bounds;
  if (const std::string* l = token.Param("livelock")) {
    if (l->empty() || l->size() > 9 || l->find_first_not_of("0123456789") != std::string::npos)
      return;  // RunReplay: usage error
    bounds.livelock_steps = std::stoull(*l);
  }
  kt::explore::Replayed rep =
      kt::explore::Replay(kt::cli::MakeProgram(target), token.choices, bounds);
  if (!rep.error.empty()) {
    if (OneLineChecks() && rep.error.find('\n') != std::string::npos)
      Fail("a divergence of several lines", input, rep.error);
    return;  // RunReplay: "replay diverged: ..."
  }
  kt::cli::Report r;
  r.target = target;
  r.verdict = rep.verdict;
  r.trace = rep.trace;
  r.task_names = rep.task_names;
  r.token = EncodeToken(token);
  NullBuffer null;
  std::ostream out(&null);
  if (input.size() % 2)
    out << kt::cli::ToJson(r).dump(2);
  else
    kt::cli::PrintText(out, r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<ScheduleToken> token = DecodeToken(input, &error);
  if (!token) {
    CheckOneLine(error, input, "DecodeToken");
    return 0;
  }
  std::string canonical = EncodeToken(*token);
  std::optional<ScheduleToken> back = DecodeToken(canonical, &error);
  if (!back) Fail("EncodeToken wrote a token DecodeToken rejects", input, error);
  if (!Same(*back, *token)) Fail("decode(encode(t)) != t", input, canonical);
  if (EncodeToken(*back) != canonical) Fail("encoding is not a fixed point", input);
  std::string_view choices = input.substr(input.rfind(':') + 1);
  if (CanonicalChoices(choices) && canonical != input)
    Fail("a canonical token re-encodes differently", input, canonical);
  std::optional<kt::cli::Target> target = CheckTarget(*token, input);
  if (target) CheckReplay(*token, *target, input);
  return 0;
}
