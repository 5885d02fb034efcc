#!/usr/bin/env bash
# campaign.sh -- fuzzing campaigns of hours with libFuzzer's own -fork and -merge, finding
# triage (deduplicated by oracle and minimized schedule signature), one-command export of
# a finding as a regression test, and corpora in the OSS-Fuzz/ClusterFuzzLite layout.
# See fuzz/README.md.
#
#   fuzz/campaign.sh run [--fuzzer=NAME] [--time=SECONDS] [--jobs=N] [--workdir=DIR]
#                        [-- LIBFUZZER_FLAGS...]
#       Builds NAME (default scenario_fuzzer) with --config=fuzz, fuzzes from the
#       checked-in seeds plus the workdir's corpus for SECONDS (default 3600) with
#       -fork=N (default: the number of cores) and -ignore_crashes, so findings do not
#       stop the campaign; progress on stderr; then triages every crash file.
#       KT_FUZZ_VARIANT / KT_FUZZ_SCENARIO / KT_FUZZ_CPUS pass through (scenario_fuzzer.cc).
#   fuzz/campaign.sh triage [--fuzzer=NAME] [--workdir=DIR]
#       Files every crash file under DIR/findings/<signature hash>/ (oracle + minimized
#       schedule signature, fuzz/triage.cc) and prints the findings grouped by bug
#       (oracle, variant, message), each with its crash-file count, preemptions and token.
#   fuzz/campaign.sh export FINDING [--expect=holds|ORACLE]
#       FINDING: a DIR/findings/<hash> directory, or a crash file of scenario_fuzzer.
#       Writes tests/regressions/<scenario>-<oracle>-<hash>.regression, which
#       //tests/regressions:regression_test replays. Default expectation: the oracle for a
#       planted variant (the bug stays caught), `holds` for the faithful port (the bug,
#       once fixed, stays fixed).
#   fuzz/campaign.sh merge [--fuzzer=NAME] [--workdir=DIR]
#       libFuzzer -merge=1 of the campaign corpus into DIR/merged/NAME (a minimal corpus
#       with the same coverage), e.g. to refresh fuzz/corpus/NAME.
#   fuzz/campaign.sh package OUT
#       Every fuzzer in the OSS-Fuzz/ClusterFuzzLite $OUT layout: OUT/<fuzzer>,
#       OUT/<fuzzer>_seed_corpus.zip, OUT/<fuzzer>.dict, OUT/<fuzzer>.options.
#
# Default workdir: fuzz-campaign/ at the workspace root (ignored by git if you add it to
# user-local excludes; nothing in it is meant to be committed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FUZZERS=(scenario_fuzzer token_fuzzer checkpoint_fuzzer compare_fuzzer model_walk_fuzzer)
# The fast fuzz build (.bazelrc --config=fuzzfast; fuzz/README.md "Builds"): the
# controlled runtime is not code under test, so it gets no coverage and no sanitizers,
# and UBSan's vptr check is off. The kernel port and the parsers keep coverage, ASan and
# UBSan.
FUZZ_BUILD=(--config=fuzzfast)

fuzzer=scenario_fuzzer
seconds=3600
jobs=$(nproc)
workdir=$ROOT/fuzz-campaign
expect=""
extra=()

die() { echo "campaign.sh: $*" >&2; exit 2; }
log() { echo "campaign.sh: $*" >&2; }

parse_flags() {
  while (($#)); do
    case "$1" in
      --fuzzer=*) fuzzer=${1#*=} ;;
      --time=*) seconds=${1#*=} ;;
      --jobs=*) jobs=${1#*=} ;;
      --workdir=*) workdir=$(realpath -m "${1#*=}") ;;
      --expect=*) expect=${1#*=} ;;
      --) shift; extra=("$@"); return ;;
      *) positional+=("$1") ;;
    esac
    shift
  done
}

known_fuzzer() {
  local f
  for f in "${FUZZERS[@]}"; do [[ $f == "$1" ]] && return 0; done
  die "--fuzzer=$1: expected one of ${FUZZERS[*]}"
}

# Builds the fuzzer (--config=fuzz) and triage (default config); copies both to
# $workdir/bin so a rebuild during the campaign does not change them.
build() {
  mkdir -p "$workdir/bin"
  log "building //fuzz:$fuzzer with --config=fuzz"
  bazel build "${FUZZ_BUILD[@]}" "//fuzz:$fuzzer" >&2
  cp -f "$(bazel info "${FUZZ_BUILD[@]}" bazel-bin 2>/dev/null)/fuzz/$fuzzer" "$workdir/bin/"
  bazel build //fuzz:triage >&2
  cp -f "$(bazel info bazel-bin 2>/dev/null)/fuzz/triage" "$workdir/bin/"
}

