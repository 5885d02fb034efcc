#!/usr/bin/env bash
# Installs the Debian packages the build needs (see docs/toolchain.md).
# Idempotent and silent when everything is already installed.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap       # Bazel 4.2.3
  clang                 # /usr/bin/clang, used via --repo_env=CC=clang
  clang-14
  libclang-rt-14-dev    # sanitizer and libFuzzer runtimes
  libz3-dev
  z3
  librapidcheck-dev
  libgtest-dev
  libbenchmark-dev
  libboost-context-dev
  nlohmann-json3-dev
  libcli11-dev
  libfmt-dev
  libabsl-dev
  libxxhash-dev
  spin
  chromium              # headless, renders the HTML export (tests/report)
  zlib1g-dev            # tests/report decodes Chromium's screenshot
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$pkg")
done

((${#missing[@]} == 0)) && exit 0

echo "setup.sh: installing missing packages: ${missing[*]}" >&2
SUDO=()
((EUID == 0)) || SUDO=(sudo)
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; update once before installing.
"${SUDO[@]}" apt-get update -q >&2
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
