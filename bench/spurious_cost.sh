#!/usr/bin/env bash
# spurious_cost.sh -- what one injected stray wakeup costs an exhaustive DPOR search:
# executions and seconds with --strategy=dpor and with --strategy=spurious
# (--spurious-wakeups=1), faithful port, 2 CPUs, measured in one run.
#
#   bench/spurious_cost.sh                         # the scenarios the exhaustive suite runs
#   bench/spurious_cost.sh completion_sync event_loop
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(stop_before_wakeup basic_loop completion_sync event_loop
                                   wait_event_loop polling_loop)
printf '%-20s %12s %9s %12s %9s %9s\n' scenario dpor seconds spurious seconds ratio
for s in "${scenarios[@]}"; do
  row=()
  for strategy in dpor spurious; do
    json=$("$bin" check --scenario="$s" --strategy="$strategy" --format=json 2>/dev/null)
    row+=($(python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["executions"], "%.2f" % j["seconds"])' <<<"$json"))
  done
  ratio=$(python3 -c "print('%.0f' % (${row[2]} / ${row[0]}))")
  printf '%-20s %12s %9s %12s %9s %8sx\n' "$s" "${row[0]}" "${row[1]}" "${row[2]}" "${row[3]}" "$ratio"
done
