#!/usr/bin/env bash
# Runs a command with the project's Node.js and node_modules/.bin on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
exec "$@"
