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
