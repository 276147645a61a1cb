#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls this): formatting, the Rust tests (unit,
# property, corpus, end-to-end over the real binary's stdio, benchmarks in test mode),
# then the end-to-end tests in real Neovim and real VS Code. Every tool the editor tests
# need is installed by their scripts, idempotently, under .cache/ (ignored).
#
#   scripts/test.sh              # everything
#   scripts/test.sh rust         # only the Rust tests
#   scripts/test.sh editors      # only the editor tests
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what=${1:-all}
passed=0
failed=0
failures=()

suite() {
  local name=$1
  shift
  echo "=== $name: $*"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

if [[ $what == all || $what == rust ]]; then
  # One profile for everything (the editor tests use the release binary too), so the
  # dependency graph is compiled once.
  # rustfmt comes with rustup's default profile, as cargo and clippy do.
  suite format cargo fmt --check
  suite build cargo build --release --locked
  suite rust-tests cargo test --release --locked --all-targets
fi
if [[ $what == all || $what == editors ]]; then
  export NEWSLS_BIN="$PWD/target/release/newsls"
  [[ -x $NEWSLS_BIN ]] || cargo build --release --locked
  suite neovim bash scripts/editors/neovim-e2e.sh
  suite vscode bash scripts/editors/vscode-e2e.sh
fi

if ((failed > 0)); then
  echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
((failed == 0))
