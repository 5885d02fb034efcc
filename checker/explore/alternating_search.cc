#include "checker/explore/alternating_search.h"

#include <utility>

namespace kt::explore {

AlternatingSearch::AlternatingSearch(std::unique_ptr<SearchStrategy> first,
                                     std::unique_ptr<SearchStrategy> second,
                                     std::string first_name, std::string second_name,
                                     uint64_t second_limit) {
  part_[0].search = std::move(first);
  part_[0].name = std::move(first_name);
  part_[1].search = std::move(second);
  part_[1].name = std::move(second_name);
  part_[1].limit = second_limit;
}

bool AlternatingSearch::Next() {
  for (int tries = 0; tries < 2; ++tries) {
    int next = 1 - cur_;
    if (part_[next].over) next = cur_;
    if (part_[next].over) return false;
    cur_ = next;
    Part& p = part_[cur_];
    if (p.limit && p.executions >= p.limit) {
      p.over = p.limited = true;
      continue;
    }
    if (p.search->Next()) return true;
    p.over = true;
    // An exhaustive search that ended uncut has covered everything the other could find.
    if (cur_ == 1 && part_[1].search->Cut().empty()) {
      ended_ = true;
      return false;
    }
  }
  return false;
}

RunKind AlternatingSearch::Done(const rt::RunResult& r) {
  RunKind k = Current().Done(r);
  if (k != RunKind::kOtherShard) ++part_[cur_].executions;
  return k;
}

std::string AlternatingSearch::Cut() const {
  if (ended_) return "";
  // Both are over: the first bound that cut one of them (the runner's own bound,
  // max_executions, is reported by the runner when it stops the search first).
  if (part_[1].limited) return "max_executions=" + std::to_string(part_[1].limit);
  std::string a = part_[0].search->Cut(), b = part_[1].search->Cut();
  return !b.empty() ? b : a;
}

std::string AlternatingSearch::Guarantee() const {
  if (ended_) return part_[1].search->Guarantee();
  std::string second = part_[1].limited ? "no finding in its share of the executions; not "
                                          "exhaustive"
                                        : part_[1].search->Guarantee();
  return part_[0].name + " (" + std::to_string(part_[0].executions) + " executions): " +
         part_[0].search->Guarantee() + "; " + part_[1].name + " (" +
         std::to_string(part_[1].executions) + " executions, in turn with " + part_[0].name +
         "): " + second;
}

std::vector<std::string> AlternatingSearch::FindingNotes() const {
  std::vector<std::string> notes = part_[cur_].search->FindingNotes();
  notes.push_back("found by " + part_[cur_].name + " in its execution " +
                  std::to_string(part_[cur_].executions) + ", taking turns with " +
                  part_[1 - cur_].name + " (" + std::to_string(part_[1 - cur_].executions) +
                  " executions)");
  return notes;
}

double AlternatingSearch::Fraction() const {
  double a = part_[0].search->Fraction(), b = part_[1].search->Fraction();
  if (ended_ || part_[0].over) return b;
  return a > b ? a : b;  // the budget ends with the first one that runs out
}

size_t AlternatingSearch::MemoryBytes() const {
  return part_[0].search->MemoryBytes() + part_[1].search->MemoryBytes();
}

}  // namespace kt::explore
