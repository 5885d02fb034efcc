// alternating_search.h -- two searches in one, taking executions in turn: the first
// search runs executions 0, 2, 4, ..., the second 1, 3, 5, ..., until one is over, and
// then the other runs alone.
//
// Why: a budgeted check (portfolio.h) pairs PCT, which reaches most deep bugs of the
// large scenarios within hundreds of runs, with DPOR, which reaches some of them sooner
// and in a number of executions that does not depend on a seed. Run one after the
// other, a bug that only DPOR reaches quickly waits for PCT's whole budget; in turn,
// each bug is found within twice the executions of the search that finds it first.
//
// The two searches keep their own state: DPOR's stack is untouched by PCT's executions
// in between, so each explores exactly what it would alone, and the combination is as
// deterministic as its parts. If the second search is exhaustive and ends, the whole
// search ends with its verdict: nothing is left for the first to find.
#ifndef KTHCHECK_CHECKER_EXPLORE_ALTERNATING_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLORE_ALTERNATING_SEARCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checker/explore/search_strategy.h"

namespace kt::explore {

class AlternatingSearch final : public SearchStrategy {
 public:
  // `second_limit`: the second search's share of executions (its own bound, since the
  // runner's max_executions counts both); 0 = none.
  AlternatingSearch(std::unique_ptr<SearchStrategy> first, std::unique_ptr<SearchStrategy> second,
                    std::string first_name, std::string second_name, uint64_t second_limit = 0);

  TaskId Choose(const rt::ChoicePoint& cp) override { return Current().Choose(cp); }
  bool Next() override;
  RunKind Done(const rt::RunResult& r) override;
  std::string Cut() const override;
  std::string Guarantee() const override;
  std::vector<std::string> FindingNotes() const override;
  double Fraction() const override;
  size_t MemoryBytes() const override;

  // Counted executions each search (0: first, 1: second) ran.
  uint64_t executions(int which) const { return part_[which].executions; }
  // The search that ran the last execution.
  int last() const { return cur_; }
  // What one search alone has shown.
  std::string Guarantee(int which) const { return part_[which].search->Guarantee(); }

 private:
  struct Part {
    std::unique_ptr<SearchStrategy> search;
    std::string name;
    bool over = false;
    uint64_t executions = 0;
    uint64_t limit = 0;  // 0 = none
    bool limited = false;  // over because it used up `limit`
  };
  SearchStrategy& Current() { return *part_[cur_].search; }

  Part part_[2];
  int cur_ = 1;       // the part that ran the last execution (the first Next() picks 0)
  bool ended_ = false;  // the second ended uncut: the search is exhaustive
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_ALTERNATING_SEARCH_H_
