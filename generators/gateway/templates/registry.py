"""Discovery of the Purutos the gateway serves (standard library only).

Source, in this order:
1. PURUTO_DATA_PATH/registry.json (default ../puruto-data/registry.json) when it exists
   and parses: root `purutos` (or `repos`, for compatibility), items with `name` (or
   `id`), optional `path` (relative paths are relative to the vault), `kind`, `commands`;
2. else the sibling `puruto-*` folders of the gateway in its workspace folder.

Normalized item: {"name", "path" (absolute, or null), "kind", "commands"}. Each field is
checked on its own against the entry schema of .puruto-schemas/registry.schema.json (the rules
`puruto validate` and the vault apply): an entry is served only when its name (or id) is a
valid `name` (`puruto-<name>`); a `kind` or `commands` the schema refuses fall back to the
inferred kind and the default commands, a refused `path` to null. If the schema cannot be read,
the registry is not used (the sibling folders are served and `refused()` says why). The gateway does not need the
vault's own fields (`version`, `folder`, `registered_at`) and does not check them. The result is
cached and read again only when registry.json or the workspace folder changes (mtime).
Lookups are by exact name in that list: a name is never turned into a file path.

A registry path is used only when it resolves inside the ecosystem folder (the vault's
parent, e.g. ~/purutos) or inside a folder listed in PURUTO_ECOSYSTEM_ROOTS (separated by
os.pathsep; relative to this repo; ~ expanded). Any other path (/etc, /, ~ ...) becomes
null and is reported in `refused()`: an edited registry cannot point the gateway (or
invoker.py, which applies the same rule) at a folder outside the ecosystem.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import json_schema

ROOT = Path(__file__).resolve().parent
DEFAULT_COMMANDS = ["init", "help", "list", "status"]
ECOSYSTEM_KINDS = ("puruto-data", "puruto-telegram", "puruto-cron", "puruto-gateway")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # a sibling folder name: no "/", never "." or ".."
ROOTS_VAR = "PURUTO_ECOSYSTEM_ROOTS"
Item = dict[str, Any]  # {"name", "path", "kind", "commands"}
Rules = dict[str, Any]  # field name -> its JSON Schema
Stamp = tuple[int, int, int]


def infer_kind(name: str) -> str:
    """The kind an entry without `kind` has: the ecosystem kinds by name, else standard."""
    return name if name in ECOSYSTEM_KINDS else "standard"


def ecosystem_roots(root: Path, vault: Path, extra: str = "") -> list[Path]:
    """Where registry paths may point: the vault's parent, then the PURUTO_ECOSYSTEM_ROOTS folders."""
    roots = [vault.parent]
    for raw in (extra or "").split(os.pathsep):
        if raw.strip():
            roots.append((root / Path(raw.strip()).expanduser()).resolve())
    return roots


def inside(path: Path, roots: list[Path]) -> bool:
    """path is strictly inside one of roots (a root itself is a folder of Purutos, not one)."""
    return any(path != r and path.is_relative_to(r) for r in roots)


def entry_rules(root: Path = ROOT) -> Rules:
    """The schemas of an entry's fields (registry.schema.json), each applied on its own."""
    rules: Rules = json_schema.load("registry", root)["properties"]["purutos"]["items"]["properties"]
    return rules


def _valid(rules: Rules, field: str, value: object) -> bool:
    return not json_schema.problems(value, rules[field])


def _resolved(vault: Path, raw: str) -> Path | None:
    """raw (relative to the vault) as an absolute path, or None when it cannot be one (a NUL, or a lone
    surrogate from a \\ud800 escape: UnicodeEncodeError is a ValueError)."""
    try:
        return (vault / Path(raw).expanduser()).resolve()
    except (ValueError, OSError):
        return None


def normalize(
    entry: object,
    vault: Path,
    roots: list[Path] | None = None,
    refused: list[str] | None = None,
    rules: Rules | None = None,
) -> Item | None:
    """One registry entry as a normalized item, or None when it has no usable name. A path
    outside `roots` (default: the vault's parent) becomes null and is noted in `refused`.
    `rules`: entry_rules() (read when not given)."""
    if not isinstance(entry, dict):
        return None
    rules = rules if rules is not None else entry_rules()
    name = entry.get("name") if isinstance(entry.get("name"), str) else entry.get("id")
    if not isinstance(name, str) or not _valid(rules, "name", name):
        return None
    raw_path = entry.get("path")
    path = None
    if raw_path is not None and _valid(rules, "path", raw_path):
        allowed = roots if roots is not None else [vault.parent]
        resolved = _resolved(vault, raw_path)
        if resolved is not None and inside(resolved, allowed):
            path = str(resolved)
        elif refused is not None and resolved is None:
            refused.append(
                f"{name}: path {raw_path!r} is not a usable file path: it is ignored (fix it in registry.json)"
            )
        elif refused is not None:
            refused.append(
                f"{name}: path {raw_path!r} resolves to {resolved}, outside the ecosystem folder "
                f"{allowed[0]}: it is ignored (move the Puruto there, or add its folder to {ROOTS_VAR})"
            )
    kind = entry.get("kind")
    given = entry.get("commands")
    commands = (
        [str(c) for c in given]
        if isinstance(given, list) and _valid(rules, "commands", given)
        else list(DEFAULT_COMMANDS)
    )
    return {
        "name": name,
        "path": path,
        "kind": kind if "kind" in entry and _valid(rules, "kind", kind) else infer_kind(name),
        "commands": commands,
    }


