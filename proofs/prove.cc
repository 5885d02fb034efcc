// prove.cc -- see prove.h.
#include "proofs/prove.h"

#include <algorithm>
#include <cstdio>

#include "model/state.h"
#include "proofs/bmc.h"
#include "proofs/induction.h"

namespace kthcheck::proofs {
namespace {

// The faithful cross-check of the encoding: no oracle at all within 24 steps with H = W = 1
// (about 5 s for N = 2; the unsat queries grow steeply past that, and the parametric proof
// already covers every depth and N).
constexpr int kFaithfulBmcBound = 24;

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace

std::vector<ObligationResult> Prove(const ProveOptions& options, std::string* usage_error) {
  model::Variant v;
  if (!model::ParseVariant(options.variant, &v)) {
    *usage_error = "--variant=" + options.variant + ": unknown; `kthcheck list` names the variants";
    return {};
  }
  if (v != model::Variant::kFaithful) {
    for (const model::VariantInfo& info : model::Variants()) {
      if (info.variant != v) continue;
      return {RunBmc(model::VariantParams(info), info.oracle, info.bmc_bound,
                     options.timeout_ms)};
    }
  }
  std::vector<ObligationResult> rows = ProveAllInductive(options.timeout_ms);
  if (options.bmc) {
    int cpus = std::clamp(options.max_cpus_hint, 1, 2);
    model::Params p{cpus, 1, 1, model::Variant::kFaithful};
    rows.push_back(RunBmc(p, "any", kFaithfulBmcBound, options.timeout_ms));
  }
  return rows;
}

int ExitCode(const std::vector<ObligationResult>& rows) {
  bool unknown = false;
  for (const ObligationResult& r : rows) {
    if (r.result == "violated") return 1;
    if (r.result != "proved") unknown = true;
  }
  return unknown ? 3 : 0;
}

void PrintTable(const std::vector<ObligationResult>& rows, std::ostream& out) {
  char line[256];
  std::snprintf(line, sizeof line, "%-40s %-9s %-8s %-10s %8s\n", "obligation", "kind", "result",
                "parametric", "seconds");
  out << line;
  double total = 0;
  for (const ObligationResult& r : rows) {
    std::snprintf(line, sizeof line, "%-40s %-9s %-8s %-10s %8.3f\n", r.name.c_str(),
                  r.kind.c_str(), r.result.c_str(), r.parametric ? "any N" : "fixed N", r.seconds);
    out << line;
    if (r.result != "proved" || r.kind == "bmc") out << r.detail << (r.detail.empty() ? "" : "\n");
    total += r.seconds;
  }
  std::snprintf(line, sizeof line, "%zu obligations, %.3f s total\n", rows.size(), total);
  out << line;
}

void PrintJson(const std::vector<ObligationResult>& rows, std::ostream& out) {
  out << "{\"obligations\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ObligationResult& r = rows[i];
    out << (i ? "," : "") << "{\"name\":\"" << JsonEscape(r.name) << "\",\"kind\":\"" << r.kind
        << "\",\"result\":\"" << r.result
        << "\",\"parametric\":" << (r.parametric ? "true" : "false") << ",\"seconds\":" << r.seconds
        << ",\"detail\":\"" << JsonEscape(r.detail) << "\"}";
  }
  out << "]}\n";
}

int RunProve(const ProveOptions& options, std::ostream& out) {
  std::string usage;
  std::vector<ObligationResult> rows = Prove(options, &usage);
  if (!usage.empty()) {
    out << usage << "\n";
    return 2;
  }
  PrintTable(rows, out);
  return ExitCode(rows);
}

}  // namespace kthcheck::proofs
