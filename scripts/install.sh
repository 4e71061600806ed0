#!/usr/bin/env bash
# Installs the npm workspaces with the project's Node when package-lock.json or package.json changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
stamp=node_modules/.costscope-install-stamp
want="$(node --version) $(cat package.json package-lock.json packages/*/package.json plugins/*/package.json | sha1sum | cut -d" " -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "costscope: installing npm packages with Node $(node --version)" >&2
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
echo "$want" > "$stamp"
