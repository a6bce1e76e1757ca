"""Helpers shared by the /init and /status scripts of a Puruto (standard library only)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

# .claude/skills/<skill>/scripts/<file>.py -> the repository root (also through the
# .agents/skills link, because the path is resolved first).
ROOT = Path(__file__).resolve().parents[4]

_COMMENTED = re.compile(r"^\s*#\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=")

# The repo's vendored runtime package (puruto_runtime/, standard library only): the one .env
# reader of every Puruto (python-dotenv's rules) and reads that never block on a FIFO.
sys.path.append(str(ROOT))  # after the scripts and the standard library: nothing is shadowed
from puruto_runtime import dotenv as _dotenv  # noqa: E402
from puruto_runtime.safe_read import read_text_or_none  # noqa: E402


def _text(path: Path) -> str | None:
    """A small text file's content; None when missing, unreadable, not a regular file or not UTF-8."""
    try:
        return read_text_or_none(path)
    except (OSError, UnicodeDecodeError):
        return None


def read_env(path: Path) -> dict[str, str]:
    """KEY=VALUE pairs of an env file (the runtime's .env reader); missing or unreadable file -> {}."""
    try:
        return _dotenv.settings_of(path)
    except (OSError, UnicodeDecodeError, ValueError):
        return {}


def optional_vars(path: Path) -> list[str]:
    """Variables documented but commented out in .env.example (optional ones)."""
    text = _text(path)
    if text is None:
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

SUPPORTED_VERSION = "<%= version %>"  # rendered by the generator: the last version of its chain
Step = tuple[str, str, str]  # (created|kept|skipped|error, path, detail)
Report = dict[str, Any]  # a /status report, JSON-ready
# A /status check: root -> (its value in the report, the problems it found).
Check = Callable[[Path], tuple[object, list[str]]]


def read_version(root: Path = ROOT) -> str | None:
    """Content of .puruto-standard-version, or None when it cannot be read."""
    text = _text(root / ".puruto-standard-version")
    return None if text is None else text.strip()


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

# Written into .venv by /init once requirements.txt is installed (its content: the
# requirements' hash). A .venv without it is unfinished: ./run and /status ignore it.
VENV_MARKER = ".puruto-complete"

# pip's own retries take minutes offline; these bound them unless the user set PIP_*.
_PIP_DEFAULTS = (("PIP_RETRIES", "--retries", "1"), ("PIP_TIMEOUT", "--timeout", "15"))
_NETWORK = re.compile(
    r"NewConnectionError|Connection refused|ConnectTimeout|Read timed out|ProxyError|"
    r"Name or service not known|Temporary failure in name resolution|Network is unreachable|"
    r"SSLError|CERTIFICATE_VERIFY_FAILED"
)


