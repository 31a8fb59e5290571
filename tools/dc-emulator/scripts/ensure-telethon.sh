#!/bin/sh
# Makes Debian's python3-telethon (1.25.1) importable from /usr/bin/python3,
# installing it with apt-get when it is missing. Exits 0 when Telethon is
# importable at the end, non-zero (with the reason on stderr) when it is not.
set -u
PY=/usr/bin/python3

if "$PY" -c 'import telethon' 2>/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-telethon: apt-get is not available on this machine" >&2
  exit 2
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-telethon: not root and no sudo: cannot apt-get install python3-telethon" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: install, and
# on failure refresh them once and try again.
if ! $SUDO apt-get install -y -q python3-telethon >&2; then
  $SUDO apt-get update -q >&2 || true
  $SUDO apt-get install -y -q python3-telethon >&2 || {
    echo "ensure-telethon: apt-get install python3-telethon failed" >&2
    exit 3
  }
fi
if ! "$PY" -c 'import telethon' >&2; then
  echo "ensure-telethon: python3-telethon is installed but $PY cannot import it" >&2
  exit 4
fi
