#!/usr/bin/env python3
"""/status of puruto-gateway: can the gateway serve, where, and what does it see. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Reports .env and unset variables, the API key state (missing | placeholder | set — the
key itself is never printed), host and port, the discovery source (registry.json or the
sibling puruto-* folders) with the Purutos found, whether FastAPI and uvicorn import in
the Python ./run uses (the finished .venv's, else the system's),
and the standard version. Always exits 0: missing configuration is reported, never a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import ROOT, collect_status, render_status, runtime_check, settings, status_cli  # noqa: E402

MODULES = ("fastapi", "uvicorn", "dotenv")  # what ./run needs (requirements.txt)


def gateway_report(root: Path) -> tuple[dict[str, Any], list[str]]:
    sys.path.insert(0, str(root))
    import registry  # registry.py at the repo root: standard library only

    env = settings(root)
    key = (env.get("PURUTO_GATEWAY_API_KEY") or "").strip()
    state = "missing" if not key else ("placeholder" if key.lower() == "changeme" else "set")
    reg = registry.Registry(root, lambda k: env.get(k, ""))
    items = reg.items()
    runtime, runtime_problems = runtime_check(MODULES)(root)
    deps = runtime["modules"]
    report = {
        "api_key": state,
        "host": env.get("PURUTO_GATEWAY_HOST") or "127.0.0.1",
        "port": env.get("PURUTO_GATEWAY_PORT") or "8787",
        "discovery": {
            "source": reg.source(),
            "vault": str(reg.vault()),
            "count": len(items),
            "purutos": [i["name"] for i in items],
        },
        "dependencies": deps,
        "python": runtime["python"],
        "python_source": runtime["source"],
    }
    problems = []
    if state == "missing":
        problems.append("PURUTO_GATEWAY_API_KEY is not set: set it in .env to a long random key (openssl rand -hex 32)")
    elif state == "placeholder":
        problems.append(
            "PURUTO_GATEWAY_API_KEY is still the placeholder changeme: set it in .env to a long random key "
            "(openssl rand -hex 32)"
        )
    problems += [f"registry.json entry {line}" for line in reg.refused()]
    return report, problems + runtime_problems


def collect(root: Path = ROOT) -> dict[str, Any]:
    return collect_status(root, (("gateway", gateway_report),))


def render(r: dict[str, Any]) -> str:
    ok, bad = "✓", "✗"
    g = r.get("gateway") or {}
    lines = []
    if g:
        lines.append(f"  {ok if g.get('api_key') == 'set' else bad} API key: {g.get('api_key')}")
        lines.append(f"  · listens on http://{g.get('host')}:{g.get('port')}")
        d = g.get("discovery") or {}
        lines.append(
            f"  · discovery: {d.get('source')}, {d.get('count', 0)} Puruto(s)"
            + (": " + ", ".join(d.get("purutos") or []) if d.get("purutos") else "")
        )
        deps = g.get("dependencies") or {}
        lines.append(
            f"  {ok if all(deps.values()) else bad} packages for ./run ({g.get('python_source')}: "
            f"{g.get('python')}): " + ", ".join(f"{m} {'ok' if v else 'missing'}" for m, v in deps.items())
        )
    return render_status(r, lines)


def main(argv: list[str] | None = None) -> int:
    return status_cli(__doc__, collect, render, argv)


if __name__ == "__main__":
    sys.exit(main())
