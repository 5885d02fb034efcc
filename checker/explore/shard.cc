#include "checker/explore/shard.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace kt::explore {
namespace {

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::optional<Shard> Check(int index, int count, const std::string& what, std::string* error) {
  if (count < 1 || count > kMaxShards || index < 0 || index >= count) {
    *error = what + ": expected shard i of n with 0 <= i < n <= " + std::to_string(kMaxShards);
    return std::nullopt;
  }
  return Shard{index, count};
}

}  // namespace

std::optional<Shard> ParseShard(std::string_view text, std::string* error) {
  size_t slash = text.find('/');
  int index = -1, count = 0;
  if (slash == std::string_view::npos || !ParseInt(text.substr(0, slash), &index) ||
      !ParseInt(text.substr(slash + 1), &count)) {
    *error = "--shard=" + std::string(text) + ": expected i/n, for example --shard=0/4";
    return std::nullopt;
  }
  return Check(index, count, "--shard=" + std::string(text), error);
}

std::optional<Shard> ShardFromEnv(std::string* error) {
  const char* total = std::getenv("TEST_TOTAL_SHARDS");
  const char* index = std::getenv("TEST_SHARD_INDEX");
  if (!total || !index) return std::nullopt;
  if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) {
    if (std::FILE* f = std::fopen(status, "w")) std::fclose(f);
  }
  int i = -1, n = 0;
  if (!ParseInt(index, &i) || !ParseInt(total, &n)) {
    *error = std::string("TEST_SHARD_INDEX=") + index + ", TEST_TOTAL_SHARDS=" + total +
             ": expected integers";
    return std::nullopt;
  }
  return Check(i, n, "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS", error);
}

}  // namespace kt::explore
