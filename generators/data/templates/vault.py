#!/usr/bin/env python3
"""vault.py: the runtime of puruto-data, the private data vault (standard library only).

Agents and other Purutos run these commands instead of editing registry.json by hand:

  python3 vault.py register <puruto-name> [--path PATH [--force]] [--commands a,b,...] [--json]
  python3 vault.py write --as <puruto-name> <path> [--from FILE | --text TEXT] [--json]
  python3 vault.py read <path> [--json]
  python3 vault.py status [--json]
  python3 vault.py check [--json]

<path> is relative to the vault folder (the folder of this file), e.g.
`puruto-notes/2024/summary.md` or `shared/contacts.json`. `write` reads the content
from --from FILE, --text TEXT or standard input, and writes only inside the caller's own
folder or shared/. MAX_SIZE_MB (environment, else .env, else .env.example; 0 = no
limit) caps the total size of the vault's data; `write` stops reading its content there.
`register` of a name already registered keeps its path: moving it to another --path needs
--force (and says what changed). It warns when the Puruto's repo does not exist or is
outside the ecosystem folder (the vault's parent); `check` reports both.

Exit codes: 0 ok; 1 refused or a problem found (message on stderr); 2 usage error.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from vault_store import (
    DEFAULT_COMMANDS,
    MB,
    REGISTRY,
    SHARED,
    VAULT,
    VaultError,
    check_name,
    command_problem,
    count_files,
    data_size,
    entries_of,
    field_problem,
    find_entry,
    folder_of,
    inside_ecosystem,
    kind_of,
    load_registry,
    locked,
    max_size_mb,
    no_links,
    parts_of,
    read_limited,
    registry_lock,
    registry_problems,
    repo_path,
    save_registry,
    stored_path,
    write_in_vault,
)

# ---------------------------------------------------------------- commands


def register(
    root: Path, name: str, path: str | None = None, commands: list[str] | None = None, force: bool = False
) -> dict[str, Any]:
    """Adds an entry and <folder>/.gitkeep. Idempotent: an existing entry is kept (an explicit
    --commands that differs is updated). Moving an existing entry's path needs force=True:
    without it, a call could point another Puruto's agent at any folder (a registry hijack)."""
    check_name(name)
    if commands is not None and not commands:
        raise VaultError(
            "--commands is empty: give the commands the gateway may call, e.g. init,help,list,status "
            "(or leave --commands out for those four)",
            2,
        )
    for command in commands or []:
        problem = command_problem(command)
        if problem:
            raise VaultError(
                f'"{command}" is not a command name ({problem}): lowercase letters, digits and single hyphens'
            )
    where = stored_path(root, path) if path is not None else f"../{name}"
    with locked(root), registry_lock(root):
        registry = load_registry(root, missing_ok=True)
        entry = find_entry(registry, name)
        previous: dict[str, Any] = {}
        if entry is None:
            entry = {
                "name": name,
                "folder": name,
                "registered_at": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "path": where,
                "kind": kind_of(name),
                "commands": commands or list(DEFAULT_COMMANDS),
            }
            registry["purutos"].append(entry)
            outcome, updates = "registered", dict(entry)
        else:
            updates = {}
            if path is not None and entry.get("path") != where:
                if not force:
                    raise VaultError(
                        f"{name} is already registered with path {json.dumps(entry.get('path'))}; "
                        f"--path would change it to {json.dumps(where)}: add --force to move it "
                        "(nothing was changed)"
                    )
                updates["path"] = where
            if commands is not None and entry.get("commands") != commands:
                updates["commands"] = commands
            previous = {k: entry.get(k) for k in updates}
            entry.update(updates)
            outcome = "updated" if updates else "already-registered"
        folder = folder_of(entry)
        if folder is None:
            raise VaultError(
                f'the entry of {name} in {REGISTRY} has no usable "folder" (a plain folder name): fix it '
                "by hand, then run `python3 vault.py check`"
            )
        directory = root / folder
        if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
            raise VaultError(
                f"{folder} exists in the vault but is not a plain folder: move it aside and register again"
            )
        directory.mkdir(exist_ok=True)
        (directory / ".gitkeep").touch()
        if updates:
            save_registry(root, registry)
    changed = sorted(updates) if outcome == "updated" else []
    return {
        "status": outcome,
        "changed": changed,
        "previous": {k: previous[k] for k in changed},
        "entry": entry,
        "warnings": repo_warnings(root, entry),
    }


