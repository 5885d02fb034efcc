#!/usr/bin/env bash
# all.sh -- issue 4's benchmarks in one command, each printed under its own heading and
# saved to OUT/NAME.txt (default bench-results/): what README.md "Performance" quotes.
#
#   bench/all.sh                 # everything, about 15 minutes on an idle 2-core machine
#   bench/all.sh runtime ttf     # some of them, by name
#
#   runtime   scheduling points/s of the controlled runtime, executions/s (//bench:runtime_bench)
#   traces    executions per Mazurkiewicz trace per scenario (bench/trace_ratio.sh)
#   model     states/s of the explicit engine (//bench:model_explorer_bench)
#   ttf       time to the first counterexample of every variant (bench/variant_ttf.sh)
#   spin      SPIN against the explicit engine, N = 1..4 (bench/spin_vs_model.sh)
#   parallel  the explicit engine on 1 and 2 threads, N = 3 (bench/model_parallel.sh)
#   symmetry  the model ordered and by CPU orbits, N = 2..4 (bench/model_symmetry.sh)
#
# They run one after another, never side by side: each measures ratios within its own run
# on a machine that must otherwise be quiet (`uptime` is printed first).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-bench-results}
mkdir -p "$out"
names=("$@")
((${#names[@]})) || names=(runtime traces model ttf spin parallel symmetry)

run() {
  case "$1" in
    runtime) bazel run --ui_event_filters=-info //bench:runtime_bench ;;
    traces) bench/trace_ratio.sh ;;
    model) bazel run --ui_event_filters=-info //bench:model_explorer_bench ;;
    ttf) bench/variant_ttf.sh ;;
    spin) bench/spin_vs_model.sh ;;
    parallel) bench/model_parallel.sh ;;
    symmetry) bench/model_symmetry.sh ;;
  esac
}

for name in "${names[@]}"; do  # a typo fails before anything runs
  case "$name" in
    runtime | traces | model | ttf | spin | parallel | symmetry) ;;
    *) echo "bench/all.sh: unknown benchmark '$name' (runtime traces model ttf spin parallel symmetry)" >&2
       exit 2 ;;
  esac
done

status=0
for name in "${names[@]}"; do
  echo "=== $name ($(date -u +%H:%M:%S), $(uptime | sed 's/.*load/load/'))"
  run "$name" 2>&1 | tee "$out/$name.txt"
  ((PIPESTATUS[0] != 0)) && status=1
done
exit "$status"
