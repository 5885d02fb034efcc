#!/usr/bin/env bash
# spin_vs_model.sh -- SPIN and our explicit engine on the same smpboot hotplug model, in one
# run (issue 4 item 6).  Prints one table; README.md "Performance" holds a measured copy.
#
#   bench/spin_vs_model.sh                  # N = 1..4, H = 2, W = 2
#   CPUS="1 2" bench/spin_vs_model.sh       # fewer rows
#   CAP=120 bench/spin_vs_model.sh          # wall-clock cap (s) for SPIN's N = 4 row
#
# Why each choice:
# - SPIN runs model/promela/smpboot.pml, a step-for-step transcription of model/ (one d_step
#   per actions.def row), compiled with gcc -O2 -DSAFETY (safety only, POR on by default).
#   The store is exact (no COLLAPSE/hash compaction) like ours, bounded by -DMEMLIM.
# - Time is CPU time (user + sys from /usr/bin/time), not wall time: the bench machines are
#   shared, and wall time there mostly measures the neighbours.
# - N = 4, H = 2, W = 2 has about 10^9 states: neither tool finishes it here.  SPIN runs
#   until CAP seconds (SIGINT; pan prints its statistics) or its memory limit; ours then runs
#   to the same number of stored states (--max-states), so the row compares the time per
#   state of the same amount of work (SPIN's DFS and our BFS see different states).
# - Two variants check that the verdicts agree on a violation: park_without_wakeup (hang;
#   SPIN: invalid end state) and parkme_plain_state_store (an invariant; SPIN: assertion).
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
H=${H:-2}
W=${W:-2}
CPUS=${CPUS:-"1 2 3 4"}
CAP=${CAP:-120}
MEMLIM_MB=${MEMLIM_MB:-6000}

tools/setup.sh >&2  # installs spin (Debian package) among the build's packages
bazel build --noshow_progress --ui_event_filters=-info,-stdout --show_result=0 \
  //checker/cli:kthcheck >&2
ours_bin="$root/bazel-bin/checker/cli/kthcheck"
pml="$root/model/promela/smpboot.pml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cpu_seconds FILE: user + sys from a /usr/bin/time -f '%U %S' line (the file's last line).
cpu_seconds() { tail -n 1 "$1" | awk '{ printf "%.2f", $1 + $2 }'; }

# run_spin N H W CAP DEFINES...: sets spin_states, spin_secs, spin_verdict.
run_spin() {
  local n=$1 h=$2 w=$3 cap=$4
  shift 4
  (cd "$work" && spin -DNCPU="$n" -DH="$h" -DW="$w" "$@" -a "$pml" >/dev/null &&
    gcc -O2 -DSAFETY -DMEMLIM="$MEMLIM_MB" -o pan pan.c)
  # pan exits 0 even on errors; its report is the source of truth.
  # Hash table: SPIN's default 2^24 slots, 2^26 from N = 3 (tens of millions of states).
  local w=24
  ((n >= 3)) && w=26
  (cd "$work" && /usr/bin/time -f '%U %S' -o time.txt \
    timeout -s INT "$cap" ./pan -m200000 -w"$w" >pan.txt 2>&1) || true
  spin_states=$(awk '/states, stored/ { print $1; exit }' "$work/pan.txt")
  spin_secs=$(cpu_seconds "$work/time.txt")
  local errors
  errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$work/pan.txt")
  if grep -q 'max search depth too small' "$work/pan.txt"; then
    spin_verdict="depth_bound"
  elif grep -qE '^pan:[0-9]+: invalid end state' "$work/pan.txt"; then
    spin_verdict="violation(invalid end state)"
  elif grep -qE '^pan:[0-9]+: assertion violated' "$work/pan.txt"; then
    spin_verdict="violation(assertion)"
  elif grep -qE 'Interrupted|MEMLIM|out of memory' "$work/pan.txt"; then
    spin_verdict="bound_reached"
  elif [[ "$errors" == 0 ]]; then
    spin_verdict="holds"
  else
    spin_verdict="unknown(errors=$errors)"
  fi
}

# run_ours N H W MAX_STATES [VARIANT]: sets ours_states, ours_secs, ours_verdict.
run_ours() {
  local n=$1 h=$2 w=$3 max=$4 variant=${5:-}
  /usr/bin/time -f '%U %S' -o "$work/otime.txt" "$ours_bin" model --cpus="$n" --hotplug="$h" \
    --work="$w" --max-states="$max" ${variant:+--variant="$variant"} --format=json \
    >"$work/ours.json" || true  # exit 1/4 are verdicts, read from the JSON
  ours_states=$(sed -n 's/^ *"states": \([0-9]*\).*/\1/p' "$work/ours.json")
  ours_verdict=$(sed -n 's/^ *"verdict": "\(.*\)".*/\1/p' "$work/ours.json")
  local oracle
  oracle=$(sed -n 's/^ *"oracle": "\(.*\)".*/\1/p' "$work/ours.json")
  [[ -n "$oracle" ]] && ours_verdict="$ours_verdict($oracle)"
  ours_secs=$(cpu_seconds "$work/otime.txt")
}

echo "SPIN $(spin -V | sed 's/Spin Version //'), gcc -O2 -DSAFETY (POR on); ours: kthcheck model (BFS, exact store)"
echo "H=$H W=$W; seconds are CPU seconds (user+sys) of each process"
printf '| N | SPIN states | SPIN s | SPIN verdict | ours states | ours s | ours verdict | ours/SPIN |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in $CPUS; do
  cap=100000
  [[ "$n" == 4 ]] && cap=$CAP
  run_spin "$n" "$H" "$W" "$cap"
  max=400000000
  # Capped SPIN run: ours explores as many states as SPIN stored.
  [[ "$spin_verdict" == bound_reached ]] && max=$spin_states
  run_ours "$n" "$H" "$W" "$max"
  # Time per state, so that a capped row compares like with like (= time ratio when both
  # finish, up to SPIN's two extra init states).
  ratio=$(awk -v a="$ours_secs" -v b="$ours_states" -v c="$spin_secs" -v d="$spin_states" \
    'BEGIN { if (a >= 0.05 && c >= 0.05) printf "%.2f", (a / b) / (c / d); else print "n/a (< 0.05 s)" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$spin_states" "$spin_secs" \
    "$spin_verdict" "$ours_states" "$ours_secs" "$ours_verdict" "$ratio"
done

echo
echo "Variants (both tools must report a violation):"
printf '| variant | N H W | SPIN verdict | ours verdict |\n|---|---|---|---|\n'
run_spin 1 0 0 100000 -DPARK_WITHOUT_WAKEUP
run_ours 1 0 0 1000000 park_without_wakeup
printf '| park_without_wakeup | 1 0 0 | %s | %s |\n' "$spin_verdict" "$ours_verdict"
run_spin 1 1 0 100000 -DPARKME_PLAIN_STATE_STORE
run_ours 1 1 0 1000000 parkme_plain_state_store
printf '| parkme_plain_state_store | 1 1 0 | %s | %s |\n' "$spin_verdict" "$ours_verdict"

echo
echo "Parallel speedup: none to measure; checker/explicit has no parallel mode (one thread)."
