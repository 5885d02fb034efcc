#!/usr/bin/env bash
# model_parallel.sh -- the explicit engine's BFS of the smpboot hotplug model on 1 thread
# and on 2 (and more), in one run: wall seconds, CPU seconds and the speedup (1-thread wall
# time / N-thread wall time). The counts must be equal; the script says so if not.
#
#   bench/model_parallel.sh              # N=3 H=2 W=2 (26.7 M states), 1 and 2 threads
#   bench/model_parallel.sh 3 1 1 1 2 4  # CPUS HOTPLUG WORK THREADS...
#
# A speedup needs idle cores: run it on a quiet machine (`uptime` is printed first).
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
cpus=${1:-3} hotplug=${2:-2} work=${3:-2}
shift 3 2>/dev/null
threads=("$@")
((${#threads[@]})) || threads=(1 2)
echo "model --cpus=$cpus --hotplug=$hotplug --work=$work; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %10s %10s %8s\n' threads states wall_s cpu_s speedup
base="" counts0=""
for t in "${threads[@]}"; do
  start=$(date +%s.%N)
  out=$( { /usr/bin/time -f '%U %S' "$bin" model --cpus="$cpus" --hotplug="$hotplug" \
             --work="$work" --jobs="$t" --format=json >/tmp/model_parallel.$$; } 2>&1 | tail -1)
  end=$(date +%s.%N)
  wall=$(python3 -c "print('%.2f' % ($end - $start))")
  cpu=$(python3 -c "u, s = '$out'.split(); print('%.2f' % (float(u) + float(s)))")
  counts=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["verdict"], j["states"], j["matched"], j["transitions"], j["depth"])' /tmp/model_parallel.$$)
  [[ -z $base ]] && base=$wall && counts0=$counts
  [[ $counts != "$counts0" ]] && echo "COUNTS DIFFER: '$counts' vs '$counts0'"
  speedup=$(python3 -c "print('%.2f' % ($base / $wall))")
  printf '%-8s %12s %10s %10s %7sx\n' "$t" "$(cut -d' ' -f2 <<<"$counts")" "$wall" "$cpu" "$speedup"
done
rm -f /tmp/model_parallel.$$
