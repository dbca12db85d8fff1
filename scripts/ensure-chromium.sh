#!/usr/bin/env bash
# Headless Chromium and Thai fonts for the browser tests (tests/e2e): Debian's packages, installed
# only when missing and only when we may (root). Playwright drives this browser; it never
# downloads one of its own.
set -euo pipefail

thai_fonts() { fc-list 2>/dev/null | grep -ci "tlwg\|loma\|garuda" || true; }
if [ -x /usr/bin/chromium ] && [ "$(thai_fonts)" -gt 0 ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure-chromium: /usr/bin/chromium or fonts-thai-tlwg is missing and we are not root;" \
         "install them with: sudo apt-get install -y chromium fonts-thai-tlwg (browser tests will be skipped)" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: no apt-get here; install Chromium and a Thai font by hand (browser tests will be skipped)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-thai-tlwg fontconfig >/dev/null
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
