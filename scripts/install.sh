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
npm install --no-audit --no-fund
# Recompute: npm may have normalised package-lock.json.
stamp_value
echo "$want" > "$stamp"
