#!/usr/bin/env bash
# trace_ratio.sh -- executions that DPOR explores per Mazurkiewicz trace, per scenario and
# CPU count, in one run (`check --count-traces`; checker/explore/trace_signature.h).
# `traces` orders steps by memory and by CPU regions (a preempt/irq-off region or a
# spinlock disables the CPU's other tasks): exec/trace 1.00 means no execution repeated
# another. `memory traces` ignores the regions, so it merges executions that read the same
# values and reach the same state: a search needs one execution per memory trace, and
# exec/memory is what it spends beyond that.
#
#   bench/trace_ratio.sh                           # the small scenarios, 2 CPUs and 1
#   bench/trace_ratio.sh "park_before_wakeup:2"    # SCENARIO:CPUS ...
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
cases=("$@")
((${#cases[@]})) || cases=(stop_before_wakeup:2 basic_loop:2 completion_sync:2 event_loop:2
                           wait_event_loop:2 polling_loop:2 irq_event:2
                           stop_before_wakeup:1 basic_loop:1 completion_sync:1 polling_loop:1
                           event_loop:1)
printf '%-20s %4s %11s %11s %14s %10s %13s %8s\n' scenario cpus executions traces \
  "memory traces" "exec/trace" "exec/memory" seconds
for c in "${cases[@]}"; do
  s=${c%%:*} cpus=${c##*:}
  "$bin" check --scenario="$s" --cpus="$cpus" --strategy=dpor --count-traces --format=json \
    2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
e, t, m = j["executions"], j.get("traces", 0), j.get("memory_traces", 0)
print("%-20s %4d %11d %11d %14d %10.2f %13.1f %8.1f" % (j["scenario"], j["cpus"], e, t, m,
      e / t if t else 0, e / m if m else 0, j["seconds"]))'
done
