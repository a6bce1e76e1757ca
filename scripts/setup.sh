#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests:
# the system Python packages the generated repos' test suites use, then npm install + build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's python3 runs the generated Python in our tests (PyPI is not needed): pytest,
# PyYAML and venv for every kind; croniter (puruto-cron); FastAPI, uvicorn, httpx
# (puruto-gateway and its TestClient); python-dotenv. Skipped when all are importable.
if ! /usr/bin/python3 -c 'import pytest, yaml, venv, ensurepip, croniter, fastapi, uvicorn, httpx, dotenv' 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq python3 python3-pytest python3-yaml python3-venv \
    python3-croniter python3-fastapi python3-uvicorn python3-httpx python3-dotenv >/dev/null
fi

npm ci --no-audit --no-fund
npm run build
