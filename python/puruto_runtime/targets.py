"""Target resolution: which folder a target name is (its registry entry, else a sibling), and
which registry paths are refused (outside the ecosystem)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .config import read_dotenv
from .errors import IpcError

REPO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder name: no "/", never "." or ".."


def resolve_target(target: str, root: Path, settings: dict[str, str]) -> Path:
    """The target's folder: its registry.json entry with a `path`, else ../<target>.
    A registry path is used only inside the ecosystem folder (the vault's parent) or a folder
    of PURUTO_ECOSYSTEM_ROOTS (os.pathsep-separated, relative to this repo, ~ expanded; process
    environment, then .env): anything else (/etc, /, ~) is DENIED, never run and never skipped."""
    if not REPO_NAME.fullmatch(target):
        raise IpcError(
            "DENIED",
            f"target {target!r} is refused: a target is a plain repo name "
            "(letters, digits, '.', '_', '-'; no '/' and no leading dot)",
        )
    vault = (root / Path(settings.get("PURUTO_DATA_PATH") or "../puruto-data").expanduser()).resolve()
    roots_var = "PURUTO_ECOSYSTEM_ROOTS"
    extra = settings.get(roots_var) or os.environ.get(roots_var) or read_dotenv(root / ".env").get(roots_var, "")
    roots = [vault.parent] + [
        (root / Path(p.strip()).expanduser()).resolve() for p in extra.split(os.pathsep) if p.strip()
    ]
    registry, tried, notes = vault / "registry.json", [], []
    if registry.is_file():
        try:
            data = json.loads(registry.read_text(encoding="utf-8"))
            # The vault's root is `purutos`; `repos` is accepted for compatibility, as the gateway does.
            entries = data.get("purutos") if isinstance(data.get("purutos"), list) else data.get("repos")
        except (OSError, ValueError, AttributeError) as exc:
            entries = None
            notes.append(f"{registry} is unreadable ({exc}); it was skipped")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or (entry.get("name") or entry.get("id")) != target:
                continue
            if isinstance(entry.get("path"), str) and entry["path"]:
                candidate = (vault / Path(entry["path"]).expanduser()).resolve()  # relative to the vault
                if not any(candidate != r and candidate.is_relative_to(r) for r in roots):
                    raise IpcError(
                        "DENIED",
                        f"the registry path of {target} ({entry['path']!r} -> {candidate}) is "
                        "outside "
                        f"the ecosystem folder {vault.parent}: it is refused; move the Puruto "
                        "there, "
                        f"fix its entry in {registry}, or add its folder to {roots_var}",
                        {"reason": "path_outside_ecosystem", "path": str(candidate), "roots": [str(r) for r in roots]},
                    )
                if candidate.is_dir():
                    return candidate
                tried.append(str(candidate))
    sibling = root.parent / target
    if sibling.is_dir():
        return sibling.resolve()
    tried.append(str(sibling))
    raise IpcError(
        "TARGET_NOT_FOUND",
        f"no Puruto named {target!r}: register it in {registry} with a path, or put it beside this repo ({sibling})",
        {"tried": tried, **({"notes": notes} if notes else {})},
    )
