#!/usr/bin/env bash
# Installs the npm workspaces with the project's Node when package-lock.json or package.json changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
stamp=node_modules/.costscope-install-stamp
stamp_value() { want="$(node --version) $(cat package.json package-lock.json packages/*/package.json plugins/*/package.json | sha1sum | cut -d" " -f1)"; }
stamp_value
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "costscope: installing npm packages with Node $(node --version)" >&2
# `npm install`, not `npm ci`: the lockfile lacks optional platform packages that this
# registry does not serve (other OSes' @swc/rollup binaries), which `npm ci` takes for a stale lock.
# The registry sometimes drops a connection mid-download (EIDLETIMEOUT, ECONNRESET), which fails the
# whole install; npm's own fetch retries do not cover every such case, so retry the install itself:
# a rerun keeps what the last one already unpacked.
export npm_config_fetch_retries=5 npm_config_fetch_retry_mintimeout=2000 npm_config_fetch_retry_maxtimeout=30000
for attempt in 1 2 3 4; do
  npm install --no-audit --no-fund && break
  if [ "$attempt" -eq 4 ]; then
    echo "costscope: npm install failed $attempt times" >&2
    exit 1
  fi
  echo "costscope: npm install failed (attempt $attempt); retrying in $((attempt * 15)) s" >&2
  sleep $((attempt * 15))
done
# Recompute: npm may have normalised package-lock.json.
stamp_value
echo "$want" > "$stamp"
