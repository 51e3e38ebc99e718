#!/bin/sh
# The browser tests drive Debian's chromium package (never a test tool's own browser download).
# Installs it with apt-get when it is missing, with a font that has the Chinese glyphs the
# portal's screenshots show. `--optional` only warns when it cannot (e.g. not root, no apt-get).
set -eu
optional=false
[ "${1:-}" = "--optional" ] && optional=true

if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "› installing chromium and a Chinese font (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
elif [ "$optional" = true ]; then
  echo "› chromium is not installed; the browser tests need it (apt-get install chromium)"
else
  echo "chromium is missing and cannot be installed here: install Debian's chromium package or set CHROMIUM_PATH" >&2
  exit 1
fi
