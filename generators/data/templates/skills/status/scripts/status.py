#!/usr/bin/env python3
"""/status of puruto-data: is the vault ready, what does it hold, what to fix. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Reports .env and unset variables, registry.json (registered Purutos and the files in
each folder), the files in shared/, the data size against MAX_SIZE_MB, entries without
folders and folders without entries, and the standard version.
Always exits 0: missing configuration is reported, never a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import ROOT, collect_status, render_status, status_cli  # noqa: E402


def vault_report(root: Path) -> tuple[dict[str, Any], list[str]]:
    sys.path.insert(0, str(root))
    import vault  # vault.py at the repo root; imported here so a broken one is reported, not fatal

    report = vault.status(root)
    return {k: v for k, v in report.items() if k != "problems"}, report["problems"]


def collect(root: Path = ROOT) -> dict[str, Any]:
    return collect_status(root, (("vault", vault_report),))


def render(r: dict[str, Any]) -> str:
    ok, bad = "✓", "✗"
    v = r.get("vault") or {}
    lines = []
    if v:
        lines.append(
            f"  {ok if v.get('registry') == 'ok' else bad} registry.json: {v.get('registry')}, "
            f"{v.get('registered', 0)} Puruto(s) registered"
        )
        for p in v.get("purutos") or []:
            lines.append(
                f"      {str(p.get('name')):<24} {p.get('files', 0)} file(s)"
                + ("" if p.get("folder_exists") else "  (folder missing)")
            )
        lines.append(f"  · shared/: {v.get('shared_files', 0)} file(s)")
        limit = v.get("max_size_mb")
        lines.append(
            f"  · data size: {v.get('size_bytes', 0)} bytes, "
            + (f"limit MAX_SIZE_MB={limit}" if limit else "no limit (MAX_SIZE_MB=0)")
        )
    return render_status(r, lines)


def main(argv: list[str] | None = None) -> int:
    return status_cli(__doc__, collect, render, argv)


if __name__ == "__main__":
    sys.exit(main())
