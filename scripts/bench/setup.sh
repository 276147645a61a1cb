#!/usr/bin/env bash
# Installs the peer server the end-to-end LSP benchmark compares newsls with: rumdl
# (a Markdown linter whose `rumdl server` speaks LSP over stdio), pinned, into a venv of
# its own under .cache/bench/venv. Idempotent: a second run with the right version
# installed does nothing. On success prints the path of the `rumdl` binary on stdout
# (and nothing else there); progress and errors go to stderr; exit status 1 if rumdl
# could not be installed.
#
#   scripts/bench/setup.sh            # → /…/.cache/bench/venv/bin/rumdl
#
# BENCH_VENV=DIR puts the venv elsewhere; PYTHON chooses the interpreter (python3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

version=0.3.0
venv=${BENCH_VENV:-$PWD/.cache/bench/venv}
rumdl=$venv/bin/rumdl

installed() {
  [[ -x $rumdl ]] && "$rumdl" --version 2>/dev/null | grep -q " $version\$"
}

if ! installed; then
  python=${PYTHON:-python3}
  if [[ ! -x $venv/bin/pip ]]; then
    echo "setup: creating $venv" >&2
    if ! "$python" -m venv "$venv" >&2; then
      echo "setup: '$python -m venv' failed" >&2
      exit 1
    fi
  fi
  echo "setup: installing rumdl==$version" >&2
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "rumdl==$version" >&2; then
    echo "setup: 'pip install rumdl==$version' failed" >&2
    exit 1
  fi
  if ! installed; then
    echo "setup: rumdl $version is not at $rumdl after pip install" >&2
    exit 1
  fi
fi
echo "$rumdl"