def venv_python(root: Path) -> Path:
    return root / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _requirements_hash(root: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256((root / "requirements.txt").read_bytes()).hexdigest()
    except OSError:
        return ""


def venv_complete(root: Path) -> bool:
    """True when /init finished the .venv (marker present and its Python there)."""
    return (root / ".venv" / VENV_MARKER).is_file() and venv_python(root).exists()


def runtime_python(root: Path) -> tuple[str, str]:
    """The interpreter the runtime (./run) uses: the finished .venv's, else this system's
    (PURUTO_PYTHON when set, else the python3 running this script). -> (path, venv|system)."""
    import sys

    if venv_complete(root):
        return str(venv_python(root)), "venv"
    return os.environ.get("PURUTO_PYTHON") or sys.executable, "system"


def missing_modules(python: str, modules: tuple[str, ...]) -> list[str]:
    """The modules `python` cannot import (all of them when it does not start)."""
    import json
    import subprocess

    code = (
        "import importlib.util, json, sys; print(json.dumps([m for m in sys.argv[1:] if "
        "importlib.util.find_spec(m) is None]))"
    )
    try:
        r = subprocess.run([python, "-c", code, *modules], capture_output=True, text=True, timeout=60)
        return list(json.loads(r.stdout))
    except (OSError, ValueError, subprocess.SubprocessError):
        return list(modules)


def runtime_check(modules: tuple[str, ...]) -> Callable[[Path], tuple[Report, list[str]]]:
    """A /status check: the interpreter ./run will use and whether the runtime's modules
    import there (the check /status runs, not the Python that runs /status)."""

    def check(root: Path) -> tuple[Report, list[str]]:
        python, source = runtime_python(root)
        missing = missing_modules(python, modules)
        report = {"python": python, "source": source, "modules": {m: m not in missing for m in modules}}
        problems: list[str] = []
        if missing:
            where = ".venv" if source == "venv" else f"the system Python ({python})"
            problems.append(
                f"{where} cannot import {', '.join(missing)}: run /init (it builds .venv), "
                "or install them for this Python (apt or pip), or set PURUTO_PYTHON to a Python that has "
                "them"
            )
        return report, problems

    return check


def runtime_line(report: Report | None) -> str:
    """/status line of a runtime_check result."""
    r = report or {}
    mods = r.get("modules") or {}
    good = bool(mods) and all(mods.values())
    return f"  {'✓' if good else '✗'} Python for ./run ({r.get('source')}: {r.get('python')}): " + ", ".join(
        f"{m} {'ok' if v else 'missing'}" for m, v in mods.items()
    )


def _pip_cause(output: str) -> str:
    """One line saying why pip failed, from its (long) output."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln[len("ERROR:") :].strip() for ln in lines if ln.startswith("ERROR:")]
    network = next((m.group(0) for m in map(_NETWORK.search, lines) if m), None)
    if network:
        index = os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple"
        return f"the package index {index} cannot be reached ({network})" + (f"; pip: {errors[-1]}" if errors else "")
    if errors:
        return errors[-1][:300]
    return (lines[-1] if lines else "no output")[:300]


def step_venv(root: Path, none_needed: str = "no requirements.txt, no Python environment needed") -> Step:
    """/init: a .venv with requirements.txt installed, only when that file exists. A .venv
    it could not finish is removed, so nothing runs with half its packages."""
    import shutil
    import subprocess
    import sys

    if _SKIP_VENV:
        return ("skipped", ".venv", "--no-venv: the runtime uses this Python's packages (./run and /status check them)")
    req = root / "requirements.txt"
    if not req.exists():
        return ("skipped", ".venv", none_needed)
    venv, marker, digest = root / ".venv", root / ".venv" / VENV_MARKER, _requirements_hash(root)
    if venv_complete(root) and marker.read_text(encoding="utf-8").strip() == digest:
        return ("kept", ".venv", "requirements.txt already installed")
    fixes = (
        "fixes: run /init again once the network works; or /init --no-venv to use this Python's packages "
        "(apt install them); or set PIP_INDEX_URL (a mirror) / HTTPS_PROXY (a proxy) and run /init again"
    )
    existed, finished_before = venv.exists(), venv_complete(root)
    print(
        "installing requirements.txt into .venv with pip (needs the package index; --no-venv skips it)...",
        file=sys.stderr,
        flush=True,
    )
    try:
        if not existed:
            r = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                cause = _pip_cause(r.stdout + r.stderr)
                return (
                    "error",
                    ".venv",
                    f"{sys.executable} -m venv failed: {cause} (on Debian/Ubuntu: apt install "
                    "python3-venv); "
                    "or /init --no-venv to use this Python's packages",
                )
        args = [str(venv_python(root)), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(req)]
        for env_name, flag, value in _PIP_DEFAULTS:
            if env_name not in os.environ:
                args[4:4] = [flag, value]
        r = subprocess.run(args, capture_output=True, text=True, timeout=1800, env={**os.environ, "PIP_NO_INPUT": "1"})
    except (OSError, subprocess.SubprocessError) as exc:
        r = subprocess.CompletedProcess([], 1, "", str(exc))
    if r.returncode != 0:
        if finished_before:  # a working .venv from an earlier /init stays usable
            left = "the earlier .venv is kept with its packages"
        else:
            shutil.rmtree(venv, ignore_errors=True)
            left = "the unfinished .venv was removed (./run uses the system Python meanwhile)"
        return (
            "error",
            ".venv",
            f"pip could not install requirements.txt: {_pip_cause(r.stdout + r.stderr)}; {left}; {fixes}",
        )
    marker.write_text(digest + "\n", encoding="utf-8")
    return ("created", ".venv", "virtualenv with requirements.txt installed (./run uses it)")


def env_report(root: Path) -> tuple[Report, list[str]]:
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
        return version or None, [
            f"standard version is {version or 'empty'}, current is {SUPPORTED_VERSION}: run `puruto upgrade --plan`"
        ]
    return version, []


def collect_status(root: Path, checks: Iterable[tuple[str, Check]]) -> Report:
    """Runs the env check, the kind's checks ((key, fn) pairs) and the version check.

    A check that raises is reported as a problem: /status must never crash.
    """
    report: Report = {"puruto": puruto_name(root)}
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


def render_status(r: Report, kind_lines: list[str]) -> str:
    """Human /status: .env and variables, the kind's lines, version, next step."""
    ok, bad = "✓", "✗"
    unset = r.get("unset_variables") or []
    problems = r.get("problems") or []
    lines = [
        f"{r['puruto']} status",
        f"  {ok if r.get('env_file') == 'present' else bad} .env {r.get('env_file')}",
        f"  {bad if unset else ok} variables: {'unset: ' + ', '.join(unset) if unset else 'all set'}",
        *kind_lines,
        f"  {ok if r.get('standard_version') == SUPPORTED_VERSION else bad} standard version: "
        f"{r.get('standard_version')}",
        "next: " + (problems[0] if problems else "ready"),
        *[f"also: {p}" for p in problems[1:]],
    ]
    return "\n".join(lines)


def status_cli(
    doc: str | None, collect: Callable[[], Report], render: Callable[[Report], str], argv: list[str] | None = None
) -> int:
    """The /status command line: the report as text, or as JSON with --json. Exits 0."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = collect()
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render(report))
    return 0


def run_named_steps(root: Path, named: Iterable[tuple[str, Callable[[Path], Step]]]) -> list[Step]:
    """/init: runs (name, step) pairs in order; a step that raises becomes an error line
    and the others still run."""
    steps: list[Step] = []
    for name, step in named:
        try:
            steps.append(step(root))
        except Exception as exc:
            steps.append(("error", name, f"{exc}"))
    return steps


def report_init(steps: list[Step], report: Report, as_json: bool, render: Callable[[Report], str]) -> int:
    """/init's output: its steps, then the /status report that ends it. 1 when a step failed."""
    import json

    if as_json:
        print(
            json.dumps(
                {"steps": [{"result": r, "path": p, "detail": d} for r, p, d in steps], "status": report},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for result, path, detail in steps:
            print(f"{result:8} {path}  {detail}")
        print()
        print(render(report))
    return 1 if any(r == "error" for r, _, _ in steps) else 0


def add_no_venv(parser: argparse.ArgumentParser) -> None:
    """--no-venv, offered by every kind's /init (sets what step_venv does)."""
    parser.add_argument(
        "--no-venv",
        action="store_true",
        help="no virtualenv: the runtime uses this Python's packages (e.g. from apt); for offline machines",
    )


def skip_venv(value: bool) -> None:
    global _SKIP_VENV
    _SKIP_VENV = value


def init_cli(doc: str | None, run_steps: Callable[[Path], list[Step]], argv: list[str] | None = None) -> int:
    """The /init command line of a kind: its steps, then its /status report (--json for
    both as JSON; --no-venv skips the virtualenv)."""
    import argparse

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the steps and the status report as JSON")
    add_no_venv(parser)
    args = parser.parse_args(argv)
    skip_venv(args.no_venv)
    steps = run_steps(ROOT)
    import status  # /status, beside this module: /init ends by running it

    return report_init(steps, status.collect(ROOT), args.json, status.render)
