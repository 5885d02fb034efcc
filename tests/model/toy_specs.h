// toy_specs.h -- small specs for the explicit engine whose counts are known in closed form
// (explorer_test, parallel_bfs_test), so the engine is tested without the kthread model.
#ifndef KTHCHECK_TESTS_MODEL_TOY_SPECS_H_
#define KTHCHECK_TESTS_MODEL_TOY_SPECS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kthcheck::explicit_engine {

// A (K+1) x (K+1) grid walked right (action 0) or up (action 1) from (0,0).
// Closed forms: states = (K+1)^2, transitions = 2K(K+1), matched = transitions - states + 1,
// depth = 2K.  `bad_sum` turns "i + j != bad_sum" into an invariant.
struct Cell {
  int i, j;
  bool operator==(const Cell& o) const { return i == o.i && j == o.j; }
};

struct GridSpec {
  using StateType = Cell;
  int k = 3;
  int bad_sum = -1;
  bool corner_is_deadlock = false;

  std::vector<Cell> InitialStates() const { return {Cell{0, 0}}; }
  template <class F>
  void ForEachSuccessor(const Cell& c, F&& f) const {
    if (c.i < k) f(0u, Cell{c.i + 1, c.j});
    if (c.j < k) f(1u, Cell{c.i, c.j + 1});
  }
  std::optional<std::string> CheckState(const Cell& c, std::string* detail) const {
    if (c.i + c.j != bad_sum) return std::nullopt;
    *detail = "i+j reached " + std::to_string(bad_sum);
    return "invariant:sum";
  }
  std::optional<std::string> CheckTerminal(const Cell&, std::string*) const {
    if (corner_is_deadlock) return "hang";
    return std::nullopt;
  }
  std::uint64_t Fingerprint(const Cell& c) const {
    return (static_cast<std::uint64_t>(c.i) * 0x9e3779b97f4a7c15ULL) ^
           (static_cast<std::uint64_t>(c.j) * 0xc2b2ae3d27d4eb4fULL);
  }
  std::string ActionName(std::uint32_t id) const { return id == 0 ? "right" : "up"; }
  std::string Describe(const Cell& c) const {
    return "(" + std::to_string(c.i) + "," + std::to_string(c.j) + ")";
  }
};

// Two processes increment a shared counter by load; store (the lost-update race).
// State: pc of each process (0 load, 1 store, 2 done), their registers, the counter.
struct Race {
  int pc[2], reg[2], x;
  bool operator==(const Race& o) const {
    return pc[0] == o.pc[0] && pc[1] == o.pc[1] && reg[0] == o.reg[0] && reg[1] == o.reg[1] &&
           x == o.x;
  }
};

struct RaceSpec {
  using StateType = Race;
  std::vector<Race> InitialStates() const { return {Race{{0, 0}, {0, 0}, 0}}; }
  template <class F>
  void ForEachSuccessor(const Race& s, F&& f) const {
    for (int p = 0; p < 2; ++p) {
      Race n = s;
      if (s.pc[p] == 0) {
        n.reg[p] = s.x;
        n.pc[p] = 1;
      } else if (s.pc[p] == 1) {
        n.x = s.reg[p] + 1;
        n.pc[p] = 2;
      } else {
        continue;
      }
      f(static_cast<std::uint32_t>(p), n);
    }
  }
  std::optional<std::string> CheckState(const Race& s, std::string* detail) const {
    if (s.pc[0] == 2 && s.pc[1] == 2 && s.x != 2) {
      *detail = "x=" + std::to_string(s.x);
      return "invariant:lost_update";
    }
    return std::nullopt;
  }
  std::optional<std::string> CheckTerminal(const Race&, std::string*) const { return std::nullopt; }
  std::uint64_t Fingerprint(const Race& s) const {
    std::uint64_t h = 1469598103934665603ULL;
    for (int v : {s.pc[0], s.pc[1], s.reg[0], s.reg[1], s.x}) h = (h ^ v) * 1099511628211ULL;
    return h;
  }
  std::string ActionName(std::uint32_t id) const { return "p" + std::to_string(id); }
  std::string Describe(const Race& s) const { return "x=" + std::to_string(s.x); }
};

// A counter modulo k: 0 -> 1 -> ... -> k-1 -> 0, a cycle of length k.
struct RingSpec {
  using StateType = int;
  int k = 4;
  std::vector<int> InitialStates() const { return {0}; }
  template <class F>
  void ForEachSuccessor(const int& s, F&& f) const {
    f(0u, (s + 1) % k);
  }
  std::optional<std::string> CheckState(const int&, std::string*) const { return std::nullopt; }
  std::optional<std::string> CheckTerminal(const int&, std::string*) const { return "hang"; }
  std::uint64_t Fingerprint(const int& s) const {
    return static_cast<std::uint64_t>(s) * 0x9e3779b97f4a7c15ULL;
  }
  std::string ActionName(std::uint32_t) const { return "tick"; }
  std::string Describe(const int& s) const { return std::to_string(s); }
};

}  // namespace kthcheck::explicit_engine

#endif  // KTHCHECK_TESTS_MODEL_TOY_SPECS_H_
