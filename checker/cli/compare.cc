// compare.cc -- `kthcheck compare BEFORE.json AFTER.json`: the verdicts of two
// `kthcheck check --all [--variants] --format=json` runs, side by side, so a change to
// the port can be judged by what it changed: a scenario that held and now hangs, a
// variant that is no longer caught.
//
// Rows are keyed by (scenario, variant, cpus). Exit status: 0 when every row has the
// same verdict and oracle in both runs, 1 when one changed or appears in one run only,
// 2 when a file cannot be read or is not such a result.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "checker/cli/commands.h"

namespace kt::cli {
namespace {

using Key = std::tuple<std::string, std::string, int>;  // scenario, variant, cpus

struct Row {
  std::string verdict;
  std::string oracle;
};

std::string Str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// The rows of one `check --all --format=json` file, or nullopt with *error set.
std::optional<std::map<Key, Row>> Load(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot be read";
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("results") || !j["results"].is_array()) {
    *error = path + ": not the JSON of `kthcheck check --all --format=json`";
    return std::nullopt;
  }
  std::map<Key, Row> rows;
  for (const nlohmann::json& r : j["results"]) {
    if (!r.is_object() || Str(r, "scenario").empty() || Str(r, "verdict").empty() ||
        !r.contains("cpus") || !r["cpus"].is_number_integer()) {
      *error = path + ": a result lacks scenario, verdict or cpus";
      return std::nullopt;
    }
    rows[{Str(r, "scenario"), Str(r, "variant"), r["cpus"].get<int>()}] =
        Row{Str(r, "verdict"), Str(r, "oracle")};
  }
  return rows;
}

std::string Show(const std::optional<Row>& r) {
  if (!r) return "(absent)";
  return r->oracle.empty() ? r->verdict : r->verdict + " [" + r->oracle + "]";
}

}  // namespace

int RunCompare(const Options& opt) {
  std::string error;
  auto before = Load(opt.compare_before, &error);
  if (!before) return std::fprintf(stderr, "kthcheck: %s\n", error.c_str()), 2;
  auto after = Load(opt.compare_after, &error);
  if (!after) return std::fprintf(stderr, "kthcheck: %s\n", error.c_str()), 2;

  std::map<Key, std::pair<std::optional<Row>, std::optional<Row>>> all;
  for (const auto& [k, r] : *before) all[k].first = r;
  for (const auto& [k, r] : *after) all[k].second = r;
  int changed = 0;
  std::printf("%-22s %-30s %4s  %-32s %-32s\n", "scenario", "variant", "cpus", "before",
              "after");
  for (const auto& [k, rows] : all) {
    const auto& [b, a] = rows;
    bool same = b && a && b->verdict == a->verdict && b->oracle == a->oracle;
    changed += !same;
    const std::string& variant = std::get<1>(k);
    std::printf("%-22s %-30s %4d  %-32s %-32s%s\n", std::get<0>(k).c_str(),
                variant.empty() ? "-" : variant.c_str(), std::get<2>(k), Show(b).c_str(),
                Show(a).c_str(), same ? "" : "  <- changed");
  }
  std::printf("\n%d of %zu rows changed\n", changed, all.size());
  return changed ? 1 : 0;
}

}  // namespace kt::cli
