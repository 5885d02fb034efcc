#!/usr/bin/env bash
# model_symmetry.sh -- the smpboot model searched as written (ordered) and as its any-order
# closure by CPU orbits (`--symmetry`, model/symmetry.h), in one run: states stored, wall
# and CPU seconds, peak memory, and the ratios ordered / symmetric. N = 4, H = 2, W = 2
# has no ordered row: about 10^9 states, beyond the exact store (model/README.md).
#
#   bench/model_symmetry.sh                 # rows "2 2 2", "3 2 2" and "4 2 2", 2 threads
#   JOBS=1 bench/model_symmetry.sh 3 1 1    # CPUS HOTPLUG WORK, one row
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
jobs=${JOBS:-2}
rows=("$@")
((${#rows[@]})) || rows=("2 2 2" "3 2 2" "4 2 2")
if (($# == 3)) && [[ $1 =~ ^[0-9]+$ ]]; then rows=("$1 $2 $3"); fi
for row in "${rows[@]}"; do
  if ! [[ $row =~ ^[1-4]\ [0-7]\ [0-7]$ ]]; then
    echo "bench/model_symmetry.sh: '$row': expected CPUS HOTPLUG WORK (1-4, 0-7, 0-7)" >&2
    exit 2
  fi
done
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "model, --jobs=$jobs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-9s %12s %8s %8s %8s %8s %10s\n' N/H/W search states wall_s cpu_s mem_MB verdict states_x
# Prints "states wall cpu mem verdict" of one search.
run() {
  local start end t
  start=$(date +%s.%N)
  t=$( { /usr/bin/time -f '%U %S %M' "$bin" model --cpus="$1" --hotplug="$2" --work="$3" \
           --jobs="$jobs" --max-states=1000000000 $4 --format=json >"$tmp"; } 2>&1 | tail -1)
  end=$(date +%s.%N)
  python3 - "$tmp" "$start" "$end" $t <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
start, end, user, sys_s, mem = map(float, sys.argv[2:7])
print(j["states"], "%.2f" % (end - start), "%.2f" % (user + sys_s), int(mem / 1024), j["verdict"])
PY
}
for row in "${rows[@]}"; do
  read -r n h w <<<"$row"
  ordered=""
  if ((n < 4)); then
    ordered=$(run "$n" "$h" "$w" "")
    read -r s wall cpu mem verdict <<<"$ordered"
    printf '%-6s %-9s %12s %8s %8s %8s %8s %10s\n' "$n/$h/$w" ordered "$s" "$wall" "$cpu" "$mem" "$verdict" ""
  fi
  sym=$(run "$n" "$h" "$w" --symmetry)
  read -r s wall cpu mem verdict <<<"$sym"
  ratio=""
  [[ -n $ordered ]] && ratio=$(python3 -c "print('%.2f' % (${ordered%% *} / $s))")
  printf '%-6s %-9s %12s %8s %8s %8s %8s %10s\n' "$n/$h/$w" symmetric "$s" "$wall" "$cpu" "$mem" "$verdict" "$ratio"
done
