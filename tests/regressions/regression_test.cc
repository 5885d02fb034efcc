// regression_test -- replays every tests/regressions/*.regression file (written by
// `fuzz/campaign.sh export`) through the same steps as `kthcheck replay`, and checks the
// expectation the file states:
//
//   expect: <oracle>   the schedule must replay without divergence and end in that
//                      finding (planted variants: the bug stays caught);
//   expect: holds      the schedule must not end in a finding (a bug found on the
//                      faithful port stays fixed). After a fix the schedule may no longer
//                      fit the code (a divergence): that passes, with a note.
//
// File format: "key: value" lines (token, expect; others are informational), '#'
// comments.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"

namespace kt {
namespace {

namespace fs = std::filesystem;

fs::path Dir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  fs::path root = srcdir ? fs::path(srcdir) / (ws ? ws : "kthcheck") : fs::current_path();
  return root / "tests" / "regressions";
}

std::vector<fs::path> Files() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(Dir(), ec))
    if (e.path().extension() == ".regression") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> Parse(const fs::path& p) {
  std::map<std::string, std::string> kv;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(": ");
    if (colon != std::string::npos) kv[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return kv;
}

void Check(const fs::path& file) {
  SCOPED_TRACE(file.filename().string());
  std::map<std::string, std::string> kv = Parse(file);
  ASSERT_TRUE(kv.count("token") && kv.count("expect")) << "needs `token:` and `expect:` lines";
  std::string error;
  std::optional<explore::ScheduleToken> token = explore::DecodeToken(kv["token"], &error);
  ASSERT_TRUE(token) << error;
  std::optional<cli::Target> target = cli::TargetFromToken(*token, &error);
  ASSERT_TRUE(target) << error;
  explore::Bounds bounds;
  if (const std::string* l = token->Param("livelock")) bounds.livelock_steps = std::stoull(*l);
  explore::Replayed rep = explore::Replay(cli::MakeProgram(*target), token->choices, bounds);
  const std::string& expect = kv["expect"];
  if (expect == "holds") {
    if (!rep.error.empty()) {
      std::printf("note: %s no longer fits the code (%s)\n", file.filename().c_str(),
                  rep.error.c_str());
      return;
    }
    EXPECT_TRUE(rep.verdict.oracle.empty())
        << "the schedule still ends in `" << rep.verdict.oracle << "`: " << rep.verdict.message
        << "\n  replay: kthcheck replay " << kv["token"];
    return;
  }
  // A change to the scheduling code can make an old schedule diverge. The planted bug is
  // still there; only its schedule is stale, so it must be found and exported again.
  ASSERT_EQ(rep.error, "") << "the schedule diverged; re-export the finding: "
                           << "KT_FUZZ_VARIANT=<variant> fuzz/campaign.sh run, then "
                           << "fuzz/campaign.sh export (fuzz/README.md)";
  EXPECT_EQ(rep.verdict.oracle, expect) << rep.verdict.message;
}

TEST(RegressionTest, EveryExportedScheduleMeetsItsExpectation) {
  std::vector<fs::path> files = Files();
  std::printf("%zu regression schedules in %s\n", files.size(), Dir().c_str());
  for (const fs::path& f : files) Check(f);
}

}  // namespace
}  // namespace kt
