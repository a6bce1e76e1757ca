#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests:
# the system Python packages the generated repos' test suites use, then npm install + build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's python3 runs the generated Python in our tests (PyPI is not needed): pytest,
# PyYAML and venv for every kind; croniter (puruto-cron); FastAPI, uvicorn, httpx
# (puruto-gateway and its TestClient); python-dotenv; flake8 (pyflakes + pycodestyle: `npm run lint:py`
# lints every kind's generated Python with it). Skipped when all are importable.
if ! /usr/bin/python3 -c 'import pytest, yaml, venv, ensurepip, croniter, fastapi, uvicorn, httpx, dotenv, flake8' 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq python3 python3-pytest python3-yaml python3-venv \
    python3-croniter python3-fastapi python3-uvicorn python3-httpx python3-dotenv python3-flake8 >/dev/null
fi

# python-telegram-bot (puruto-telegram) is not in bookworm: take PTB 21 and the httpx it
# needs from Debian trixie's .debs (pure Python) with a separate apt configuration, and
# unpack them into .deps/python (git-ignored). Our telegram runtime test puts that folder
# on PYTHONPATH for the generated suite only. Skipped when it already imports from there.
DEPS="$PWD/.deps"
install_telegram_deps() {
  local APT="$DEPS/apt"
  rm -rf "$APT" && mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/debs" "$APT/root" "$APT/sourceparts" "$DEPS/python"
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-trixie-stable.gpg\n' > "$APT/sourceparts/trixie.sources"
  local APTOPTS=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$APT/sourceparts"
    -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "Dir::State::status=/dev/null"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
  apt-get "${APTOPTS[@]}" update -qq
  (cd "$APT/debs" && apt-get "${APTOPTS[@]}" download \
    python3-python-telegram-bot python3-httpx python3-httpcore python3-anyio python3-h11 \
    python3-sniffio python3-certifi python3-idna python3-typing-extensions >/dev/null)
  for deb in "$APT/debs"/*.deb; do dpkg -x "$deb" "$APT/root"; done
  cp -r "$APT/root/usr/lib/python3/dist-packages/." "$DEPS/python/"
  PYTHONPATH="$DEPS/python" /usr/bin/python3 -c 'import telegram; print("python-telegram-bot", telegram.__version__, "in .deps/python")'
}
if ! PYTHONPATH="$DEPS/python" /usr/bin/python3 -c 'import telegram, httpx, httpcore, anyio, h11' 2>/dev/null; then
  # In its own shell so `set -e` holds inside it; a failure only skips the bot tests.
  DEPS="$DEPS" bash -euo pipefail -c "$(declare -f install_telegram_deps); install_telegram_deps" \
    || echo "setup.sh: warning: could not install python-telegram-bot into .deps/python; the generated bot tests will be skipped" >&2
fi

# The real agent CLIs the adapter tests run (test/agents: claude, codex, gemini, opencode...),
# pinned (exact versions) under "agents" in pins.json, installed into .deps/agents
# (git-ignored). Their native binaries ship inside the npm packages. Skipped when the
# installed pins match.
AGENTS="$DEPS/agents"
WANT="$(node -e 'const p=require("./pins.json"); process.stdout.write(JSON.stringify({name:"puruto-test-agents",private:true,dependencies:p.agents},null,2))')"
if [ "$WANT" != "$(cat "$AGENTS/package.json" 2>/dev/null)" ] || [ ! -d "$AGENTS/node_modules/.bin" ]; then
  rm -rf "$AGENTS" && mkdir -p "$AGENTS"
  printf '%s' "$WANT" > "$AGENTS/package.json"
  (cd "$AGENTS" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
  echo "agent CLIs installed in .deps/agents: $(ls "$AGENTS/node_modules/.bin" | tr '\n' ' ')"
fi

npm ci --no-audit --no-fund
npm run build
