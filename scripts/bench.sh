#!/usr/bin/env bash
# Runs a benchmark with the project's Node.js, after installing the bench-only tools
# (bench/package.json: DuckDB, autocannon) on first use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node-env.sh
if [ ! -d bench/node_modules ] || [ bench/package.json -nt bench/node_modules ]; then
  echo "costscope: installing the benchmark tools (bench/package.json)" >&2
  npm install --prefix bench --no-audit --no-fund --loglevel=error >&2
  touch bench/node_modules
fi
exec "$@"
