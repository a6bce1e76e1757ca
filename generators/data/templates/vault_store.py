"""Storage helpers of vault.py (standard library and the vendored puruto_runtime): names and paths that cannot
leave the vault, the registry.json lock and atomic writes, sizes and MAX_SIZE_MB.

The registry lock (every program that writes registry.json takes it: vault.py, /init and
`puruto init`): the folder `.registry.lock.d`, made with mkdir (atomic on every system),
holding `owner` = {"pid", "host", "since", "token"}; removed by its owner when done. A lock
whose owner process is gone (same host) or that is older than LOCK_STALE_SEC is stale: it
is renamed away (only one process wins that rename) and taken again. Leftover
`.registry.json.*.tmp` files of an interrupted writer are deleted by the next one.
vault.py processes also queue on an flock of `.registry.lock` (`locked`) so they take
turns fairly; that file is never deleted.

Imported by vault.py and the /init and /status scripts; not a command by itself.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import json_schema
from puruto_runtime.settings import Invalid, Settings, SettingsError, setting, text, valid

try:  # POSIX: advisory lock; Windows: msvcrt byte-range lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

VAULT = Path(__file__).resolve().parent
REGISTRY = "registry.json"
LOCK = ".registry.lock"
LOCK_DIR = ".registry.lock.d"
LOCK_STALE_SEC = 30  # a registry write takes milliseconds
LOCK_WAIT_SEC = 60
SHARED = "shared"
ECOSYSTEM_KINDS = ("puruto-data", "puruto-telegram", "puruto-cron", "puruto-gateway")
DEFAULT_COMMANDS = ["init", "help", "list", "status"]
MB = 1024 * 1024


class VaultError(Exception):
    """A refusal or a problem, shown as one clear message. code: 1 refused, 2 usage."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- names and paths


def check_name(name: str) -> None:
    """A registrable name: puruto-<x>, a plain folder name that cannot leave the vault."""
    if not name:
        raise VaultError("the name is empty: give a Puruto name such as puruto-notes")
    escape = next(
        (why for bad, why in (("/", 'contains "/"'), ("\\", 'contains "\\"'), ("..", 'contains ".."')) if bad in name),
        None,
    )
    if escape or name.startswith("."):
        raise VaultError(
            f'"{name}" could escape the vault ({escape or "starts with a dot"}): give a plain name such as puruto-notes'
        )
    problem = field_problem("name", name)
    if problem:
        raise VaultError(
            f'"{name}" is not a Puruto name ({problem}): use puruto-<name> with lowercase letters, digits '
            "and single hyphens, e.g. puruto-notes"
        )


def kind_of(name: str) -> str:
    """The kind the gateway shows: an ecosystem name is its own kind, the rest are standard."""
    return name if name in ECOSYSTEM_KINDS else "standard"


def parts_of(rel: str) -> list[str]:
    """Splits a vault-relative path, refusing anything that could point outside the vault."""
    if not rel.strip():
        raise VaultError("the path is empty: give a path inside the vault, e.g. shared/notes.md")
    if "\0" in rel or "\\" in rel:
        raise VaultError(f'"{rel}": use "/" between folders (backslashes and NUL bytes are refused)')
    if rel.startswith("/") or os.path.isabs(rel) or re.match(r"^[A-Za-z]:", rel):
        raise VaultError(f'"{rel}" is an absolute path: give a path relative to the vault, e.g. shared/notes.md')
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise VaultError(f'"{rel}" contains "..", which could escape the vault: give a path inside it')
    if any(p.startswith(".") for p in parts):
        raise VaultError(f'"{rel}" names a hidden file or folder: those are not vault data')
    return parts


def no_links(root: Path, parts: list[str]) -> Path:
    """The path of `parts` under root, refused when any step is a symbolic link."""
    for i in range(1, len(parts) + 1):
        if root.joinpath(*parts[:i]).is_symlink():
            raise VaultError(
                f"{'/'.join(parts[:i])} is a symbolic link: vault paths may not go through links (they "
                "could lead outside the vault)"
            )
    target = root.joinpath(*parts)
    if target.exists() and not target.resolve().is_relative_to(root.resolve()):
        raise VaultError(f"{'/'.join(parts)} resolves outside the vault")
    return target


def folder_of(entry: object) -> str | None:
    """An entry's folder when it is a plain folder name (never `..` or a path)."""
    folder = entry.get("folder") if isinstance(entry, dict) else None
    return folder if isinstance(folder, str) and not field_problem("folder", folder) else None


