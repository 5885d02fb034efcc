// counters.h -- extra libFuzzer coverage counters, for features that are not code edges.
//
// The counters live in the `__libfuzzer_extra_counters` section, which libFuzzer (Linux)
// clears before and reads after every input, like its own edge counters. A feature is a
// 64-bit hash folded into kCounters slots; each hit saturates at 255 (libFuzzer buckets
// counts 1, 2, 3, 4-7, 8-15, ... so repetition is a feature too). Outside libFuzzer
// (tests, the random driver) the counters are written and never read.
#ifndef KTHCHECK_FUZZ_COUNTERS_H_
#define KTHCHECK_FUZZ_COUNTERS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kt::fuzz {

inline constexpr size_t kCounters = size_t{1} << 14;

// Counts one hit of feature `h`.
void HitFeature(uint64_t h);
// The number of slots that are non-zero.
size_t CountersSet();

// 64-bit mixing of two words (splitmix64's finaliser).
inline uint64_t MixHash(uint64_t a, uint64_t b) {
  uint64_t x = a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// FNV-1a of the bytes: the same in every process, unlike an address.
uint64_t StringHash(std::string_view s);
// StringHash of a C string, cached by address: kernel function names are string
// literals, so the cache hits almost always.
uint64_t NameHash(const char* s);

}  // namespace kt::fuzz

#endif  // KTHCHECK_FUZZ_COUNTERS_H_