def read_registry(path: Path) -> list[object] | None:
    """The entries of a registry.json, or None when it is missing or does not parse."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for root_key in ("purutos", "repos"):
        entries = data.get(root_key)
        if isinstance(entries, list):
            return entries
    return None


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Registry:
    """The discovered Purutos of one gateway, cached until their source changes.

    `setting` returns a setting by name (the app passes GatewaySettings.text_of: the process
    environment first, then .env): PURUTO_DATA_PATH and PURUTO_ECOSYSTEM_ROOTS, at each call.
    """

    def __init__(self, root: Path = ROOT, setting: Callable[[str], str] | None = None):
        self.root = Path(root).resolve()
        self.workspace = self.root.parent
        self._setting = setting or (lambda key: os.environ.get(key, ""))
        self._lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._items: list[Item] = []
        self._by_name: dict[str, Item] = {}
        self._source = "siblings"
        self._refused: list[str] = []
        self._body: bytes = b""
        self.loads = 0  # how many times the source was read (tests check the cache)

    def vault(self) -> Path:
        raw = self._setting("PURUTO_DATA_PATH") or "../puruto-data"
        return (self.root / Path(raw).expanduser()).resolve()

    def _signature(self) -> tuple[str, Stamp | None, Stamp | None, str, Stamp | None]:
        vault = self.vault()
        registry = vault / "registry.json"
        schema = ROOT / json_schema.SCHEMAS / "registry.schema.json"  # this code's schema, edits picked up
        return (str(vault), _stamp(registry), _stamp(self.workspace), self._setting(ROOTS_VAR) or "", _stamp(schema))

    def _load(self, vault: Path, extra_roots: str) -> tuple[list[Item], str, list[str]]:
        registry = vault / "registry.json"
        entries = read_registry(registry) if registry.is_file() else None
        items: list[Item] = []
        seen: set[str] = set()
        refused: list[str] = []
        roots = ecosystem_roots(self.root, vault, extra_roots)
        try:
            rules = entry_rules()
        except json_schema.SchemaFileError as exc:
            if entries is not None:
                refused.append(f"{registry} is not used: {exc}")
            entries = None
        if entries is not None:
            for entry in entries:
                item = normalize(entry, vault, roots, refused, rules)
                if item and item["name"] not in seen:
                    seen.add(item["name"])
                    items.append(item)
            return items, str(registry), refused
        try:
            folders = sorted(self.workspace.iterdir())
        except OSError:
            folders = []
        for folder in folders:
            if (
                folder.name.startswith("puruto-")
                and folder.is_dir()
                and folder.resolve() != self.root
                and NAME.fullmatch(folder.name)
            ):
                items.append(
                    {
                        "name": folder.name,
                        "path": str(folder.resolve()),
                        "kind": infer_kind(folder.name),
                        "commands": list(DEFAULT_COMMANDS),
                    }
                )
        return items, "siblings", refused

    def refresh(self) -> None:
        """Reads the source again when its signature changed since the last read."""
        key = self._signature()
        if key == self._key:
            return
        with self._lock:
            if key == self._key:
                return
            items, source, refused = self._load(Path(key[0]), key[3])
            self._items, self._source, self._refused = items, source, refused
            self._by_name = {item["name"]: item for item in items}
            # backslashreplace: a lone surrogate (a \ud800 escape in registry.json) stays the JSON escape it was
            self._body = json.dumps(
                {"status": "ok", "count": len(items), "items": items}, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8", "backslashreplace")
            self._key = key
            self.loads += 1

    def items(self) -> list[Item]:
        self.refresh()
        return [dict(item, commands=list(item["commands"])) for item in self._items]

    def get(self, name: str) -> Item | None:
        """The item named exactly `name`, or None: never a file system lookup."""
        self.refresh()
        item = self._by_name.get(name)
        return dict(item, commands=list(item["commands"])) if item else None

    def list_body(self) -> bytes:
        """The GET /purutos response body, serialized once per change of the source."""
        self.refresh()
        return self._body

    def refused(self) -> list[str]:
        """One line per registry path ignored because it leads outside the ecosystem (or the registry, when its
        schema cannot be read)."""
        self.refresh()
        return list(self._refused)

    def source(self) -> str:
        """ "siblings", or the path of the registry.json the items come from."""
        self.refresh()
        return self._source
