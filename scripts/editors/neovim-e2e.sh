#!/usr/bin/env bash
# End-to-end test of newsls in real headless Neovim 0.11 through the plugin in
# editors/neovim: installs Neovim into .cache/ (idempotent), builds the server
# (cargo build --release), runs tests/editors/neovim/e2e.lua.
#
#   scripts/editors/neovim-e2e.sh            # install + build + test
#   NEWSLS_BIN=/path/to/newsls scripts/editors/neovim-e2e.sh   # no build
#   NEWSLS_E2E_ONLY=markdown scripts/editors/neovim-e2e.sh     # some checks
#
# Ends with the line `N passed, N failed`; exits non-zero on any failure,
# including when Neovim cannot be installed or the server cannot be built.
# Logs (Neovim's stderr, its LSP log with the server's stderr) are kept in
# tests/editors/artifacts/neovim/.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ART="$ROOT/tests/editors/artifacts/neovim"
SUMMARY_RE='^[0-9]+ passed, [0-9]+ failed$'

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
die() {
  echo "neovim-e2e: ERROR: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

T0=$(now)
NVIM=$("$ROOT/scripts/editors/neovim-install.sh") ||
  die "Neovim could not be installed (scripts/editors/neovim-install.sh, see above); the test needs a real Neovim >= 0.11 and is not skipped"
echo "neovim-e2e: $("$NVIM" --version | head -n1) at ${NVIM#"$ROOT"/} (ready in $(secs "$T0"))"

if [ -z "${NEWSLS_BIN:-}" ]; then
  T1=$(now)
  cargo build --release --bin newsls >&2 ||
    die "cargo build --release failed (see above)"
  export NEWSLS_BIN="$ROOT/target/release/newsls"
  echo "neovim-e2e: built ${NEWSLS_BIN#"$ROOT"/} in $(secs "$T1")"
fi
[ -x "$NEWSLS_BIN" ] || die "server binary $NEWSLS_BIN is missing or not executable"

# A private Neovim home: no user config, state or logs touched.
rm -rf "$ART"
mkdir -p "$ART"
for d in config data state cache; do mkdir -p "$ROOT/.cache/neovim/home/$d"; done
rm -f "$ROOT/.cache/neovim/home/state/nvim/lsp.log"
export XDG_CONFIG_HOME="$ROOT/.cache/neovim/home/config" XDG_DATA_HOME="$ROOT/.cache/neovim/home/data" \
  XDG_STATE_HOME="$ROOT/.cache/neovim/home/state" XDG_CACHE_HOME="$ROOT/.cache/neovim/home/cache"

T2=$(now)
timeout -k 5 "${NEWSLS_E2E_DEADLINE:-150}" "$NVIM" --headless --clean \
  -u "$ROOT/tests/editors/neovim/init.lua" \
  -c "luafile $ROOT/tests/editors/neovim/e2e.lua" \
  </dev/null 2>"$ART/nvim-stderr.log" |
  tee "$ART/output.txt" | grep --line-buffered -Ev "$SUMMARY_RE"
rc=${PIPESTATUS[0]}
cp "$XDG_STATE_HOME/nvim/lsp.log" "$ART/lsp.log" 2>/dev/null || true
echo "neovim-e2e: Neovim run took $(secs "$T2") (total $(secs "$T0"))"

summary=$(grep -E "$SUMMARY_RE" "$ART/output.txt" | tail -n1)
if [ -z "$summary" ]; then
  passed=$(grep -c '^ok ' "$ART/output.txt")
  failed=$(grep -c '^FAIL ' "$ART/output.txt")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "neovim-e2e: ERROR: Neovim did not finish within ${NEWSLS_E2E_DEADLINE:-150} s" >&2
  else
    echo "neovim-e2e: ERROR: Neovim exited ($rc) before the end of the test" >&2
  fi
  summary="$passed passed, $((failed + 1)) failed"
  rc=1
fi
if [ "$rc" != 0 ]; then
  echo "--- Neovim stderr (tail; full logs in ${ART#"$ROOT"/}) ---" >&2
  tail -n 30 "$ART/nvim-stderr.log" >&2
  echo >&2
  echo "--- LSP log, with the server's stderr (tail) ---" >&2
  tail -n 30 "$ART/lsp.log" 2>/dev/null >&2
  echo >&2
fi
echo "$summary"
[ "$rc" = 0 ] && [[ "$summary" == *" 0 failed" ]]
