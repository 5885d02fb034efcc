// schedule_token_test -- the schedule token codec (checker/explore/schedule.h):
// EncodeToken/DecodeToken round-trip every schedule, and malformed text is rejected
// with nullopt and one line naming what is wrong, never a crash or a partial token.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/explore/schedule.h"

namespace kt::explore {
namespace {

ScheduleToken Make(std::vector<TaskId> choices) {
  ScheduleToken t;
  t.program = "event_loop";
  t.params = {{"variant", "event_check_before_set_state"}, {"cpus", "2"}};
  t.choices = std::move(choices);
  return t;
}

void ExpectRoundTrip(const ScheduleToken& in) {
  std::string text = EncodeToken(in);
  std::string error;
  std::optional<ScheduleToken> out = DecodeToken(text, &error);
  ASSERT_TRUE(out.has_value()) << error << "\n  token: " << text.substr(0, 200);
  EXPECT_EQ(out->program, in.program);
  EXPECT_EQ(out->params, in.params);
  EXPECT_EQ(out->choices, in.choices);
  EXPECT_EQ(EncodeToken(*out), text);
  // Tokens pass through shells and URLs unquoted.
  for (char c : text)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) ||
                std::string("_:=,.-").find(c) != std::string::npos)
        << "character '" << c << "' in " << text.substr(0, 200);
}

TEST(ScheduleTokenTest, EncodesRunsAsLetterAndCount) {
  // b12a3c: task 1 twelve times, task 0 three times, task 2 once.
  std::vector<TaskId> c(12, 1);
  c.insert(c.end(), 3, 0);
  c.push_back(2);
  EXPECT_EQ(EncodeToken(Make(c)),
            "kt1:event_loop:variant=event_check_before_set_state,cpus=2:b12a3c");
}

TEST(ScheduleTokenTest, RoundTripsEveryTaskIdFrom0To31) {
  std::vector<TaskId> up, down;
  for (TaskId t = 0; t < 32; ++t) up.push_back(t);
  for (TaskId t = 31; t >= 0; --t) down.push_back(t);
  ExpectRoundTrip(Make(up));
  ExpectRoundTrip(Make(down));
  // Task 25 is 'z', 26 is 'A', 31 is 'F'.
  std::string text = EncodeToken(Make({25, 26, 31}));
  EXPECT_EQ(text.substr(text.rfind(':') + 1), "zAF");
  for (TaskId t = 0; t < 32; ++t) {
    std::vector<TaskId> run(t + 1, t);  // runs of every length 1..32
    ExpectRoundTrip(Make(run));
  }
}

TEST(ScheduleTokenTest, RoundTripsLongRuns) {
  for (size_t n : {2u, 9u, 10u, 99u, 100u, 12345u, 1000000u}) {
    std::vector<TaskId> c(n, 7);
    c.push_back(31);
    c.insert(c.end(), n, 0);
    ExpectRoundTrip(Make(c));
  }
}

TEST(ScheduleTokenTest, RoundTripsAlternatingAndPseudoRandomSchedules) {
  std::vector<TaskId> alt;
  for (int i = 0; i < 1000; ++i) alt.push_back(i % 2);
  ExpectRoundTrip(Make(alt));
  uint64_t x = 0x9e3779b97f4a7c15ull;  // xorshift64, fixed seed
  for (int round = 0; round < 100; ++round) {
    std::vector<TaskId> c;
    int len = 1 + static_cast<int>(x % 500);
    for (int i = 0; i < len; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      // Mostly short runs of few tasks, as real schedules are.
      c.insert(c.end(), 1 + x % 4, static_cast<TaskId>((x >> 8) % ((round % 32) + 1)));
    }
    ExpectRoundTrip(Make(c));
  }
}

TEST(ScheduleTokenTest, RoundTripsProgramAndParams) {
  ScheduleToken t = Make({0, 1});
  t.program = "a.b-c_9";
  t.params = {};
  ExpectRoundTrip(t);
  t.params = {{"k", "v"}};
  ExpectRoundTrip(t);
  t.params = {{"variant", "none"}, {"cpus", "4"}, {"seed", "12345"}};
  ExpectRoundTrip(t);
  EXPECT_NE(t.Param("seed"), nullptr);
  EXPECT_EQ(*t.Param("cpus"), "4");
  EXPECT_EQ(t.Param("nope"), nullptr);
}

