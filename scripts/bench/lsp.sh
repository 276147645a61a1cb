#!/usr/bin/env bash
# The end-to-end LSP benchmark of issue 12: newsls and rumdl's language server side by
# side in one run, over stdio, with VS Code-like capabilities, on generated English and
# Arabic news articles (benches/lsp_e2e.rs says what is measured and how).
#
#   scripts/bench/lsp.sh             # 10 KB, 1 MB and 10 MB articles (a few minutes)
#   scripts/bench/lsp.sh --quick     # 10 KB only (under a minute)
#
# Further arguments go to the benchmark: --sizes 1MB,10MB, --articles md-en,md-ar,
# --keystrokes 50, --rounds 10. NEWSLS_BIN and RUMDL_BIN choose other binaries (then
# nothing is built or installed for that server). Results: the tables on stderr,
# target/bench/lsp_e2e.json and target/bench/lsp_e2e.md; servers' stderr in
# target/bench/lsp_e2e.<server>.stderr.log.
#
# rumdl 0.3.0 is installed by scripts/bench/setup.sh into .cache/bench/venv. If that
# fails (no network, no python3), the benchmark still runs newsls alone and says in its
# output that the rumdl column is missing and why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mkdir -p target/bench

if [[ -z ${RUMDL_BIN:-} ]]; then
  if RUMDL_BIN=$(scripts/bench/setup.sh 2>target/bench/setup.log); then
    export RUMDL_BIN
  else
    unset RUMDL_BIN
    export RUMDL_UNAVAILABLE="scripts/bench/setup.sh could not install rumdl 0.3.0 ($(tail -n 1 target/bench/setup.log); see target/bench/setup.log)"
    echo "lsp.sh: $RUMDL_UNAVAILABLE" >&2
  fi
fi

if [[ -z ${NEWSLS_BIN:-} ]]; then
  cargo build --release --locked
  export NEWSLS_BIN=$PWD/target/release/newsls
fi

exec cargo bench --locked --bench lsp_e2e -- "$@"