def stored_path(root: Path, given: str) -> str:
    """--path is taken relative to the current folder. A Puruto inside the workspace (the
    vault's parent folder, e.g. ~/purutos) is stored relative to the vault, `../<name>`,
    so a workspace moved as a whole keeps working; anything else is stored absolute."""
    if not given.strip():
        raise VaultError("--path is empty: give the folder of the Puruto, e.g. ../puruto-notes")
    target = Path(os.path.abspath(Path(given).expanduser())).resolve()
    vault = root.resolve()
    if target.is_relative_to(vault.parent) and target != vault.parent:
        return Path(os.path.relpath(target, vault)).as_posix()
    return str(target)


def repo_path(root: Path, stored: str) -> Path:
    """Where an entry's `path` points (relative paths are relative to the vault)."""
    return (root / Path(stored).expanduser()).resolve()


def inside_ecosystem(root: Path, repo: Path) -> bool:
    """The rule invoker.py and the gateway apply: inside the vault's parent folder, or a folder
    of PURUTO_ECOSYSTEM_ROOTS (os.pathsep-separated; relative to the vault here)."""
    extra = vault_settings(root).ecosystem_roots
    roots = [root.resolve().parent] + [
        (root / Path(p.strip()).expanduser()).resolve() for p in extra.split(os.pathsep) if p.strip()
    ]
    return any(repo != r and repo.is_relative_to(r) for r in roots)


# ---------------------------------------------------------------- bounded reads, safe writes


