#!/usr/bin/env bash
# smpboot_one_cpu.sh -- the port's smpboot_hotplug on one CPU, searched to its end under a
# preemption bound (default 3), with conformance to the model: executions and seconds for
# W = 0, 1 and 2 work items. This is what conformance_exhaustive_test runs and what
# model/README.md and README.md quote (384,824, 999,728 and 1,146,692 executions at 3).
#
#   bench/smpboot_one_cpu.sh          # bound 3
#   bench/smpboot_one_cpu.sh 2        # another bound
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
bound=${1:-3}
[[ $bound =~ ^[0-9]+$ ]] || { echo "smpboot_one_cpu.sh: the bound must be a number, not '$bound'" >&2; exit 2; }
printf '%-4s %-14s %-18s %12s %9s\n' W verdict bound executions seconds
for w in 0 1 2; do
  json=$("$bin" check --scenario=smpboot_hotplug --cpus=1 --hotplug=0 --work="$w" \
    --strategy=dpor --max-preemptions="$bound" --conformance --format=json 2>/dev/null)
  python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
print("%-4s %-14s %-18s %12d %9.2f" % (sys.argv[1], j["verdict"], j.get("bound") or "-",
                                      j["executions"], j["seconds"]))' "$w" <<<"$json"
done
