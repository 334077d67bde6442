#!/usr/bin/env bash
# Part of `npm run build`: builds the web application (web/ -> web/dist, served by the hub under
# /app/) when its Vite configuration is present; a checkout without web/ builds the hub alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/vite.config.ts ]; then
  exec npm run --silent build:web
fi
echo "build: web/vite.config.ts not found; skipping the web application (the hub serves the API only)"
