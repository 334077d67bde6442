#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with Node 20+ lacks, idempotently and quickly when done:
# the influxd server (Debian package `influxdb`) and the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

if [ -z "${INFLUX_URL:-}" ] && ! command -v influxd >/dev/null 2>&1; then
  echo "setup: installing InfluxDB (Debian package influxdb) ..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: influxd is missing and this user cannot install packages. Run as root: apt-get install -y influxdb — or set INFLUX_URL to an existing InfluxDB." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq influxdb >/dev/null
  # The package starts a system-wide influxd on :8086; the project runs its own, so stop that one.
  $SUDO systemctl disable --now influxdb >/dev/null 2>&1 || true
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error
fi
