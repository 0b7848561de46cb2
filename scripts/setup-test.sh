#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium, driven headless by tests/test_render_browser.py.
# Skipped when Chromium is already installed; otherwise needs root (or sudo) and apt-get.
set -euo pipefail
if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