fuzzer_flags() {
  local f=$1 opts=$ROOT/fuzz/$1.options
  [[ -f $ROOT/fuzz/$f.dict ]] && echo "-dict=$ROOT/fuzz/$f.dict"
  # [libfuzzer] section of the .options file: key = value lines.
  [[ -f $opts ]] && sed -n '/^\[libfuzzer\]/,/^\[/{/=/{s/ *= */=/;s/^/-/;p}}' "$opts"
  return 0
}

# One status line a minute while the campaign runs.
status_loop() {
  local start=$1 pid=$2
  while kill -0 "$pid" 2>/dev/null; do
    sleep 60
    local now=$(( $(date +%s) - start ))
    local corpus crashes
    corpus=$(find "$workdir/corpus/$fuzzer" -type f | wc -l)
    crashes=$(find "$workdir/artifacts" -name 'crash-*' | wc -l)
    log "progress: ${now}/${seconds} s, corpus ${corpus} inputs, ${crashes} crash files" \
        "(ETA $(( seconds > now ? seconds - now : 0 )) s)"
  done
}

cmd_run() {
  known_fuzzer "$fuzzer"
  build
  mkdir -p "$workdir/corpus/$fuzzer" "$workdir/artifacts"
  cp -n "$ROOT/fuzz/corpus/$fuzzer/"* "$workdir/corpus/$fuzzer/" 2>/dev/null || true
  local flags
  mapfile -t flags < <(fuzzer_flags "$fuzzer")
  log "fuzzing $fuzzer for $seconds s with -fork=$jobs (variant: ${KT_FUZZ_VARIANT:-none})"
  local start
  start=$(date +%s)
  (
    cd "$workdir"  # libFuzzer's fork mode keeps its temporary files in the cwd
    exec "$workdir/bin/$fuzzer" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 \
      -ignore_ooms=1 -max_total_time="$seconds" -artifact_prefix="$workdir/artifacts/" \
      -print_final_stats=1 "${flags[@]}" "${extra[@]}" "$workdir/corpus/$fuzzer"
  ) 2> >(tee -a "$workdir/fuzz.log" >&2) &
  local pid=$!
  status_loop "$start" "$pid" &
  local status_pid=$!
  wait "$pid" || log "libFuzzer exited with status $?"
  kill "$status_pid" 2>/dev/null || true
  cmd_triage
}

# The report line of a crash that is not a scenario finding (a parser fuzzer's check, an
# ASan/UBSan error, an internal bug), without addresses: it names the bug.
crash_line() {
  "$workdir/bin/$fuzzer" "$1" 2>&1 |
    grep -m1 -E '^(SUMMARY: |\[internal bug\]|[a-z_]+_fuzzer: |==kthcheck== model finding)' |
    sed -E 's/0x[0-9a-f]+/0x?/g; s/==[0-9]+==//g' || true
}

