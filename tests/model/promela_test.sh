#!/usr/bin/env bash
# promela_test.sh -- model/promela/smpboot.pml is the same transition system as model/:
# SPIN stores exactly our state count plus its two start-up states (init before and after it
# spawns the processes), matches exactly as many, and agrees on the verdict of the faithful
# model and of two variants.  spin is installed by tools/setup.sh; a missing spin fails.
set -euo pipefail

pml="$TEST_SRCDIR/kthcheck/model/promela/smpboot.pml"
ours="$TEST_SRCDIR/kthcheck/checker/cli/kthcheck"
work="${TEST_TMPDIR:-$(mktemp -d)}"
cd "$work"

# pan_run DEFINES...: builds and runs pan; prints its report.
pan_run() {
  spin "$@" -a "$pml" >/dev/null
  gcc -O2 -DSAFETY -o pan pan.c
  ./pan -m100000 -w20
}

# field JSON KEY: a number or string value of the flat JSON that `kthcheck model` prints.
field() { sed -n "s/^ *\"$2\": \"\\{0,1\\}\\([^\",]*\\).*/\\1/p" <<<"$1"; }

fail=0
for n in 1 2; do
  report=$(pan_run -DNCPU=$n -DH=1 -DW=1)
  spin_stored=$(awk '/states, stored/ { print $1 }' <<<"$report")
  spin_matched=$(awk '/states, matched/ { print $1 }' <<<"$report")
  spin_errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<<"$report")
  json=$("$ours" model --cpus=$n --hotplug=1 --work=1 --format=json)
  our_states=$(field "$json" states)
  our_matched=$(field "$json" matched)
  our_verdict=$(field "$json" verdict)
  echo "N=$n: SPIN stored $spin_stored matched $spin_matched errors $spin_errors;" \
    "ours states $our_states matched $our_matched $our_verdict"
  if [[ "$spin_stored" != $((our_states + 2)) || "$spin_matched" != "$our_matched" ||
    "$spin_errors" != 0 || "$our_verdict" != holds ]]; then
    echo "FAIL: N=$n state spaces or verdicts differ"
    fail=1
  fi
done

# A variant must fail in SPIN the way it fails in ours (the oracle classes match).
expect_spin() {
  local want=$1
  shift
  local report
  report=$(pan_run "$@")
  if ! grep -qE "^pan:[0-9]+: $want" <<<"$report"; then
    echo "FAIL: spin $* did not report '$want'"
    fail=1
  fi
}
expect_spin "invalid end state" -DNCPU=1 -DH=0 -DW=0 -DPARK_WITHOUT_WAKEUP
expect_spin "assertion violated" -DNCPU=1 -DH=1 -DW=0 -DPARKME_PLAIN_STATE_STORE
exit $fail
