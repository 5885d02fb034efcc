#!/usr/bin/env bash
# tso_cost.sh -- what the tso and pso memory models cost: each faithful scenario of the
# catalog checked under sc, tso and pso (default bounds, DPOR), executions and seconds,
# and the tso/sc and pso/sc ratios. One run each; the figures in bench/tso_cost.md came
# from it.
#
#   bench/tso_cost.sh [SECONDS] [SCENARIO...]   # SECONDS: a time limit per check (600)
#
# A check cut by the time limit prints the executions of its last progress line and
# "cut"; its ratio is then a lower bound.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
limit=${1:-600}
shift || true
"$root/kthcheck" list >/dev/null  # builds
kth="$root/bazel-bin/checker/cli/kthcheck"
if [ $# -gt 0 ]; then scenarios=("$@"); else
  mapfile -t scenarios < <("$kth" list --format=json |
    python3 -c 'import json,sys; [print(s["name"]) for s in json.load(sys.stdin)["scenarios"]]')
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints "executions seconds verdict" for one check.
run() {
  local start end status=0
  start=$(date +%s.%N)
  timeout "$limit" "$kth" check --scenario="$1" --memory-model="$2" --format=json \
    >"$tmp/out" 2>"$tmp/err" || status=$?
  end=$(date +%s.%N)
  if [ "$status" = 124 ]; then
    local n
    n=$(grep -o '^progress: [0-9]*' "$tmp/err" | tail -1 | grep -o '[0-9]*$' || echo 0)
    echo "$n $(echo "$end - $start" | bc) cut"
  else
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["executions"], "%.2f" % j["seconds"], j["verdict"])' "$tmp/out"
  fi
}

ratio() { python3 -c "print('%.1f' % ($1 / max($2, $3)))"; }
printf '%-20s %10s %8s %-9s %10s %8s %-9s %10s %8s %-9s %6s %6s %6s %6s\n' scenario \
  sc_execs sc_s sc_verd tso_execs tso_s tso_verd pso_execs pso_s pso_verd \
  tso_x tso_t pso_x pso_t
for s in "${scenarios[@]}"; do
  read -r se st sv <<<"$(run "$s" sc)"
  read -r te tt tv <<<"$(run "$s" tso)"
  read -r pe pt pv <<<"$(run "$s" pso)"
  printf '%-20s %10s %8s %-9s %10s %8s %-9s %10s %8s %-9s %6s %6s %6s %6s\n' "$s" \
    "$se" "$st" "$sv" "$te" "$tt" "$tv" "$pe" "$pt" "$pv" \
    "$(ratio "$te" "$se" 1)" "$(ratio "$tt" "$st" 0.01)" \
    "$(ratio "$pe" "$se" 1)" "$(ratio "$pt" "$st" 0.01)"
done
