// sharded_check_test -- the split search under Bazel test sharding: BUILD gives this test
// shard_count = 4, Bazel runs it four times with TEST_SHARD_INDEX = 0..3, and each run
// explores its part of the faithful park_before_wakeup search (84864 traces; the parts
// together are the whole search: shard_test and search_test check the sums). Each part
// must hold exhaustively.
//
// gtest's own sharding would run the one test case on one shard only, so main() hides
// the GTEST_* variables from gtest; the search reads TEST_* (explore/shard.h), which also
// tells Bazel that the test supports sharding.
#include <gtest/gtest.h>

#include <cstdlib>

#include "checker/explore/explorer.h"
#include "checker/explore/shard.h"
#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

TEST(ShardedCheckTest, ThisShardOfParkBeforeWakeupHolds) {
  std::string error;
  std::optional<explore::Shard> shard = explore::ShardFromEnv(&error);
  ASSERT_TRUE(error.empty()) << error;
  explore::SearchOptions o;
  if (shard) o.shard_index = shard->index, o.shard_count = shard->count;
  o.split_levels = explore::kSplitLevels;  // the same split with or without sharding
  explore::Verdict v =
      explore::Explore(cli::MakeProgram(TargetFor("park_before_wakeup")), o, explore::Bounds{});
  EXPECT_EQ(v.kind, explore::VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  std::printf("[ counts ] park_before_wakeup shard %d/%d: %llu executions (%llu sleep-set "
              "blocked), %.2f s\n",
              o.shard_index, o.shard_count, static_cast<unsigned long long>(v.executions),
              static_cast<unsigned long long>(v.sleep_blocked), v.seconds);
}

}  // namespace
}  // namespace kt::testing

int main(int argc, char** argv) {
  unsetenv("GTEST_TOTAL_SHARDS");
  unsetenv("GTEST_SHARD_INDEX");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