def read_limited(source: str | IO[bytes], cap: int | None, label: str) -> bytes:
    """The bytes of a file name or binary stream, reading at most cap + 1 bytes (None: no
    cap; then a device such as /dev/zero is refused, since it would never end)."""
    if isinstance(source, str):
        try:
            mode = os.stat(source).st_mode
        except OSError as exc:
            raise VaultError(f"cannot read {label} ({exc.strerror})")
        if stat.S_ISDIR(mode):
            raise VaultError(f"{label} is a folder: give a file")
        if cap is None and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)):
            raise VaultError(f"{label} is a device, not a file: it may never end; give a file")
        try:
            with open(source, "rb") as handle:
                return read_limited(handle, cap, label)
        except OSError as exc:
            raise VaultError(f"cannot read {label} ({exc.strerror})")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = source.read(1024 * 1024 if cap is None else min(1024 * 1024, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if cap is not None and size > cap:
            raise VaultError(
                f"{label} is larger than MAX_SIZE_MB ({cap} bytes): reading stopped there and nothing "
                "was written (write a smaller file, or raise MAX_SIZE_MB in .env)"
            )


def _link_refusal(shown: str) -> VaultError:
    return VaultError(
        f"{shown} is a symbolic link or not a folder: vault paths may not go through links "
        "(they could lead outside the vault); nothing was written"
    )


def write_in_vault(root: Path, parts: list[str], data: bytes) -> None:
    """Writes root/parts atomically, creating folders, opening every folder with O_NOFOLLOW
    relative to the one before (dir_fd): a folder swapped for a link at any moment makes the
    write fail instead of landing outside the vault. Where dir_fd is missing (Windows), it
    checks for links and verifies the real path of the written file's folder."""
    if not (os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")):
        target = no_links(root, parts)  # pragma: no cover - Windows
        target.parent.mkdir(parents=True, exist_ok=True)
        no_links(root, parts)
        if not target.parent.resolve().is_relative_to(root.resolve()):
            raise _link_refusal("/".join(parts[:-1]))
        write_atomic(target, data)
        return
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for i, name in enumerate(parts[:-1]):
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, dir_fd=fd)
            try:
                inner = os.open(name, flags, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise _link_refusal("/".join(parts[: i + 1])) from None
                raise
            os.close(fd)
            fd = inner
        _write_at(fd, parts[-1], data, "/".join(parts))
    finally:
        os.close(fd)


def _write_at(dir_fd: int, name: str, data: bytes, shown: str) -> None:
    """Atomic write of `name` in the folder open as dir_fd: temp file, fsync, rename."""
    for leftover in os.listdir(dir_fd):  # a killed writer's temp files (we hold the vault's lock)
        if leftover.startswith(f".{name}.") and leftover.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(leftover, dir_fd=dir_fd)
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise VaultError(f"{shown} is a symbolic link or a folder, not a file: nothing was written")
    tmp = f".{name}.{uuid.uuid4().hex[:12]}.tmp"
    out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=dir_fd)
    try:
        if st is not None:
            os.fchmod(out, st.st_mode & 0o777)
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
        os.fsync(out)
        os.close(out)
        out = -1
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        if out >= 0:
            os.close(out)
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dir_fd)
        raise


# ---------------------------------------------------------------- files, lock, registry


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Serializes read-modify-write of the vault across processes (a lock file beside
    registry.json; the lock is released when the file is closed, even on a crash)."""
    with open(root / LOCK, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        elif msvcrt is not None:  # pragma: no cover - Windows
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            if fcntl is None and msvcrt is not None:  # pragma: no cover - Windows
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _owner(lock: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((lock / "owner").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0 or os.name != "posix":
        return True  # cannot tell: only the age makes it stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _stale(lock: Path) -> bool:
    owner = _owner(lock)
    try:
        since = owner.get("since") if owner else None
        age = time.time() - (since if isinstance(since, (int, float)) else lock.stat().st_mtime)
    except OSError:
        return False  # gone meanwhile: simply try again
    if age > LOCK_STALE_SEC:
        return True
    return (
        owner is not None and bool(owner) and owner.get("host") == socket.gethostname() and not _alive(owner.get("pid"))
    )


def _break(lock: Path) -> None:
    """Moves a stale lock aside (atomic: one process wins) and deletes it."""
    aside = lock.with_name(f"{LOCK_DIR}.stale.{uuid.uuid4().hex}")
    try:
        os.rename(lock, aside)
    except OSError:
        return  # another process broke it first
    shutil.rmtree(aside, ignore_errors=True)


def clean_leftovers(root: Path) -> list[str]:
    """Temp files and broken-lock folders an interrupted (kill -9) writer left; call holding the lock."""
    removed = []
    for child in root.iterdir():
        name = child.name
        if name.startswith(f".{REGISTRY}.") and name.endswith(".tmp") and not child.is_symlink():
            with contextlib.suppress(OSError):
                child.unlink()
                removed.append(name)
        elif name.startswith(f"{LOCK_DIR}.stale.") and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            removed.append(name)
    return removed


@contextlib.contextmanager
def registry_lock(root: Path, wait_sec: float = LOCK_WAIT_SEC) -> Iterator[None]:
    """The registry lock shared with `puruto init` (see the module docstring)."""
    lock, deadline, delay = root / LOCK_DIR, time.monotonic() + wait_sec, 0.002
    while True:
        try:
            os.mkdir(lock)
            break
        except FileExistsError:
            if _stale(lock):
                _break(lock)
                continue
            if time.monotonic() > deadline:
                raise VaultError(
                    f"registry.json has been locked by another process for over {wait_sec:g} s "
                    f"({_owner(lock) or 'owner unknown'}): if no vault.py or puruto init is running, "
                    f"delete the folder {LOCK_DIR} and try again"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    try:
        (lock / "owner").write_text(
            json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time(), "token": token}),
            encoding="utf-8",
        )
        clean_leftovers(root)
        yield
    finally:
        owner = _owner(lock)
        if owner is None or owner.get("token") == token:  # never remove a lock that is no longer ours
            shutil.rmtree(lock, ignore_errors=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it: a temp file in the same
    folder, flushed to disk, then renamed over the target."""
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- the rules of registry.json
# The rules are .puruto-schemas/registry.schema.json, the JSON Schema `puruto validate --strict` applies
# (json_schema.py reads it); test/runtime/registry.parity.test.ts holds the verdicts together.
# Only what a schema cannot say is checked here: a name registered twice.


def registry_rules() -> dict[str, Any]:
    try:
        return json_schema.load("registry")
    except json_schema.SchemaFileError as exc:
        raise VaultError(str(exc)) from None


def entry_rules() -> dict[str, Any]:
    """The schema of one entry of "purutos"."""
    items: dict[str, Any] = registry_rules()["properties"]["purutos"]["items"]
    return items


def field_problem(field: str, value: object) -> str | None:
    """Why `value` is not a valid `field` of an entry (name, folder, ...), or None."""
    found = json_schema.problems(value, entry_rules()["properties"][field])
    return found[0].message if found else None


def command_problem(command: object) -> str | None:
    """Why `command` is not a command name (an item of an entry's "commands"), or None."""
    found = json_schema.problems(command, entry_rules()["properties"]["commands"]["items"])
    return found[0].message if found else None


# What each field's rule is, in words, after the schema's own message.
FIELD_HINTS = {
    "name": "puruto-<name>: lowercase letters, digits, single hyphens",
    "folder": 'a plain folder name, no "/" or ".."',
}


def _field_text(entry: dict[str, Any], field: str, message: str) -> str:
    value = entry.get(field)
    if field == "path":
        return f"has path {value!r}: give the folder of its repo (e.g. ../{entry.get('name')}) or null"
    if field == "kind":
        return f"has kind {value!r}: give a kind such as standard, or leave it out"
    if field == "commands":
        return (
            f"has commands {value!r}: give a non-empty list of command names such as "
            '["init", "help", "list", "status"], or leave it out'
        )
    hint = f"; {FIELD_HINTS[field]}" if field in FIELD_HINTS else ""
    return f"has an invalid {field} ({message}{hint})"


def entry_problems(entry: object, rules: dict[str, Any] | None = None) -> list[str]:
    """Why one entry of "purutos" is not valid under the schema (empty when it is), one line per field."""
    rules = rules or entry_rules()
    if not isinstance(entry, dict):
        return [f"lacks {', '.join(rules['required'])} (an entry is an object, got {json_schema.shown(entry)})"]
    missing = [k for k in rules.get("required", []) if k not in entry]
    problems = [f"lacks {', '.join(missing)}"] if missing else []
    fields: dict[str, str] = {}
    for p in json_schema.problems(entry, rules):
        if p.path:
            fields.setdefault(str(p.path[0]), p.message)
    return problems + [_field_text(entry, field, message) for field, message in fields.items()]


def registry_problems(registry: dict[str, Any]) -> list[str]:
    """Every rule a loaded registry breaks: the schema's (version, each entry's fields), names registered twice."""
    rules = registry_rules()
    problems = []
    for p in json_schema.problems({**registry, "purutos": []}, rules):  # the top level; entries below
        field = p.path[0] if p.path else next((k for k in rules.get("required", []) if k not in registry), "")
        problems.append(
            f'"version" must be a string such as "1", got {json.dumps(registry.get("version"))}'
            if field == "version"
            else str(p)
        )
    entry_schema = rules["properties"]["purutos"]["items"]
    seen: set[str] = set()
    for i, entry in enumerate(registry["purutos"]):
        name = entry.get("name") if isinstance(entry, dict) else None
        label = name if isinstance(name, str) and name else "no name"
        problems += [f"entry {i} ({label}) {p}" for p in entry_problems(entry, entry_schema)]
        if isinstance(name, str):
            if name in seen:
                problems.append(f"entry {i}: {name} is registered twice")
            seen.add(name)
    return problems


def new_registry() -> dict[str, Any]:
    return {"version": "1", "purutos": []}


def load_registry(root: Path, missing_ok: bool = False) -> dict[str, Any]:
    path = root / REGISTRY
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return new_registry()
        raise VaultError(f"{REGISTRY} is missing: run /init (python3 .claude/skills/init/scripts/init.py) to create it")
    except OSError as exc:
        raise VaultError(f"cannot read {REGISTRY} ({exc.strerror}): check its permissions")
    except ValueError as exc:
        raise VaultError(
            f"{REGISTRY} is not valid JSON ({exc}): fix it or restore it with `git checkout {REGISTRY}`; "
            "nothing was changed"
        )
    if not isinstance(data, dict) or not isinstance(data.get("purutos"), list):
        raise VaultError(
            f'{REGISTRY} must be an object with a "purutos" list, e.g. {json.dumps(new_registry())}; '
            "nothing was changed"
        )
    return data


def save_registry(root: Path, registry: dict[str, Any]) -> None:
    write_atomic(root / REGISTRY, (json.dumps(registry, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def entries_of(registry: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in registry["purutos"] if isinstance(e, dict)]


def find_entry(registry: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((e for e in entries_of(registry) if e.get("name") == name), None)


def count_files(folder: Path) -> int:
    """Files under a folder (recursively), without .gitkeep and without following links."""
    if not folder.is_dir() or folder.is_symlink():
        return 0
    return sum(1 for _, _, files in os.walk(folder) for f in files if f != ".gitkeep")


def data_size(root: Path) -> int:
    """Bytes of vault data: registry.json, shared/ and every puruto-* folder."""
    total = (root / REGISTRY).stat().st_size if (root / REGISTRY).is_file() else 0
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink() and (child.name == SHARED or child.name.startswith("puruto-")):
            for dirpath, _, files in os.walk(child):
                total += sum(os.lstat(os.path.join(dirpath, f)).st_size for f in files)
    return total


NO_LIMIT: int | float = 0  # MAX_SIZE_MB's default


def _megabytes(raw: str) -> int | float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0 or not math.isfinite(value):
        raise ValueError("must be a number of megabytes >= 0 (0 = no limit)")
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class VaultSettings(Settings):
    """The vault's settings: the process environment, else .env, else .env.example. A bad
    MAX_SIZE_MB is raised (as a VaultError) only by what uses it: writes and /status."""

    FALLBACK_FILES = (".env.example",)

    max_size_mb: int | float | Invalid = setting("MAX_SIZE_MB", _megabytes, NO_LIMIT, deferred=True)
    ecosystem_roots: str = setting("PURUTO_ECOSYSTEM_ROOTS", text(), "")


def vault_settings(root: Path) -> VaultSettings:
    """VaultSettings.load(root); a .env that cannot be read (a FIFO, not UTF-8) is a VaultError."""
    try:
        return VaultSettings.load(root)
    except SettingsError as exc:
        raise VaultError(str(exc)) from None


def max_size_mb(root: Path) -> int | float:
    """MAX_SIZE_MB from the environment, else .env, else .env.example; 0 = no limit."""
    try:
        return valid(vault_settings(root).max_size_mb)
    except SettingsError as exc:
        raise VaultError(str(exc)) from None
