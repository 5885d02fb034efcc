// shard.h -- which part of a search this process runs.
//
// A search splits deterministically: a tree search (dpor, dfs) by the choices at the
// first branching nodes of each path (dpor.h), a randomized search by execution index.
// Shard i of n owns the keys k with k % n == i, so the n shards partition the search
// and their union is the single-process run with the same split. The same split serves
// `--shard=i/n`, Bazel test sharding (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX) and the
// processes of `--jobs` (parallel.h): shard i of n, split into J jobs, runs as the
// shards i + n*j of n*J, j < J, whose union is again shard i.
#ifndef KTHCHECK_CHECKER_EXPLORE_SHARD_H_
#define KTHCHECK_CHECKER_EXPLORE_SHARD_H_

#include <optional>
#include <string>
#include <string_view>

namespace kt::explore {

struct Shard {
  int index = 0;
  int count = 1;
  bool Owns(unsigned long long key) const {
    return count <= 1 || key % static_cast<unsigned long long>(count) ==
                             static_cast<unsigned long long>(index);
  }
  // Job j of `jobs` splitting this shard.
  Shard Sub(int j, int jobs) const { return Shard{index + count * j, count * jobs}; }
};

inline constexpr int kMaxShards = 1 << 16;

// "i/n" with 0 <= i < n <= kMaxShards; nullopt with *error (one line) otherwise.
std::optional<Shard> ParseShard(std::string_view text, std::string* error);
// The shard Bazel asks for (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX), or nullopt if the
// variables are unset; touches TEST_SHARD_STATUS_FILE to tell Bazel sharding is
// supported. *error is set for values that are not a valid shard.
std::optional<Shard> ShardFromEnv(std::string* error);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_SHARD_H_
