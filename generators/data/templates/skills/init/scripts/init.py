#!/usr/bin/env python3
"""/init of puruto-data: prepare the vault. Creates what is missing, never overwrites.

Usage: python3 .claude/skills/init/scripts/init.py [--json] [--no-venv]
Steps: .env from .env.example, shared/ (with shared/.gitkeep), registry.json (empty
registry), a virtualenv only when requirements.txt exists; then it runs /status.
Exit codes: 0 done (nothing failed), 1 a step failed (the line says how to fix it).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Shared helpers live once, beside the /status script; vault.py is at the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "status" / "scripts"))
from puruto_env import Step, init_cli, run_named_steps, step_env, step_venv  # noqa: E402


def step_shared(root: Path) -> Step:
    shared = root / "shared"
    if shared.is_symlink() or (shared.exists() and not shared.is_dir()):
        return ("error", "shared/", "shared exists but is not a plain folder: move it aside and run /init again")
    existed = (shared / ".gitkeep").is_file()
    shared.mkdir(exist_ok=True)
    (shared / ".gitkeep").touch()
    return ("kept" if existed else "created", "shared/", "cross-domain data, open to every Puruto")


def step_registry(root: Path) -> Step:
    import vault_store  # beside vault.py at the repo root

    if (root / "registry.json").exists():
        try:
            count = len(vault_store.load_registry(root)["purutos"])
        except vault_store.VaultError as exc:
            return ("error", "registry.json", f"{exc} (it was not overwritten)")
        return ("kept", "registry.json", f"{count} Puruto(s) registered, not touched")
    with vault_store.locked(root), vault_store.registry_lock(root):
        if (root / "registry.json").exists():  # created meanwhile by a register: keep it
            return ("kept", "registry.json", "created meanwhile, not touched")
        vault_store.save_registry(root, vault_store.new_registry())
    return ("created", "registry.json", '{"version": "1", "purutos": []}')


def run_steps(root: Path) -> list[Step]:
    sys.path.insert(0, str(root))
    return run_named_steps(
        root,
        (
            ("env", lambda r: step_env(r, "MAX_SIZE_MB=0 means no size limit")),
            ("shared", step_shared),
            ("registry", step_registry),
            ("venv", lambda r: step_venv(r, "no requirements.txt: the vault needs only the Python standard library")),
        ),
    )


def main(argv: list[str] | None = None) -> int:
    return init_cli(__doc__, run_steps, argv)


if __name__ == "__main__":
    sys.exit(main())
