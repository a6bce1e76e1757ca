"""Storage helpers of vault.py (standard library only): names and paths that cannot
leave the vault, the registry.json lock and atomic writes, sizes and MAX_SIZE_MB.

Imported by vault.py and the /init and /status scripts; not a command by itself.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from pathlib import Path

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
SHARED = "shared"
NAME_RE = re.compile(r"^puruto-[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_MAX = 64
FOLDER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SKILL_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
    escape = next((why for bad, why in (("/", 'contains "/"'), ("\\", 'contains "\\"'), ("..", 'contains ".."')) if bad in name), None)
    if escape or name.startswith("."):
        raise VaultError(f'"{name}" could escape the vault ({escape or "starts with a dot"}): give a plain name such as puruto-notes')
    if len(name) > NAME_MAX or not NAME_RE.match(name):
        raise VaultError(f'"{name}" is not a Puruto name: use puruto-<name> with lowercase letters, digits and single hyphens (at most {NAME_MAX} characters), e.g. puruto-notes')


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
            raise VaultError(f'{"/".join(parts[:i])} is a symbolic link: vault paths may not go through links (they could lead outside the vault)')
    target = root.joinpath(*parts)
    if target.exists() and not target.resolve().is_relative_to(root.resolve()):
        raise VaultError(f'{"/".join(parts)} resolves outside the vault')
    return target


def folder_of(entry: object) -> str | None:
    """An entry's folder when it is a plain folder name (never `..` or a path)."""
    folder = entry.get("folder") if isinstance(entry, dict) else None
    return folder if isinstance(folder, str) and FOLDER_RE.match(folder) and ".." not in folder else None


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


# ---------------------------------------------------------------- files, lock, registry

@contextlib.contextmanager
def locked(root: Path):
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


def new_registry() -> dict:
    return {"version": "1", "purutos": []}


def load_registry(root: Path, missing_ok: bool = False) -> dict:
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
        raise VaultError(f"{REGISTRY} is not valid JSON ({exc}): fix it or restore it with `git checkout {REGISTRY}`; nothing was changed")
    if not isinstance(data, dict) or not isinstance(data.get("purutos"), list):
        raise VaultError(f'{REGISTRY} must be an object with a "purutos" list, e.g. {json.dumps(new_registry())}; nothing was changed')
    return data


def save_registry(root: Path, registry: dict) -> None:
    write_atomic(root / REGISTRY, (json.dumps(registry, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def entries_of(registry: dict) -> list[dict]:
    return [e for e in registry["purutos"] if isinstance(e, dict)]


def find_entry(registry: dict, name: str) -> dict | None:
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


def read_dotenv(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        out[key.strip()] = value
    return out


def max_size_mb(root: Path) -> int | float:
    """MAX_SIZE_MB from the environment, else .env, else .env.example; 0 = no limit."""
    raw = os.environ.get("MAX_SIZE_MB") or read_dotenv(root / ".env").get("MAX_SIZE_MB") or read_dotenv(root / ".env.example").get("MAX_SIZE_MB") or "0"
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0 or not math.isfinite(value):
        raise VaultError(f'MAX_SIZE_MB must be a number of megabytes >= 0 (0 = no limit), got "{raw}": fix it in .env')
    return int(value) if value.is_integer() else value
