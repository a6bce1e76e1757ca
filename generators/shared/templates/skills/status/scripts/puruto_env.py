"""Helpers shared by the /init and /status scripts of a Puruto (standard library only)."""
from __future__ import annotations

import os
import re
from pathlib import Path

# .claude/skills/<skill>/scripts/<file>.py -> the repository root (also through the
# .agents/skills link, because the path is resolved first).
ROOT = Path(__file__).resolve().parents[4]

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_COMMENTED = re.compile(r"^\s*#\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def read_env(path: Path) -> dict[str, str]:
    """KEY=VALUE pairs of an env file; missing or unreadable file -> {}."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if m:
            out[m.group(1)] = _unquote(m.group(2))
    return out


def optional_vars(path: Path) -> list[str]:
    """Variables documented but commented out in .env.example (optional ones)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [m.group(1) for m in map(_COMMENTED.match, text.splitlines()) if m]


def settings(root: Path = ROOT) -> dict[str, str]:
    """Effective settings: .env.example defaults < .env < process environment."""
    merged = dict(read_env(root / ".env.example"))
    merged.update(read_env(root / ".env"))
    for key in list(merged) + optional_vars(root / ".env.example"):
        if os.environ.get(key):
            merged[key] = os.environ[key]
    return merged


def resolve(root: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else (root / p)


def puruto_name(root: Path = ROOT) -> str:
    return root.name


# --- pieces of /init and /status that every kind shares ---------------------------------

SUPPORTED_VERSION = "0.2.0"
Step = tuple[str, str, str]  # (created|kept|skipped|error, path, detail)


def read_version(root: Path = ROOT) -> str | None:
    """Content of .puruto-standard-version, or None when it cannot be read."""
    try:
        return (root / ".puruto-standard-version").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def step_env(root: Path, created_hint: str = "fill in its empty values") -> Step:
    """/init: .env from .env.example, never overwriting an existing one."""
    import shutil

    env, example = root / ".env", root / ".env.example"
    if env.exists():
        return ("kept", ".env", "already present, not touched")
    if not example.exists():
        return ("error", ".env", "no .env.example to copy: restore it from git or create .env by hand")
    shutil.copyfile(example, env)
    return ("created", ".env", f"copied from .env.example; {created_hint}")


# Set by init_cli's --no-venv: step_venv then leaves the current Python's packages in use.
_SKIP_VENV = False


def step_venv(root: Path, none_needed: str = "no requirements.txt, no Python environment needed") -> Step:
    """/init: a .venv with requirements.txt installed, only when that file exists."""
    import subprocess
    import sys

    if _SKIP_VENV:
        return ("skipped", ".venv", "--no-venv: using this Python's packages")
    req = root / "requirements.txt"
    if not req.exists():
        return ("skipped", ".venv", none_needed)
    venv = root / ".venv"
    try:
        if not venv.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, text=True)
        pip = venv / ("Scripts" if sys.platform == "win32" else "bin") / "pip"
        subprocess.run([str(pip), "install", "-r", str(req)], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return ("error", ".venv", f"installing requirements.txt failed: {detail.strip()[-300:]} (check your network and Python install, then run /init again)")
    return ("created", ".venv", "virtualenv with requirements.txt installed")


def env_report(root: Path) -> tuple[dict, list[str]]:
    """/status: .env presence and the variables of .env.example left unset."""
    present = (root / ".env").is_file()
    declared = read_env(root / ".env.example")
    effective = settings(root)
    unset = sorted(k for k in declared if not effective.get(k))
    problems = [] if present else [".env is missing: run /init (it copies .env.example)"]
    problems += [f"{k} is empty: set it in .env" for k in unset]
    return {"env_file": "present" if present else "missing", "unset_variables": unset}, problems


def version_report(root: Path) -> tuple[str | None, list[str]]:
    """/status: the standard version, and what to do when it is not the current one."""
    version = read_version(root)
    if version is None:
        return None, [".puruto-standard-version is missing: run `puruto upgrade` (generator-puruto)"]
    if version != SUPPORTED_VERSION:
        return version or None, [f"standard version is {version or 'empty'}, current is {SUPPORTED_VERSION}: run `puruto upgrade --plan`"]
    return version, []


def collect_status(root: Path, checks) -> dict:
    """Runs the env check, the kind's checks ((key, fn) pairs) and the version check.

    A check that raises is reported as a problem: /status must never crash.
    """
    report: dict = {"puruto": puruto_name(root)}
    problems: list[str] = []
    for key, fn in (("env", env_report), *checks, ("standard_version", version_report)):
        try:
            value, found = fn(root)
        except Exception as exc:
            value, found = None, [f"{key}: could not be checked ({exc})"]
        if key == "env" and isinstance(value, dict):
            report.update(value)
        else:
            report[key] = value
        problems += found
    report["problems"] = problems
    return report


def render_status(r: dict, kind_lines: list[str]) -> str:
    """Human /status: .env and variables, the kind's lines, version, next step."""
    ok, bad = "✓", "✗"
    unset = r.get("unset_variables") or []
    problems = r.get("problems") or []
    lines = [
        f"{r['puruto']} status",
        f"  {ok if r.get('env_file') == 'present' else bad} .env {r.get('env_file')}",
        f"  {bad if unset else ok} variables: {'unset: ' + ', '.join(unset) if unset else 'all set'}",
        *kind_lines,
        f"  {ok if r.get('standard_version') == SUPPORTED_VERSION else bad} standard version: {r.get('standard_version')}",
        "next: " + (problems[0] if problems else "ready"),
        *[f"also: {p}" for p in problems[1:]],
    ]
    return "\n".join(lines)


def status_cli(doc: str, collect, render, argv: list[str] | None = None) -> int:
    """The /status command line: the report as text, or as JSON with --json. Exits 0."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = collect()
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


def run_named_steps(root: Path, named) -> list[Step]:
    """/init: runs (name, step) pairs in order; a step that raises becomes an error line
    and the others still run."""
    steps: list[Step] = []
    for name, step in named:
        try:
            steps.append(step(root))
        except Exception as exc:
            steps.append(("error", name, f"{exc}"))
    return steps


def report_init(steps: list[Step], report: dict, as_json: bool, render) -> int:
    """/init's output: its steps, then the /status report that ends it. 1 when a step failed."""
    import json

    if as_json:
        print(json.dumps({"steps": [{"result": r, "path": p, "detail": d} for r, p, d in steps], "status": report}, indent=2, ensure_ascii=False))
    else:
        for result, path, detail in steps:
            print(f"{result:8} {path}  {detail}")
        print()
        print(render(report))
    return 1 if any(r == "error" for r, _, _ in steps) else 0


def init_cli(doc: str, run_steps, argv: list[str] | None = None, allow_no_venv: bool = False) -> int:
    """The /init command line of a kind: its steps, then its /status report (--json for
    both as JSON; --no-venv, where offered, skips the virtualenv)."""
    global _SKIP_VENV
    import argparse

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the steps and the status report as JSON")
    if allow_no_venv:
        parser.add_argument("--no-venv", action="store_true", help="skip the virtualenv (use the current Python's packages)")
    args = parser.parse_args(argv)
    _SKIP_VENV = bool(getattr(args, "no_venv", False))
    steps = run_steps(ROOT)
    import status  # /status, beside this module: /init ends by running it

    return report_init(steps, status.collect(ROOT), args.json, status.render)
