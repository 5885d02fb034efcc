// rng.h -- the seeded random source of the randomized strategies (random, pct, fair).
//
// splitmix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators",
// OOPSLA'14): one 64-bit word of state, the same sequence on every platform and compiler
// (unlike std::uniform_int_distribution), so a seed printed by one machine replays on
// another. Execution i of a search with seed s uses Rng(Mix(s, i)): any execution can be
// rerun alone, and shards of a randomized search can split by execution index.
#ifndef KTHCHECK_CHECKER_EXPLORE_RNG_H_
#define KTHCHECK_CHECKER_EXPLORE_RNG_H_

#include <cstdint>

namespace kt::explore {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift with rejection: no modulo bias).
  uint64_t Below(uint64_t n) {
    for (;;) {
      unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
      uint64_t low = static_cast<uint64_t>(m);
      if (low >= n || low >= (-n) % n) return static_cast<uint64_t>(m >> 64);
    }
  }
  // A uniformly chosen set bit of `mask` (mask != 0).
  int PickBit(uint32_t mask) {
    uint64_t k = Below(static_cast<uint64_t>(__builtin_popcount(mask)));
    for (; k > 0; --k) mask &= mask - 1;
    return __builtin_ctz(mask);
  }

 private:
  uint64_t state_;
};

// The seed of execution `index` of a search seeded with `seed`.
inline uint64_t Mix(uint64_t seed, uint64_t index) {
  Rng r(seed ^ (index * 0xd1b54a32d192ed03ull));
  r.Next();
  return r.Next();
}

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_RNG_H_
