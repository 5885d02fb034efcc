#!/usr/bin/env bash
# prove_times.sh -- the CPU time of `kthcheck prove`: the faithful proof, then each model
# variant's BMC row (model/variants.def), one after another on a quiet machine. This is
# what proofs/README.md quotes ("each variant's BMC row 0.2 to about 34 s of CPU").
#
#   bench/prove_times.sh
set -u
cd "$(dirname "$0")/.."
./kthcheck list >/dev/null || exit 2  # builds the CLI on first use
bin=bazel-bin/checker/cli/kthcheck
uptime
printf '%-36s %-9s %9s\n' variant result cpu_s
variants=(faithful $(grep -oE '^VARIANT(_PLAIN)?\(k[A-Za-z]+, "[a-z_]+"' model/variants.def |
                     sed 's/.*"\(.*\)"/\1/'))
for v in "${variants[@]}"; do
  flag=()
  [[ $v == faithful ]] || flag=(--variant="$v")
  t=$(mktemp)
  /usr/bin/time -f '%U' -o "$t" "$bin" prove "${flag[@]}" >/dev/null 2>&1
  rc=$?
  result=proved
  ((rc == 1)) && result=violated
  ((rc == 3)) && result=unknown
  ((rc == 0 || rc == 1 || rc == 3)) || result="exit=$rc"
  printf '%-36s %-9s %9s\n' "$v" "$result" "$(tail -1 "$t")"
  rm -f "$t"
done