cmd_triage() {
  known_fuzzer "$fuzzer"
  [[ -x $workdir/bin/triage ]] || build
  mkdir -p "$workdir/findings"
  local files=()
  mapfile -t files < <(find "$workdir/artifacts" -maxdepth 1 -type f \
                         \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  log "triaging ${#files[@]} artifact files"
  local f line hash dir
  for f in "${files[@]}"; do
    if [[ $fuzzer == scenario_fuzzer && $(basename "$f") == crash-* ]] &&
       line=$("$workdir/bin/triage" --out="$workdir/findings" "$f") && [[ $line != -* ]]; then
      continue
    fi
    # Not an oracle finding (or triage itself died on it): file it by its report line.
    line=$(crash_line "$f")
    [[ -n $line ]] || line="$(basename "$f" | cut -d- -f1) (no report line)"
    hash=$(printf '%s' "$line" | sha1sum | cut -c1-16)
    dir=$workdir/findings/crash-$hash
    if [[ ! -d $dir ]]; then
      mkdir -p "$dir"
      cp "$f" "$dir/input"
      printf 'fuzzer: %s\nreport: %s\n' "$fuzzer" "$line" > "$dir/summary"
    fi
    echo "$f" >> "$dir/sources"
  done
  summarize
}

# One block per bug (oracle, variant, message: the summary's `bucket`), listing its
# distinct minimized schedules (findings) with how many crash files map to each.
summarize() {
  local dirs=() d
  mapfile -t dirs < <(find "$workdir/findings" -mindepth 1 -maxdepth 1 -type d | sort)
  local buckets
  buckets=$(for d in "${dirs[@]}"; do
              sed -n 's/^\(bucket\|report\): //p' "$d/summary"; done | sort | uniq -c | sort -rn)
  log "$(echo "$buckets" | grep -c .) distinct bugs, ${#dirs[@]} distinct minimized schedules" \
      "in $workdir/findings"
  local count bucket n
  while read -r count bucket; do
    [[ -n $bucket ]] || continue
    echo "$bucket"
    for d in "${dirs[@]}"; do
      grep -qxF -e "bucket: $bucket" -e "report: $bucket" "$d/summary" || continue
      n=$(sort -u "$d/sources" | wc -l)
      if [[ -f $d/token ]]; then
        printf '  %s  %3d inputs  %s preemptions  %s\n' "$(basename "$d")" "$n" \
          "$(sed -n 's/^preemptions: //p' "$d/summary")" "$(cat "$d/token")"
      else
        printf '  %s  %3d inputs  %s\n' "$(basename "$d")" "$n" "$d/input"
      fi
    done
  done <<< "$buckets"
}

cmd_export() {
  local finding=${positional[0]:-}
  [[ -n $finding ]] || die "export needs a finding directory or a crash file"
  if [[ -f $finding ]]; then  # a crash file: triage it first
    [[ -x $workdir/bin/triage ]] || build
    local out
    out=$("$workdir/bin/triage" --out="$workdir/findings" "$finding")
    [[ $out != -* ]] || die "$finding shows no finding when replayed (is KT_FUZZ_VARIANT set as in the campaign?)"
    finding=$workdir/findings/${out%% *}
  fi
  [[ -f $finding/token && -f $finding/summary ]] ||
    die "$finding: not a scenario_fuzzer finding (expected token and summary files)"
  local oracle scenario variant hash
  oracle=$(sed -n 's/^oracle: //p' "$finding/summary")
  scenario=$(sed -n 's/^scenario: //p' "$finding/summary")
  variant=$(sed -n 's/^variant: //p' "$finding/summary")
  hash=$(basename "$finding")
  if [[ -z $expect ]]; then
    if [[ $variant == none ]]; then expect=holds; else expect=$oracle; fi
  fi
  local file=$ROOT/tests/regressions/${scenario}-${oracle//[^a-z_]/_}-${hash:0:8}.regression
  {
    echo "# Exported by fuzz/campaign.sh export from $finding on $(date -u +%F)."
    echo "# expect: holds = the schedule must not end in a finding (the bug stays fixed);"
    echo "# expect: <oracle> = the schedule must still end in that finding."
    sed 's/^/# /' "$finding/summary"
    echo "oracle: $oracle"
    echo "expect: $expect"
    echo "token: $(cat "$finding/token")"
  } > "$file"
  log "wrote ${file#$ROOT/} (expect: $expect)"
  log "check it: bazel test //tests/regressions:regression_test"
}

cmd_merge() {
  known_fuzzer "$fuzzer"
  build
  mkdir -p "$workdir/merged/$fuzzer"
  "$workdir/bin/$fuzzer" -merge=1 "$workdir/merged/$fuzzer" "$ROOT/fuzz/corpus/$fuzzer" \
    "$workdir/corpus/$fuzzer" >&2
  log "merged corpus: $workdir/merged/$fuzzer ($(ls "$workdir/merged/$fuzzer" | wc -l) inputs)"
}

cmd_package() {
  local out=${positional[0]:-}
  [[ -n $out ]] || die "package needs an output directory (OSS-Fuzz's \$OUT)"
  mkdir -p "$out"
  out=$(realpath "$out")
  local targets=() f
  for f in "${FUZZERS[@]}"; do targets+=("//fuzz:$f"); done
  bazel build "${FUZZ_BUILD[@]}" "${targets[@]}" >&2
  local bin
  bin=$(bazel info "${FUZZ_BUILD[@]}" bazel-bin 2>/dev/null)/fuzz
  for f in "${FUZZERS[@]}"; do
    cp -f "$bin/$f" "$out/$f"
    rm -f "$out/${f}_seed_corpus.zip"
    (cd "$ROOT/fuzz/corpus/$f" && zip -q -j "$out/${f}_seed_corpus.zip" ./*)
    [[ -f $ROOT/fuzz/$f.dict ]] && cp -f "$ROOT/fuzz/$f.dict" "$out/"
    [[ -f $ROOT/fuzz/$f.options ]] && cp -f "$ROOT/fuzz/$f.options" "$out/"
  done
  log "packaged ${#FUZZERS[@]} fuzzers in $out"
  ls -l "$out" >&2
}

sub=${1:-}
[[ -n $sub ]] || die "usage: campaign.sh run|triage|export|merge|package ... (see the header)"
shift
positional=()
parse_flags "$@"
case "$sub" in
  run) cmd_run ;;
  triage) cmd_triage ;;
  export) cmd_export ;;
  merge) cmd_merge ;;
  package) cmd_package ;;
  *) die "unknown subcommand '$sub': run, triage, export, merge or package" ;;
esac
