#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (test/e2e/browser.mjs). Installs it when the
# machine lacks it, so that `npm test` on a fresh machine needs nothing installed by hand.
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "costscope: the end-to-end tests need Debian's chromium: apt-get install chromium" >&2
  exit 1
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "costscope: installing Debian's chromium for the end-to-end tests" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null
