"""Target resolution: which folder a target name is (its registry entry, else a sibling), and
which registry paths are refused (outside the ecosystem). Done on str paths (paths.py): a stub
call imports no pathlib."""

from __future__ import annotations

import json
import os

from . import paths
from .config import read_dotenv
from .errors import IpcError

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from pathlib import Path

# A folder name: no "/", never "." or ".." (the pattern [A-Za-z0-9][A-Za-z0-9._-]*, checked without re).
_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_REST = _FIRST | frozenset("._-")


def is_repo_name(text: str) -> bool:
    """Whether text is a plain repo name: [A-Za-z0-9][A-Za-z0-9._-]* as a whole."""
    return bool(text) and text[0] in _FIRST and all(c in _REST for c in text)


def resolve_target(target: str, root: Path, settings: dict[str, str]) -> Path:
    """target_folder() as a Path."""
    from pathlib import Path

    return Path(target_folder(target, os.fspath(root), settings))


def target_folder(target: str, root: str, settings: dict[str, str]) -> str:
    """The target's folder: its registry.json entry with a `path`, else ../<target>.
    A registry path is used only inside the ecosystem folder (the vault's parent) or a folder
    of PURUTO_ECOSYSTEM_ROOTS (os.pathsep-separated, relative to this repo, ~ expanded; process
    environment, then .env): anything else (/etc, /, ~) is DENIED, never run and never skipped."""
    if not is_repo_name(target):
        raise IpcError(
            "DENIED",
            f"target {target!r} is refused: a target is a plain repo name "
            "(letters, digits, '.', '_', '-'; no '/' and no leading dot)",
        )
    vault = paths.resolved(root, settings.get("PURUTO_DATA_PATH") or "../puruto-data")
    roots_var = "PURUTO_ECOSYSTEM_ROOTS"
    extra = (
        settings.get(roots_var)
        or os.environ.get(roots_var)
        or read_dotenv(os.path.join(root, ".env")).get(roots_var, "")
    )
    roots = [paths.parent(vault)] + [paths.resolved(root, p.strip()) for p in extra.split(os.pathsep) if p.strip()]
    registry, tried, notes = os.path.join(vault, "registry.json"), [], []
    if paths.is_file(registry):
        try:
            with open(registry, encoding="utf-8") as fh:
                data = json.loads(fh.read())
            # The vault's root is `purutos`; `repos` is accepted for compatibility, as the gateway does.
            entries = data.get("purutos") if isinstance(data.get("purutos"), list) else data.get("repos")
        except (OSError, ValueError, AttributeError) as exc:
            entries = None
            notes.append(f"{registry} is unreadable ({exc}); it was skipped")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or (entry.get("name") or entry.get("id")) != target:
                continue
            if isinstance(entry.get("path"), str) and entry["path"]:
                candidate = paths.resolved(vault, entry["path"])  # relative to the vault
                if not any(paths.is_inside(candidate, r) for r in roots):
                    raise IpcError(
                        "DENIED",
                        f"the registry path of {target} ({entry['path']!r} -> {candidate}) is "
                        "outside "
                        f"the ecosystem folder {paths.parent(vault)}: it is refused; move the Puruto "
                        "there, "
                        f"fix its entry in {registry}, or add its folder to {roots_var}",
                        {"reason": "path_outside_ecosystem", "path": candidate, "roots": roots},
                    )
                if paths.is_dir(candidate):
                    return candidate
                tried.append(candidate)
    sibling = paths.child(paths.parent(root), target)
    if paths.is_dir(sibling):
        return os.path.realpath(sibling)
    tried.append(sibling)
    raise IpcError(
        "TARGET_NOT_FOUND",
        f"no Puruto named {target!r}: register it in {registry} with a path, or put it beside this repo ({sibling})",
        {"tried": tried, **({"notes": notes} if notes else {})},
    )
