// compare.cc -- `kthcheck compare BEFORE.json AFTER.json`: the verdicts of two
// `kthcheck check --all [--variants] --format=json` runs, side by side, so a change to
// the port can be judged by what it changed: a scenario that held and now hangs, a
// variant that is no longer caught.
//
// Rows are keyed by (scenario, variant, cpus). Exit status: 0 when every row has the
// same verdict and oracle in both runs, 1 when one changed or appears in one run only,
// 2 when a file cannot be read or is not such a result.
#include "checker/cli/compare.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/cli/commands.h"

namespace kt::cli {
namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// The rows of one `check --all --format=json` file, or nullopt with *error set.
std::optional<CheckResults> Load(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot be read";
    return std::nullopt;
  }
  // A directory opens but reads nothing: it fails below as "not the JSON".
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseCheckResults(text, path, error);
}

std::string Show(const std::optional<CompareRow>& r) {
  if (!r) return "(absent)";
  return r->oracle.empty() ? r->verdict : r->verdict + " [" + r->oracle + "]";
}

}  // namespace

std::optional<CheckResults> ParseCheckResults(std::string_view text, const std::string& name,
                                              std::string* error) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("results") || !j["results"].is_array()) {
    *error = name + ": not the JSON of `kthcheck check --all --format=json`";
    return std::nullopt;
  }
  CheckResults rows;
  for (const nlohmann::json& r : j["results"]) {
    if (!r.is_object() || Str(r, "scenario").empty() || Str(r, "verdict").empty() ||
        !r.contains("cpus") || !r["cpus"].is_number_integer()) {
      *error = name + ": a result lacks scenario, verdict or cpus";
      return std::nullopt;
    }
    rows[{Str(r, "scenario"), Str(r, "variant"), r["cpus"].get<int>()}] =
        CompareRow{Str(r, "verdict"), Str(r, "oracle")};
  }
  return rows;
}

std::vector<CompareLine> CompareResults(const CheckResults& before, const CheckResults& after) {
  std::map<CompareKey, CompareLine> all;
  for (const auto& [k, r] : before) all[k].before = r;
  for (const auto& [k, r] : after) all[k].after = r;
  std::vector<CompareLine> lines;
  for (auto& [k, line] : all) {
    const std::optional<CompareRow>& b = line.before;
    const std::optional<CompareRow>& a = line.after;
    line.key = k;
    line.changed = !(b && a && b->verdict == a->verdict && b->oracle == a->oracle);
    lines.push_back(std::move(line));
  }
  return lines;
}

int PrintComparison(std::FILE* out, const std::vector<CompareLine>& lines) {
  int changed = 0;
  std::fprintf(out, "%-22s %-30s %4s  %-32s %-32s\n", "scenario", "variant", "cpus", "before",
               "after");
  for (const CompareLine& l : lines) {
    changed += l.changed;
    const std::string& variant = std::get<1>(l.key);
    std::fprintf(out, "%-22s %-30s %4d  %-32s %-32s%s\n", std::get<0>(l.key).c_str(),
                 variant.empty() ? "-" : variant.c_str(), std::get<2>(l.key),
                 Show(l.before).c_str(), Show(l.after).c_str(), l.changed ? "  <- changed" : "");
  }
  std::fprintf(out, "\n%d of %zu rows changed\n", changed, lines.size());
  return changed;
}

int RunCompare(const Options& opt) {
  std::string error;
  auto before = Load(opt.compare_before, &error);
  if (!before) return std::fprintf(stderr, "kthcheck: %s\n", error.c_str()), 2;
  auto after = Load(opt.compare_after, &error);
  if (!after) return std::fprintf(stderr, "kthcheck: %s\n", error.c_str()), 2;
  return PrintComparison(stdout, CompareResults(*before, *after)) ? 1 : 0;
}

}  // namespace kt::cli
