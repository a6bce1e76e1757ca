#!/usr/bin/env python3
"""/init of puruto-gateway: prepare the gateway. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json] [--no-venv]
Steps: .env from .env.example (kept when present), then PURUTO_GATEWAY_API_KEY: when .env
holds the placeholder `changeme` (or no value), that one line gets a random key — also in
a .env you copied yourself — and the line says so; a real key is kept. Then a virtualenv in
.venv/ with requirements.txt installed (FastAPI, uvicorn, python-dotenv); then /status.
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path

# Shared helpers live once, beside the /status script.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import Step, init_cli, run_named_steps, step_env, step_venv  # noqa: E402

# The key line when it holds no real key: the placeholder `changeme` (quoted or not) or nothing.
KEY_LINE = re.compile(
    r"""^([ \t]*(?:export[ \t]+)?PURUTO_GATEWAY_API_KEY[ \t]*=[ \t]*)"""
    r"""(?:changeme|"changeme"|'changeme'|""|'')?[ \t]*(\r?\n?)$"""
)


def step_key(root: Path, env_step: Step) -> Step:
    """Puts a random key in .env in place of the placeholder (`changeme` or empty): in a
    .env this run created or in one the user copied. Only that line changes, byte for byte
    elsewhere; a real key is kept."""
    import os
    import tempfile

    env = root / ".env"
    with env.open("r", encoding="utf-8", newline="") as fh:
        lines = fh.readlines()
    for index, line in enumerate(lines):
        m = KEY_LINE.match(line)
        if m:
            i = index  # the key's line, used below
            break
    else:
        keys = [ln for ln in lines if re.match(r"[ \t]*(?:export[ \t]+)?PURUTO_GATEWAY_API_KEY[ \t]*=", ln)]
        if keys:
            return ("kept", "PURUTO_GATEWAY_API_KEY", "already set in .env, not touched")
        return (
            "skipped",
            "PURUTO_GATEWAY_API_KEY",
            "no PURUTO_GATEWAY_API_KEY line in .env: add one with a long random key (openssl rand -hex 32)",
        )
    lines[i] = m.group(1) + secrets.token_hex(32) + m.group(2)
    # Written beside it, then renamed: .env is never left half-written; its mode is kept.
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".env.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.writelines(lines)
        os.chmod(tmp, env.stat().st_mode & 0o7777)
        os.replace(tmp, env)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if env_step[0] == "created":
        return (
            "created",
            "PURUTO_GATEWAY_API_KEY",
            "a random key in .env (give it to the clients; it is never printed)",
        )
    return (
        "updated",
        "PURUTO_GATEWAY_API_KEY",
        f"replaced the placeholder in your .env (line {i + 1} only) with a random key; it is never printed",
    )


def run_steps(root: Path) -> list[Step]:
    # The key step needs to know whether .env was just created.
    steps = run_named_steps(root, (("env", lambda r: step_env(r, "PURUTO_GATEWAY_HOST/PORT keep their defaults")),))
    env_step = steps[0]
    return steps + run_named_steps(root, (("key", lambda r: step_key(r, env_step)), ("venv", step_venv)))


def main(argv: list[str] | None = None) -> int:
    return init_cli(__doc__, run_steps, argv)


if __name__ == "__main__":
    sys.exit(main())