def repo_warnings(root: Path, entry: dict[str, Any]) -> list[str]:
    """What IPC and the gateway will not be able to use: a repo folder that does not exist,
    or one outside the ecosystem folder (the vault's parent)."""
    stored = entry.get("path")
    if not isinstance(stored, str) or not stored.strip():
        return []
    repo = repo_path(root, stored)
    if not inside_ecosystem(root, repo):
        return [
            f"{repo} is outside the ecosystem folder {root.resolve().parent}: IPC and the gateway refuse it "
            f"unless PURUTO_ECOSYSTEM_ROOTS lists its folder"
        ]
    if not repo.is_dir():
        return [
            f"{repo} does not exist (yet): IPC, the gateway and Telegram's add-channel cannot reach "
            f"{entry['name']} until its repo is there (create it with `puruto new {entry['name']}`, or give "
            "--path)"
        ]
    return []


def write(root: Path, as_name: str, rel: str, data: bytes) -> dict[str, Any]:
    """Writes a file inside the caller's own folder or shared/, within MAX_SIZE_MB."""
    check_name(as_name)
    parts = parts_of(rel)
    registry = load_registry(root)
    entry = find_entry(registry, as_name)
    if entry is None:
        raise VaultError(f"{as_name} is not registered in this vault: run `python3 vault.py register {as_name}` first")
    own = folder_of(entry)
    if own is None:
        raise VaultError(f'the entry of {as_name} in {REGISTRY} has no usable "folder": run `python3 vault.py check`')
    if parts[0] not in (own, SHARED):
        raise VaultError(f"{as_name} may write only inside {own}/ or {SHARED}/, not {'/'.join(parts)}")
    if len(parts) < 2:
        raise VaultError(f"give a file inside {parts[0]}/, e.g. {parts[0]}/notes.md")
    target = no_links(root, parts)
    if target.exists() and not target.is_file():
        raise VaultError(f"{'/'.join(parts)} is a folder, not a file")
    for i in range(2, len(parts)):
        if root.joinpath(*parts[:i]).is_file():
            raise VaultError(f"{'/'.join(parts[:i])} is a file, so it cannot hold {'/'.join(parts)}")
    with locked(root):
        limit = max_size_mb(root)
        after = data_size(root) - (target.stat().st_size if target.is_file() else 0) + len(data)
        if limit and after > limit * MB:
            raise VaultError(
                f"refused: the vault's data would be {after} bytes, over MAX_SIZE_MB={limit} "
                f"({int(limit * MB)} bytes); nothing was written (free space, or raise MAX_SIZE_MB in "
                ".env)"
            )
        # The checks above are advice; this is the guarantee: every folder is opened without
        # following links, so one swapped for a link meanwhile cannot lead the write outside.
        write_in_vault(root, parts, data)
    return {"status": "ok", "path": "/".join(parts), "bytes": len(data), "vault_bytes": after, "max_size_mb": limit}


def read(root: Path, rel: str) -> tuple[str, bytes | list[str]]:
    """("file", bytes) or ("dir", [vault-relative file paths]) of a path inside the vault."""
    parts = parts_of(rel)
    target = no_links(root, parts)
    if target.is_dir():
        found = sorted(
            Path(dirpath, f).relative_to(root).as_posix()
            for dirpath, dirs, files in os.walk(target)
            for f in files
            if not f.startswith(".")
        )
        return "dir", found
    if not target.is_file():
        raise VaultError(
            f"{'/'.join(parts)} is not in the vault (run `python3 vault.py read {parts[0]}` to list a folder)"
        )
    return "file", target.read_bytes()


def check(root: Path) -> dict[str, Any]:
    """Entries without folders, puruto-* folders without entries, malformed entries, entries
    whose repo is missing or outside the ecosystem; `repairs`: the command fixing each."""
    registry = load_registry(root)
    invalid = registry_problems(registry)
    folders = {f for f in (folder_of(e) for e in entries_of(registry)) if f is not None}
    without_folders = sorted(f for f in folders if not (root / f).is_dir())
    on_disk = {c.name for c in root.iterdir() if c.is_dir() and c.name.startswith("puruto-")}
    without_entries = sorted(on_disk - folders)
    without_repos = [
        f"{e['name']}: {w}"
        for e in entries_of(registry)
        if isinstance(e.get("name"), str)
        for w in repo_warnings(root, e)
    ]
    repairs = [f"python3 vault.py register {f}" for f in without_folders if not field_problem("name", f)]
    repairs += [
        f"python3 vault.py register {f}   # or move {f}/ out of the vault if it is not a Puruto's data"
        for f in without_entries
        if not field_problem("name", f)
    ]
    ok = not (invalid or without_folders or without_entries or without_repos)
    return {
        "ok": ok,
        "entries": len(registry["purutos"]),
        "entries_without_folders": without_folders,
        "folders_without_entries": without_entries,
        "invalid_entries": invalid,
        "entries_without_repos": without_repos,
        "repairs": repairs,
    }


