#!/bin/bash -eu
# ClusterFuzzLite/OSS-Fuzz build step: puts every fuzzer of fuzz/ into $OUT with its
# <name>_seed_corpus.zip, <name>.dict and <name>.options, the layout both expect. The
# build uses the project's own Bazel config (--config=fuzzfast: libFuzzer, ASan, UBSan),
# not the builder's $CFLAGS, so this supports the address sanitizer only.
cd "$SRC/kthcheck"
fuzz/campaign.sh package "$OUT"
