#!/usr/bin/env bash
# The public API of the six published packages, as API Extractor sees it (report*.api.md beside
# each package.json). `npm run build:api-reports` rewrites the reports after an API change;
# `npm test` runs it with --ci, which fails when a report is not what the code exports now.
# Undocumented members and the .ts inputs of workspace links (-common is read from src/) are
# not errors here; everything else API Extractor reports is.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$COSTSCOPE_ROOT"
# A clean build: after an incremental one API Extractor may print a union's members in another
# order than on a fresh clone, and the check would fail there.
rm -rf dist-types
tsc
backstage-repo-tools api-reports -o ae-undocumented,ae-wrong-input-file-type "$@" \
  plugins/costscope plugins/costscope-backend plugins/costscope-backend-module-aws \
  plugins/costscope-backend-module-gcp \
  plugins/costscope-common plugins/costscope-node
