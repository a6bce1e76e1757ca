#!/usr/bin/env python3
"""/status of puruto-data: is the vault ready, what does it hold, what to fix. Read-only.

Usage: python3 .claude/skills/status/scripts/status.py [--json]
Reports .env and unset variables, registry.json (registered Purutos and the files in
each folder), the files in shared/, the data size against MAX_SIZE_MB, entries without
folders and folders without entries, and the standard version.
Always exits 0: missing configuration is reported, never a crash.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from puruto_env import ROOT, puruto_name, read_env, settings  # noqa: E402

SUPPORTED_VERSION = "0.2.0"


def env_report(root: Path) -> tuple[dict, list[str]]:
    present = (root / ".env").is_file()
    declared = read_env(root / ".env.example")
    effective = settings(root)
    unset = sorted(k for k in declared if not effective.get(k))
    problems = [] if present else [".env is missing: run /init (it copies .env.example)"]
    problems += [f"{k} is empty: set it in .env" for k in unset]
    return {"env_file": "present" if present else "missing", "unset_variables": unset}, problems


def vault_report(root: Path) -> tuple[dict, list[str]]:
    sys.path.insert(0, str(root))
    import vault  # vault.py at the repo root; imported here so a broken one is reported, not fatal

    report = vault.status(root)
    return {k: v for k, v in report.items() if k != "problems"}, report["problems"]


def version_report(root: Path) -> tuple[str | None, list[str]]:
    try:
        version = (root / ".puruto-standard-version").read_text(encoding="utf-8").strip()
    except OSError:
        return None, [".puruto-standard-version is missing: run `puruto upgrade` (generator-puruto)"]
    if version != SUPPORTED_VERSION:
        return version or None, [f"standard version is {version or 'empty'}, current is {SUPPORTED_VERSION}: run `puruto upgrade --plan`"]
    return version, []


def collect(root: Path = ROOT) -> dict:
    report: dict = {"puruto": puruto_name(root)}
    problems: list[str] = []
    for key, fn in (("env", env_report), ("vault", vault_report), ("standard_version", version_report)):
        try:
            value, found = fn(root)
        except Exception as exc:  # status must never crash: report the failure instead
            value, found = None, [f"{key}: could not be checked ({exc})"]
        if key == "env" and isinstance(value, dict):
            report.update(value)
        else:
            report[key] = value
        problems += found
    report["problems"] = problems
    return report


def render(r: dict) -> str:
    ok, bad = "✓", "✗"
    lines = [f"{r['puruto']} status"]
    lines.append(f"  {ok if r.get('env_file') == 'present' else bad} .env {r.get('env_file')}")
    unset = r.get("unset_variables") or []
    lines.append(f"  {bad if unset else ok} variables: {'unset: ' + ', '.join(unset) if unset else 'all set'}")
    v = r.get("vault") or {}
    if v:
        lines.append(f"  {ok if v.get('registry') == 'ok' else bad} registry.json: {v.get('registry')}, {v.get('registered', 0)} Puruto(s) registered")
        for p in v.get("purutos") or []:
            lines.append(f"      {str(p.get('name')):<24} {p.get('files', 0)} file(s)" + ("" if p.get("folder_exists") else "  (folder missing)"))
        lines.append(f"  · shared/: {v.get('shared_files', 0)} file(s)")
        limit = v.get("max_size_mb")
        lines.append(f"  · data size: {v.get('size_bytes', 0)} bytes, " + (f"limit MAX_SIZE_MB={limit}" if limit else "no limit (MAX_SIZE_MB=0)"))
    lines.append(f"  {ok if r.get('standard_version') == SUPPORTED_VERSION else bad} standard version: {r.get('standard_version')}")
    problems = r.get("problems") or []
    lines.append("next: " + (problems[0] if problems else "ready"))
    lines += [f"also: {p}" for p in problems[1:]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = collect()
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
