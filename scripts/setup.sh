#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for development and tests: the Python venvs the
# generated repos' test suites run in (from PyPI), the agent CLIs, then npm install + build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python (3.10+, with venv): python3 on PATH, or PURUTO_SETUP_PYTHON. Only when there is none
# usable, Debian's interpreter and its venv module are installed (no Python library comes from
# Debian: every one comes from PyPI below).
PY="${PURUTO_SETUP_PYTHON:-python3}"
usable() { "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; }
if ! usable "$PY"; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq python3 python3-venv >/dev/null
  PY=/usr/bin/python3
  usable "$PY" || { echo "setup.sh: no Python 3.10+ with venv found (set PURUTO_SETUP_PYTHON)" >&2; exit 1; }
fi

# The Python the tests run the generated repos with, from PyPI (pins.json): every wheel goes
# into a wheelhouse (.deps/wheels), then three venvs are installed from it alone
# (pip --no-index --find-links), one per requirement set of scripts/python-sets.mjs:
#   .deps/venv/latest  the newest releases pins.json's "python" allows
#   .deps/venv/floor   the lowest it allows (each >=X as ==X)
#   .deps/venv/dev     the "pythonDev" tools (mypy, ruff, ...) plus the latest set
# Every kind's suite and runtime tier runs on latest and floor (test/helpers/python.ts); the
# first-hour test's /init installs from the wheelhouse. Each venv is built in its own folder
# (<set>.<hash of its requirements, Python and path>), then <set>, a symlink, is renamed onto it:
# a venv in use is never half-built, a failed build leaves the previous one. An unchanged set
# is kept. PURUTO_DEPS moves all of it (default .deps).
DEPS="${PURUTO_DEPS:-$PWD/.deps}"
mkdir -p "$DEPS/venv" "$DEPS/wheels"
# A venv is not relocatable (its scripts name their Python by absolute path): built under the
# physical path (.deps may be a symlink, e.g. in a git worktree), rebuilt when that changes.
DEPS="$(cd "$DEPS" && pwd -P)"
WHEELS="$DEPS/wheels"
build_venv() {
  local set="$1" reqs hash link dir
  reqs="$(node scripts/python-sets.mjs "$set")"
  hash="$(printf '%s\n%s\n%s\n' "$DEPS" "$("$PY" -c 'import sys; print(sys.version)')" "$reqs" | sha256sum | cut -c1-16)"
  link="$DEPS/venv/$set" dir="$DEPS/venv/$set.$hash"
  # Earlier builds of this set that <set> no longer points to (a failed one, a retired one).
  for old in "$DEPS/venv/$set".*; do
    if [ -e "$old" ] && [ "$(readlink "$link" 2>/dev/null)" != "$(basename "$old")" ]; then rm -rf "$old"; fi
  done
  if [ "$(cat "$link/.puruto-set" 2>/dev/null)" = "$hash" ]; then return 0; fi
  echo "setup.sh: building .deps/venv/$set"
  if ! (
    set -euo pipefail
    "$PY" -m venv "$dir"
    printf '%s\n' "$reqs" > "$dir/requirements.txt"
    pip=("$dir/bin/python" -m pip --disable-pip-version-check -q)
    "${pip[@]}" wheel --wheel-dir "$WHEELS" --find-links "$WHEELS" -r "$dir/requirements.txt"
    "${pip[@]}" install --no-index --find-links "$WHEELS" -r "$dir/requirements.txt"
    "${pip[@]}" check >/dev/null
    printf '%s\n' "$hash" > "$dir/.puruto-set"
  ); then
    rm -rf "$dir"
    echo "setup.sh: could not build .deps/venv/$set from $(tr '\n' ' ' <<<"$reqs")" >&2
    return 1
  fi
  # A folder built before this script made symlinks is moved aside (removed by the next run).
  if [ -d "$link" ] && [ ! -L "$link" ]; then mv "$link" "$link.retired-$(date +%s)"; fi
  ln -sfn "$(basename "$dir")" "$link.new"
  mv -T "$link.new" "$link"
  echo "setup.sh: .deps/venv/$set: $("$link/bin/python" -c 'import sys, importlib.metadata as m
print(" ".join(f"{n}=={m.version(n)}" for n in sys.argv[1:]))' $(sed -E 's/[<>=!~,].*//' <<<"$reqs"))"
}
for set in latest floor dev; do build_venv "$set"; done

# The real agent CLIs the adapter tests run (test/agents: claude, codex, gemini, opencode...),
# pinned (exact versions) under "agents" in pins.json, installed into .deps/agents
# (git-ignored). Their native binaries ship inside the npm packages. Skipped when the
# installed pins match.
AGENTS="$PWD/.deps/agents"
WANT="$(node -e 'const p=require("./pins.json"); process.stdout.write(JSON.stringify({name:"puruto-test-agents",private:true,dependencies:p.agents},null,2))')"
if [ "$WANT" != "$(cat "$AGENTS/package.json" 2>/dev/null)" ] || [ ! -d "$AGENTS/node_modules/.bin" ]; then
  rm -rf "$AGENTS" && mkdir -p "$AGENTS"
  printf '%s' "$WANT" > "$AGENTS/package.json"
  (cd "$AGENTS" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
  echo "agent CLIs installed in .deps/agents: $(ls "$AGENTS/node_modules/.bin" | tr '\n' ' ')"
fi

npm ci --no-audit --no-fund
npm run build