def status(root: Path) -> dict[str, Any]:
    """Counts for /status; never raises: problems are reported in `problems`."""
    report: dict[str, Any] = {
        "path": str(root),
        "registry": "ok",
        "registered": 0,
        "purutos": [],
        "shared_files": count_files(root / SHARED),
        "size_bytes": 0,
        "max_size_mb": None,
        "problems": [],
    }
    try:
        registry = load_registry(root)
    except VaultError as exc:
        report["registry"] = "missing" if not (root / REGISTRY).exists() else "invalid"
        report["problems"].append(str(exc))
        registry = None
    if registry is not None:
        report["registered"] = len(entries_of(registry))
        for entry in entries_of(registry):
            folder = folder_of(entry)
            report["purutos"].append(
                {
                    "name": entry.get("name"),
                    "folder": folder,
                    "folder_exists": bool(folder and (root / folder).is_dir()),
                    "files": count_files(root / folder) if folder else 0,
                }
            )
        found = check(root)
        report["problems"] += [
            f"{f}/ is registered but the folder is missing: run `python3 vault.py register {f}` to recreate it"
            for f in found["entries_without_folders"]
        ]
        report["problems"] += [
            f"{f}/ has no entry in {REGISTRY}: run `python3 vault.py register {f}` or move it out"
            for f in found["folders_without_entries"]
        ]
        report["problems"] += [f"{REGISTRY}: {p}" for p in found["invalid_entries"]]
        report["problems"] += [f"{REGISTRY} entry {p}" for p in found["entries_without_repos"]]
    if not (root / SHARED).is_dir():
        report["problems"].append(f"{SHARED}/ is missing: run /init to create it")
    report["size_bytes"] = data_size(root)
    try:
        report["max_size_mb"] = max_size_mb(root)
        if report["max_size_mb"] and report["size_bytes"] > report["max_size_mb"] * MB:
            report["problems"].append(
                f"the vault's data is {report['size_bytes']} bytes, over "
                f"MAX_SIZE_MB={report['max_size_mb']}: writes are refused until it shrinks"
            )
    except VaultError as exc:
        report["problems"].append(str(exc))
    return report


# ---------------------------------------------------------------- command line


def _human(command: str, result: dict[str, Any]) -> str:
    if command == "register":
        e = result["entry"]
        if result["status"] == "already-registered":
            return f"{e['name']} was already registered: nothing changed (folder {e['folder']}/)"
        if result["status"] == "updated":
            return f"updated {e['name']}: " + ", ".join(
                f"{k} {json.dumps(result['previous'][k])} -> {json.dumps(e[k])}" for k in result["changed"]
            )
        return (
            f"registered {e['name']}: folder {e['folder']}/, path {e['path']}, kind {e['kind']}, commands "
            f"{', '.join(e['commands'])}"
        )
    if command == "write":
        limit = f"MAX_SIZE_MB={result['max_size_mb']}" if result["max_size_mb"] else "no MAX_SIZE_MB limit"
        return (
            f"wrote {result['path']} ({result['bytes']} bytes; vault data now {result['vault_bytes']} bytes, {limit})"
        )
    if command == "check":
        if result["ok"]:
            return f"ok: {result['entries']} entries, each with its folder, and no unregistered puruto-* folder"
        lines = [
            f"entry without folder: {f}/ (run `python3 vault.py register {f}` to recreate it)"
            for f in result["entries_without_folders"]
        ]
        lines += [
            f"folder without entry: {f}/ (run `python3 vault.py register {f}` to list it, e.g. after an "
            "interrupted register, or move it out of the vault)"
            for f in result["folders_without_entries"]
        ]
        lines += [f"invalid entry: {p}" for p in result["invalid_entries"]]
        lines += [f"entry whose repo cannot be used: {p}" for p in result["entries_without_repos"]]
        if result["repairs"]:
            lines += ["to repair, run in this folder:"] + [f"  {r}" for r in result["repairs"]]
        return "\n".join(lines)
    # status
    limit = f"of MAX_SIZE_MB={result['max_size_mb']}" if result["max_size_mb"] else "(no MAX_SIZE_MB limit)"
    lines = [f"registered Purutos: {result['registered']}"]
    for p in result["purutos"]:
        lines.append(f"  {p['name']:<24} {p['files']} file(s)" + ("" if p["folder_exists"] else "  (folder missing)"))
    lines.append(f"shared/: {result['shared_files']} file(s)")
    lines.append(f"data size: {result['size_bytes']} bytes {limit}")
    lines += [f"problem: {p}" for p in result["problems"]]
    return "\n".join(lines)


