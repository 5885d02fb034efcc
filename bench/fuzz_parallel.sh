#!/usr/bin/env bash
# fuzz_parallel.sh -- executions per second of //fuzz:scenario_fuzzer (--config=fuzzfast)
# when libFuzzer runs N processes, against one process, on one scenario, from the
# checked-in seeds, SECONDS each, with KT_FUZZ_FINDINGS=count (findings are counted, so
# every run lasts SECONDS):
#
#   single   one process;
#   fork     -fork=N: a parent starts fuzzing jobs in N child processes and merges
#            their new inputs into its corpus (jobs are short at first, so its start-up
#            cost shows in short runs);
#   jobs     -jobs=N -workers=N: N independent processes that share the corpus
#            directory (each writes fuzz-<i>.log).
#
#   bench/fuzz_parallel.sh [SECONDS=30] [N=2] [SCENARIO=api_sequence]
#
# Per wall second is what a floor on a machine with N cores asks for; per CPU second
# (user + system time of the processes, children included) shows what the mode costs.
# On a shared machine the wall rates move with the load; the CPU rates much less.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
n=${2:-2}
scenario=${3:-api_sequence}
[[ $seconds =~ ^[0-9]+$ && $n =~ ^[0-9]+$ && $n -ge 1 ]] || {
  echo "usage: bench/fuzz_parallel.sh [SECONDS] [N>=1] [SCENARIO]" >&2
  exit 2
}
bazel build --config=fuzzfast //fuzz:scenario_fuzzer >&2 || exit 1
bin=$(bazel info --config=fuzzfast bazel-bin 2>/dev/null)/fuzz/scenario_fuzzer
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KT_FUZZ_FINDINGS=count KT_FUZZ_SCENARIO=$scenario

# Runs the fuzzer in a fresh directory with a fresh copy of the seeds (args...) and
# prints "wall_s cpu_s" of the whole run; its output stays in $tmp/run/.
run() {
  rm -rf "$tmp/run" && mkdir -p "$tmp/run/corpus"
  cp fuzz/corpus/scenario_fuzzer/* "$tmp/run/corpus/"
  (cd "$tmp/run" && /usr/bin/time -f 'TIME %e %U %S' "$bin" -print_final_stats=1 \
      -detect_leaks=0 -max_total_time="$seconds" -artifact_prefix="$tmp/run/" "$@" corpus \
      > log 2>&1)
  awk '/^TIME/ {print $2, $3 + $4}' "$tmp/run/log"
}

row() {  # mode units wall cpu
  printf '%-8s %10d %8.1f %8.1f %12.0f %12.0f\n' "$1" "$2" "$3" "$4" \
    "$(echo "$2 / $3" | bc -l)" "$(echo "$2 / $4" | bc -l)"
}

echo "== $scenario, ${seconds} s per mode, N=$n"
printf '%-8s %10s %8s %8s %12s %12s\n' mode execs wall_s cpu_s "per wall s" "per CPU s"
read -r wall cpu < <(run)
row single "$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/run/log")" "$wall" "$cpu"
read -r wall cpu < <(run -fork="$n")
# The parent's progress lines count the executions of all jobs: "#<total>: cov: ...".
row fork "$(sed -n 's/^#\([0-9]*\): cov.*/\1/p' "$tmp/run/log" | tail -1)" "$wall" "$cpu"
read -r wall cpu < <(run -jobs="$n" -workers="$n")
row jobs "$(cat "$tmp"/run/fuzz-*.log | sed -n 's/^stat::number_of_executed_units: *//p' |
            paste -sd+ | bc)" "$wall" "$cpu"
