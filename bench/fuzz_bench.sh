#!/usr/bin/env bash
# fuzz_bench.sh -- the scenario fuzzer's floors (issue 6), measured with libFuzzer under
# --config=fuzz (ASan + UBSan + coverage):
#
#   1. executions per second of //fuzz:scenario_fuzzer (floor 10,000/s), per scenario,
#      from the checked-in seeds, SECONDS each, with KT_FUZZ_FINDINGS=count (findings on
#      the faithful port are counted, not fatal, so every run lasts SECONDS);
#   2. time to find the event_check_before_set_state lost wakeup from an empty corpus
#      (floor 10 s), over RUNS libFuzzer seeds.
#
#   bench/fuzz_bench.sh [SECONDS=10] [RUNS=10]
#
# SCENARIOS="a b" measures only those scenarios (RUNS=0 skips part 2). TTF_VARIANT,
# TTF_ORACLE and TTF_SCENARIO change part 2's bug: e.g. TTF_VARIANT=parkme_not_special
# TTF_ORACLE=invariant:park_postcondition TTF_SCENARIO=api_sequence times a port variant
# found through api_sequence's operation programs; TTF_ORACLE=any counts the first
# finding of any oracle (a variant can show as more than one). FUZZ_FLAGS adds libFuzzer
# flags to every run (e.g. "-len_control=0 -max_len=256"). bench/fuzz_parallel.sh measures
# libFuzzer's -fork and -jobs modes.
#
# Rates are given per wall-clock second and per CPU second (user + system time of the
# fuzzer process): on a shared machine the wall rate drops with the load, the CPU rate
# does not. BUILD=plain measures plain --config=fuzz (everything instrumented); the
# default is --config=fuzzfast, the build of fuzz/campaign.sh (fuzz/README.md "Builds": the
# controlled runtime, which is not code under test, without coverage and sanitizers,
# and UBSan's vptr check off).
#
#   BUILD=plain bench/fuzz_bench.sh
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
runs=${2:-10}
build=(--config=fuzzfast)  # .bazelrc
[[ ${BUILD:-fast} == plain ]] && build=(--config=fuzz)
echo "build: bazel build ${build[*]} //fuzz:scenario_fuzzer"
bazel build "${build[@]}" //fuzz:scenario_fuzzer >&2 || exit 1
bin=$(bazel info "${build[@]}" bazel-bin 2>/dev/null)/fuzz/scenario_fuzzer
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs the fuzzer (args...) and prints "units wall_s cpu_s first_finding".
measure() {
  local log=$tmp/log
  # -detect_leaks=0 as in fuzz/scenario_fuzzer.options.
  # shellcheck disable=SC2086  # FUZZ_FLAGS is a list of libFuzzer flags
  /usr/bin/time -f 'TIME %e %U %S' "$bin" -print_final_stats=1 -detect_leaks=0 ${FUZZ_FLAGS:-} \
    "$@" > "$log" 2>&1
  local units wall cpu finding
  units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  read -r wall cpu < <(awk '/^TIME/ {print $2, $3 + $4}' "$log")
  finding=$(sed -n 's/^==kthcheck== finding: //p' "$log" | sort -u | paste -sd, -)
  echo "${units:-0} $wall $cpu ${finding:--}"
}

echo "== executions per second (${seconds} s per scenario, from fuzz/corpus/scenario_fuzzer)"
printf '%-22s %10s %10s %10s  %s\n' scenario execs "per wall s" "per CPU s" "findings (counted)"
total_units=0 total_cpu=0
default_scenarios="basic_loop event_loop wait_event_loop completion_sync stop_before_wakeup
  park_unpark_stop park_stop park_before_wakeup smpboot_hotplug kthread_worker freezable
  freezable_worker percpu polling_loop irq_event api_sequence"
for scenario in ${SCENARIOS:-$default_scenarios}; do
  rm -rf "$tmp/corpus"; mkdir -p "$tmp/corpus"
  cp fuzz/corpus/scenario_fuzzer/* "$tmp/corpus/"
  read -r units wall cpu finding < <(KT_FUZZ_FINDINGS=count KT_FUZZ_SCENARIO=$scenario measure \
      -max_total_time="$seconds" -artifact_prefix="$tmp/" "$tmp/corpus")
  printf '%-22s %10d %10.0f %10.0f  %s\n' "$scenario" "$units" \
    "$(echo "$units / $wall" | bc -l)" "$(echo "$units / $cpu" | bc -l)" "$finding"
  total_units=$((total_units + units))
  total_cpu=$(echo "$total_cpu + $cpu" | bc -l)
done
printf '%-22s %10d %10s %10.0f\n' "all (per CPU s)" "$total_units" "" \
  "$(echo "$total_units / $total_cpu" | bc -l)"

ttf_variant=${TTF_VARIANT:-event_check_before_set_state}
ttf_oracle=${TTF_ORACLE:-lost_wakeup}
ttf_scenario=${TTF_SCENARIO:-}  # empty: the variant's own
(( runs > 0 )) || exit 0
echo
echo "== time to find $ttf_variant ($ttf_oracle${ttf_scenario:+ on $ttf_scenario}) from an" \
     "empty corpus (${runs} seeds)"
for cpus in 2 1-4; do
  found=0 within10=0 times=()
  for seed in $(seq 1 "$runs"); do
    rm -rf "$tmp/empty"; mkdir -p "$tmp/empty"
    read -r units wall cpu finding < <(KT_FUZZ_VARIANT=$ttf_variant \
        KT_FUZZ_SCENARIO=$ttf_scenario KT_FUZZ_CPUS=$cpus measure -seed="$seed" -max_total_time=60 \
        -artifact_prefix="$tmp/" "$tmp/empty")
    printf '  KT_FUZZ_CPUS=%-3s seed %2d: %-12s after %7d execs, %6.2f s wall, %6.2f s CPU\n' \
      "$cpus" "$seed" "$finding" "$units" "$wall" "$cpu"
    if [[ $finding == "$ttf_oracle" || ($ttf_oracle == any && $finding != -) ]]; then
      found=$((found + 1))
      times+=("$wall")
      (( $(echo "$wall <= 10" | bc -l) )) && within10=$((within10 + 1))
    fi
  done
  median=$(printf '%s\n' "${times[@]:-}" | sort -g | awk '{a[NR]=$1} END {print NR ? a[int((NR+1)/2)] : "-"}')
  max=$(printf '%s\n' "${times[@]:-}" | sort -g | tail -1)
  echo "KT_FUZZ_CPUS=$cpus: $ttf_oracle found in $found of $runs runs, $within10 within 10 s;" \
       "median ${median} s, max ${max:--} s (wall)"
done
