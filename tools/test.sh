#!/usr/bin/env bash
# The project's test command: the fast suite, then the tests tagged
# "exhaustive". Extra arguments are passed to both `bazel test` runs,
# e.g. tools/test.sh --config=asan
set -uo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh || exit 1

# --keep_going: one target that fails to build must not hide the other results.
# Fast suite: .bazelrc sets --test_tag_filters=-exhaustive.
bazel test --keep_going "$@" //...
fast=$?

# Long suite. Bazel exits 4 when no test matched the filter: that is fine.
bazel test --keep_going --test_tag_filters=exhaustive "$@" //...
long=$?
if ((long == 4)); then
  echo "test.sh: no tests tagged exhaustive (the error above is expected)." >&2
  long=0
fi

((fast != 0)) && exit "$fast"
exit "$long"
