"""Discovery of the Purutos the gateway serves (standard library only).

Source, in this order:
1. PURUTO_DATA_PATH/registry.json (default ../puruto-data/registry.json) when it exists
   and parses: root `purutos` (or `repos`, for compatibility), items with `name` (or
   `id`), optional `path` (relative paths are relative to the vault), `kind`, `commands`;
2. else the sibling `puruto-*` folders of the gateway in its workspace folder.

Normalized item: {"name", "path" (absolute, or null), "kind", "commands"}. The result is
cached and read again only when registry.json or the workspace folder changes (mtime).
Lookups are by exact name in that list: a name is never turned into a file path.
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent
DEFAULT_COMMANDS = ["init", "help", "list", "status"]
ECOSYSTEM_KINDS = ("puruto-data", "puruto-telegram", "puruto-cron", "puruto-gateway")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # a folder name: no "/", never "." or ".."


def infer_kind(name: str) -> str:
    """The kind an entry without `kind` has: the ecosystem kinds by name, else standard."""
    return name if name in ECOSYSTEM_KINDS else "standard"


def normalize(entry: object, vault: Path) -> dict | None:
    """One registry entry as a normalized item, or None when it has no usable name."""
    if not isinstance(entry, dict):
        return None
    name = entry.get("name") if isinstance(entry.get("name"), str) else entry.get("id")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return None
    raw_path = entry.get("path")
    path = None
    if isinstance(raw_path, str) and raw_path.strip():
        path = str((vault / Path(raw_path).expanduser()).resolve())
    kind = entry.get("kind")
    commands = entry.get("commands")
    if not (isinstance(commands, list) and commands and all(isinstance(c, str) for c in commands)):
        commands = list(DEFAULT_COMMANDS)
    return {
        "name": name,
        "path": path,
        "kind": kind if isinstance(kind, str) and kind else infer_kind(name),
        "commands": list(commands),
    }


def read_registry(path: Path) -> list | None:
    """The entries of a registry.json, or None when it is missing or does not parse."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for root_key in ("purutos", "repos"):
        if isinstance(data.get(root_key), list):
            return data[root_key]
    return None


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Registry:
    """The discovered Purutos of one gateway, cached until their source changes.

    `setting` returns a setting by name (process environment first, then .env): only
    PURUTO_DATA_PATH is read, at each call, so a changed value is picked up too.
    """

    def __init__(self, root: Path = ROOT, setting: Callable[[str], str] | None = None):
        self.root = Path(root).resolve()
        self.workspace = self.root.parent
        self._setting = setting or (lambda key: os.environ.get(key, ""))
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._items: list[dict] = []
        self._by_name: dict[str, dict] = {}
        self._source = "siblings"
        self._body: bytes = b""
        self.loads = 0  # how many times the source was read (tests check the cache)

    def vault(self) -> Path:
        raw = self._setting("PURUTO_DATA_PATH") or "../puruto-data"
        return (self.root / Path(raw).expanduser()).resolve()

    def _signature(self) -> tuple:
        vault = self.vault()
        registry = vault / "registry.json"
        return (str(vault), _stamp(registry), _stamp(self.workspace))

    def _load(self, vault: Path) -> tuple[list[dict], str]:
        registry = vault / "registry.json"
        entries = read_registry(registry) if registry.is_file() else None
        items: list[dict] = []
        seen: set[str] = set()
        if entries is not None:
            for entry in entries:
                item = normalize(entry, vault)
                if item and item["name"] not in seen:
                    seen.add(item["name"])
                    items.append(item)
            return items, str(registry)
        try:
            folders = sorted(self.workspace.iterdir())
        except OSError:
            folders = []
        for folder in folders:
            if folder.name.startswith("puruto-") and folder.is_dir() and folder.resolve() != self.root and NAME.fullmatch(folder.name):
                items.append({"name": folder.name, "path": str(folder.resolve()), "kind": infer_kind(folder.name),
                              "commands": list(DEFAULT_COMMANDS)})
        return items, "siblings"

    def refresh(self) -> None:
        """Reads the source again when its signature changed since the last read."""
        key = self._signature()
        if key == self._key:
            return
        with self._lock:
            if key == self._key:
                return
            items, source = self._load(Path(key[0]))
            self._items, self._source = items, source
            self._by_name = {item["name"]: item for item in items}
            self._body = json.dumps({"status": "ok", "count": len(items), "items": items},
                                    ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self._key = key
            self.loads += 1

    def items(self) -> list[dict]:
        self.refresh()
        return [dict(item, commands=list(item["commands"])) for item in self._items]

    def get(self, name: str) -> dict | None:
        """The item named exactly `name`, or None: never a file system lookup."""
        self.refresh()
        item = self._by_name.get(name)
        return dict(item, commands=list(item["commands"])) if item else None

    def list_body(self) -> bytes:
        """The GET /purutos response body, serialized once per change of the source."""
        self.refresh()
        return self._body

    def source(self) -> str:
        """"siblings", or the path of the registry.json the items come from."""
        self.refresh()
        return self._source
