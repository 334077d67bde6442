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

# Debian packages this command needs: influxd always (unless INFLUX_URL names a server). With
# --with-postgres (the test suite): the PostgreSQL server for the SQL contract tests (unless
# DATABASE_URL), Chromium for the browser tests, redis-server and haproxy for the cluster tests.
packages=()
if [ -z "${INFLUX_URL:-}" ] && ! command -v influxd >/dev/null 2>&1; then packages+=(influxdb); fi
if [ "${1:-}" = "--with-postgres" ]; then
  if [ -z "${DATABASE_URL:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then packages+=(postgresql); fi
  command -v chromium >/dev/null 2>&1 || packages+=(chromium fonts-dejavu-core)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  command -v haproxy >/dev/null 2>&1 || packages+=(haproxy)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${packages[*]} ..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: missing ${packages[*]} and this user cannot install packages. Run as root: apt-get install -y ${packages[*]} — or set INFLUX_URL / DATABASE_URL to existing servers." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
  # The packages start system-wide servers where systemd runs; the project runs its own, so stop those.
  $SUDO systemctl disable --now influxdb >/dev/null 2>&1 || true
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
  $SUDO systemctl disable --now haproxy >/dev/null 2>&1 || true
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error
fi
