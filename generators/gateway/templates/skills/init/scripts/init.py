#!/usr/bin/env python3
"""/init of puruto-gateway: prepare the gateway. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json]
Steps: .env from .env.example (a fresh .env gets a random PURUTO_GATEWAY_API_KEY instead
of the placeholder `changeme`; an existing .env is never touched), a virtualenv in .venv/
with requirements.txt installed (FastAPI, uvicorn, python-dotenv); then it runs /status.
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

KEY_LINE = re.compile(r"^(PURUTO_GATEWAY_API_KEY=)changeme[ \t]*$", re.MULTILINE)


def step_key(root: Path, env_step: Step) -> Step:
    """Replaces the placeholder key with a random one, only in a .env this run created."""
    if env_step[0] != "created":
        return ("kept", "PURUTO_GATEWAY_API_KEY", "the existing .env is not touched (/status says whether the key is set)")
    env = root / ".env"
    text = env.read_text(encoding="utf-8")
    new, count = KEY_LINE.subn(lambda m: m.group(1) + secrets.token_hex(32), text, count=1)
    if not count:
        return ("skipped", "PURUTO_GATEWAY_API_KEY", "no placeholder key in .env: set it by hand")
    env.write_text(new, encoding="utf-8")
    return ("created", "PURUTO_GATEWAY_API_KEY", "a random key in .env (give it to the clients; it is never printed)")


def run_steps(root: Path) -> list[Step]:
    # The key step needs to know whether .env was just created.
    steps = run_named_steps(root, (("env", lambda r: step_env(r, "PURUTO_GATEWAY_HOST/PORT keep their defaults")),))
    env_step = steps[0]
    return steps + run_named_steps(root, (("key", lambda r: step_key(r, env_step)), ("venv", step_venv)))


def main(argv: list[str] | None = None) -> int:
    return init_cli(__doc__, run_steps, argv)


if __name__ == "__main__":
    sys.exit(main())
