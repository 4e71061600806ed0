#!/usr/bin/env bash
# README's first command (`npm start`): installs what is missing, writes the demo billing data
# when missing or stale, and starts the portal (frontend :3000, backend :7007) with the fake
# OpenCost of the demo's shared cluster.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
bash scripts/install.sh
node examples/billing/generate.js --if-stale
source scripts/fake-opencost.sh
start_fake_opencost
trap '[ -n "$fake_opencost_pid" ] && kill "$fake_opencost_pid" 2>/dev/null || true' EXIT
backstage-cli repo start "$@"