// --- Malformed tokens -------------------------------------------------------------------

void ExpectRejected(const std::string& text, const std::string& mentions = "") {
  std::string error;
  std::optional<ScheduleToken> t = DecodeToken(text, &error);
  EXPECT_FALSE(t.has_value()) << "accepted: '" << text.substr(0, 200) << "'";
  EXPECT_FALSE(error.empty()) << "no error text for '" << text.substr(0, 200) << "'";
  EXPECT_EQ(error.find('\n'), std::string::npos) << "not one line: " << error;
  EXPECT_LT(error.size(), 200u) << "too long for one line: " << error;
  if (!mentions.empty())
    EXPECT_NE(error.find(mentions), std::string::npos)
        << "'" << text.substr(0, 200) << "' -> " << error;
}

const char kGood[] = "kt1:event_loop:variant=none,cpus=2:";

TEST(ScheduleTokenTest, RejectsEmptyText) { ExpectRejected("", "kt1"); }

TEST(ScheduleTokenTest, RejectsOtherVersions) {
  ExpectRejected("kt2:event_loop:variant=none,cpus=2:a", "kt1");
  ExpectRejected("kt0:event_loop:variant=none,cpus=2:a", "kt1");
  ExpectRejected("KT1:event_loop:variant=none,cpus=2:a", "kt1");
  ExpectRejected("kt:event_loop:variant=none,cpus=2:a", "kt1");
  ExpectRejected(" kt1:event_loop:variant=none,cpus=2:a", "kt1");
  ExpectRejected("garbage", "kt1");
}

TEST(ScheduleTokenTest, RejectsMissingOrExtraFields) {
  ExpectRejected("kt1");
  ExpectRejected("kt1:");
  ExpectRejected("kt1:event_loop");
  ExpectRejected("kt1:event_loop:variant=none,cpus=2");
  ExpectRejected(std::string(kGood));            // no choices
  ExpectRejected("kt1::variant=none,cpus=2:a");  // no program
  ExpectRejected("kt1:event_loop:variant=none,cpus=2:a:b");
  ExpectRejected("kt1:event loop:variant=none,cpus=2:a");
}

TEST(ScheduleTokenTest, RejectsParamsThatAreNotKeyValue) {
  ExpectRejected("kt1:event_loop:variant:a", "variant");
  ExpectRejected("kt1:event_loop:variant=:a");
  ExpectRejected("kt1:event_loop:=none:a");
  ExpectRejected("kt1:event_loop:variant=none,:a");
  ExpectRejected("kt1:event_loop:variant=none,,cpus=2:a");
  ExpectRejected("kt1:event_loop:variant=a=b:a");
}

TEST(ScheduleTokenTest, RejectsBadTaskLetters) {
  for (const char* choices : {"G", "Z", "aG", "a1b!", "0", "12", "-", "a b", "a.b", "a_", "\xff"})
    ExpectRejected(kGood + std::string(choices), "letter");
}

TEST(ScheduleTokenTest, RejectsZeroRepeatCounts) {
  ExpectRejected(kGood + std::string("a0"), "0");
  ExpectRejected(kGood + std::string("b3a00"), "0");
  ExpectRejected(kGood + std::string("a0b"), "0");
}

TEST(ScheduleTokenTest, RejectsHugeCounts) {
  ExpectRejected(kGood + std::string("a10000001"));              // one run over the limit
  ExpectRejected(kGood + std::string("a999999999"));             // the longest count read
  ExpectRejected(kGood + std::string("a99999999999999999999"));  // would overflow
  ExpectRejected(kGood + std::string("a18446744073709551617"));
  ExpectRejected(kGood + std::string("a9999999b9999999"));  // the total is over the limit
}

TEST(ScheduleTokenTest, LeavesNoPartialTokenOnError) {
  std::string error;
  EXPECT_FALSE(DecodeToken(kGood + std::string("a3b2!"), &error).has_value());
  error.clear();
  std::optional<ScheduleToken> ok = DecodeToken(kGood + std::string("a3b2"), &error);
  ASSERT_TRUE(ok.has_value()) << error;
  EXPECT_EQ(ok->choices, (std::vector<TaskId>{0, 0, 0, 1, 1}));
}

}  // namespace
}  // namespace kt::explore
