#!/usr/bin/env bash
# conformance_cost.sh -- what `check --conformance` costs: the same default check of each
# covered scenario without and with the model following every execution (faithful port,
# 2 CPUs). Each mode runs REPEAT times (default 3), alternating, and the fastest run counts,
# since the machine is shared; executions must be equal (the model only listens).
#
#   bench/conformance_cost.sh                       # every covered scenario
#   REPEAT=5 bench/conformance_cost.sh park_stop
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
repeat=${REPEAT:-3}
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(stop_before_wakeup park_before_wakeup park_stop
                                   park_unpark_stop smpboot_hotplug basic_loop
                                   completion_sync polling_loop event_loop irq_event
                                   wait_event_loop percpu)
printf '%-20s %12s %9s %9s %7s\n' scenario executions plain conform ratio
for s in "${scenarios[@]}"; do
  best_plain="" best_conf="" execs=""
  for ((i = 0; i < repeat; i++)); do
    for mode in plain conform; do
      flag=()
      [[ $mode == conform ]] && flag=(--conformance)
      json=$("$bin" check --scenario="$s" "${flag[@]}" --format=json 2>/dev/null)
      read -r n sec verdict < <(python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["executions"], "%.3f" % j["seconds"], j["verdict"])' <<<"$json")
      [[ -z $execs ]] && execs=$n
      [[ $n == "$execs" ]] || echo "$s: $mode ran $n executions, not $execs ($verdict)" >&2
      if [[ $mode == plain ]]; then
        [[ -z $best_plain ]] || (($(python3 -c "print(int($sec < $best_plain))"))) && best_plain=$sec
      else
        [[ -z $best_conf ]] || (($(python3 -c "print(int($sec < $best_conf))"))) && best_conf=$sec
      fi
    done
  done
  ratio=$(python3 -c "print('%.2f' % ($best_conf / max($best_plain, 0.001)))")
  printf '%-20s %12s %8ss %8ss %6sx\n' "$s" "$execs" "$best_plain" "$best_conf" "$ratio"
done