def _content(args: argparse.Namespace, root: Path) -> bytes:
    """The content to write, read no further than MAX_SIZE_MB allows (a device or an endless
    pipe cannot fill the memory)."""
    limit = max_size_mb(root)
    cap = int(limit * MB) if limit else None
    if args.source is not None:
        return read_limited(args.source, cap, "--from " + args.source)
    if args.text is not None:
        text: str = args.text
        return text.encode("utf-8")
    if sys.stdin is None or sys.stdin.isatty():
        raise VaultError("give the content with --from FILE, --text TEXT or on standard input", 2)
    return read_limited(sys.stdin.buffer, cap, "standard input")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vault.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="{register,write,read,status,check}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    r = sub.add_parser("register", parents=[common], help="register a Puruto: entry in registry.json and its folder")
    r.add_argument("name", help="puruto-<name>")
    r.add_argument("--path", help="where the Puruto's repo is (default ../<name>); stored relative to the vault")
    r.add_argument("--commands", help="comma-separated commands the gateway may call (default init,help,list,status)")
    r.add_argument("--force", action="store_true", help="allow --path to move an entry that is already registered")
    w = sub.add_parser("write", parents=[common], help="write a file in your own folder or shared/")
    w.add_argument("--as", dest="as_name", required=True, metavar="PURUTO", help="the registered Puruto writing")
    w.add_argument("path", help="vault-relative file path, e.g. puruto-notes/today.md or shared/x.json")
    source = w.add_mutually_exclusive_group()
    source.add_argument("--from", dest="source", metavar="FILE", help="read the content from FILE (default: stdin)")
    source.add_argument("--text", help="the content itself")
    rd = sub.add_parser("read", parents=[common], help="print a file, or list a folder, of the vault")
    rd.add_argument("path", help="vault-relative path")
    sub.add_parser("status", parents=[common], help="registered Purutos, files per folder, files in shared/")
    sub.add_parser("check", parents=[common], help="entries without folders, folders without entries (exit 1 when any)")
    return p


def run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "read":
        _, value = read(root, args.path)
        if isinstance(value, list):  # ("dir", the folder's files)
            listing = {"path": "/".join(parts_of(args.path)), "files": value}
            print(json.dumps(listing, indent=2) if args.json else "\n".join(value))
        elif args.json:
            try:
                print(
                    json.dumps(
                        {"path": "/".join(parts_of(args.path)), "bytes": len(value), "content": value.decode("utf-8")},
                        indent=2,
                        ensure_ascii=False,
                    )
                )
            except UnicodeDecodeError:
                raise VaultError(f"{args.path} is not UTF-8 text: read it without --json")
        else:
            sys.stdout.buffer.write(value)
            sys.stdout.flush()
        return 0
    if args.command == "register":
        commands = [c.strip() for c in args.commands.split(",") if c.strip()] if args.commands is not None else None
        result = register(root, args.name, args.path, commands, force=args.force)
    elif args.command == "write":
        result = write(root, args.as_name, args.path, _content(args, root))
    elif args.command == "check":
        result = check(root)
    else:
        result = status(root)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else _human(args.command, result))
    for warning in result.get("warnings", []) if args.command == "register" else []:
        print(f"vault.py register: warning: {warning}", file=sys.stderr)
    return 1 if args.command == "check" and not result["ok"] else 0


def main(argv: list[str] | None = None, root: Path = VAULT) -> int:
    args = parser().parse_args(argv)  # usage errors: argparse prints them and exits 2
    try:
        return run(args, root)
    except (VaultError, OSError) as exc:
        code = exc.code if isinstance(exc, VaultError) else 1
        message = (
            str(exc) if isinstance(exc, VaultError) else f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        )
        print(f"vault.py {args.command}: {message}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"status": "error", "error": message}))
        return code
    except Exception as exc:  # a bug, not a refusal: still one line unless asked for more
        if os.environ.get("PURUTO_DEBUG"):
            raise
        print(
            f"vault.py {args.command}: unexpected error {exc!r}; run again with PURUTO_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    # a lone surrogate from a file: escaped, not a crash
    cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
    sys.exit(main())
