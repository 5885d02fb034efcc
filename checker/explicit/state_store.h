// state_store.h -- visited-state sets for the explicit engine: exact and fingerprint.
//
// Contract:
// - ExactStore<State> keeps every state (so equality is exact) in insertion order and
//   answers Insert(state, hash) -> {index, inserted}.  Indices are dense from 0.
// - FingerprintStore keeps only 64-bit hashes (Holzmann's hash compaction): Insert(fp) ->
//   inserted.  Two distinct states with equal fingerprints are merged, so a search may miss
//   states; CollisionProbability(n) bounds that for n stored states.
// - Both are open-addressing tables with linear probing at load factor <= 1/2, so memory per
//   state is the state itself plus 16 bytes (exact) or 16 bytes (fingerprint).
// Neither knows anything about the spec: the caller supplies hashes.
#ifndef KTHCHECK_CHECKER_EXPLICIT_STATE_STORE_H_
#define KTHCHECK_CHECKER_EXPLICIT_STATE_STORE_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace kthcheck::explicit_engine {

template <class State>
class ExactStore {
 public:
  ExactStore() : slots_(1024, 0) {}

  // Returns the state's index and whether it was new.
  std::pair<std::uint32_t, bool> Insert(const State& s, std::uint64_t hash) {
    if (2 * (states_.size() + 1) > slots_.size()) Grow();
    std::size_t mask = slots_.size() - 1;
    std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      std::uint64_t slot = slots_[i];
      if (slot == 0) {
        states_.push_back(s);
        hashes_.push_back(hash);
        slots_[i] = (std::uint64_t{tag} << 32) | states_.size();  // index + 1
        return {static_cast<std::uint32_t>(states_.size() - 1), true};
      }
      std::uint32_t idx = static_cast<std::uint32_t>(slot) - 1;
      if (static_cast<std::uint32_t>(slot >> 32) == tag && states_[idx] == s) return {idx, false};
    }
  }

  const State& At(std::uint32_t i) const { return states_[i]; }
  // For stores whose State carries data beside what equality compares (parallel_bfs.h's
  // records): that part may change; what operator== reads must not.
  State& At(std::uint32_t i) { return states_[i]; }
  std::uint64_t size() const { return states_.size(); }

 private:
  void Grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t idx = 0; idx < states_.size(); ++idx) {
      std::uint64_t h = hashes_[idx];
      std::size_t i = h & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = (static_cast<std::uint64_t>(h >> 32) << 32) | (idx + 1);
    }
  }

  std::vector<State> states_;
  std::vector<std::uint64_t> hashes_;  // kept so Grow() needs no spec
  std::vector<std::uint64_t> slots_;   // tag << 32 | (index + 1); 0 is empty
};

class FingerprintStore {
 public:
  FingerprintStore() : slots_(1024, 0) {}

  bool Insert(std::uint64_t fp) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    if (2 * (size_ + 1) > slots_.size()) Grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
      if (slots_[i] == fp) return false;
      if (slots_[i] == 0) {
        slots_[i] = fp;
        ++size_;
        return true;
      }
    }
  }

  std::uint64_t size() const { return size_; }

  // P(some two of n distinct states share a fingerprint) <= n(n-1)/2 / 2^64 (birthday bound).
  static double CollisionProbability(std::uint64_t n) {
    double d = static_cast<double>(n);
    return d * (d - 1) / 2 / 18446744073709551616.0;
  }

 private:
  void Grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (std::uint64_t fp : old) {
      if (fp == 0) continue;
      std::size_t i = fp & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = fp;
    }
  }

  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> slots_;
};

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_CHECKER_EXPLICIT_STATE_STORE_H_
