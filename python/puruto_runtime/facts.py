"""The adapter table as data: what the docs of every repo are made from.

`python3 -m puruto_runtime.facts` writes adapters.json beside this file (committed: the generator's
TypeScript reads it for .env.example, the READMEs and doctor); `--check` exits 1 when the file and
the adapter modules disagree. `invoker.py --adapters` prints the same list."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .adapters import all_adapters

FIELDS = ("name", "binary", "rules", "skills", "syntax", "permissions", "setup", "auto")
FACTS_FILE = Path(__file__).resolve().parent / "adapters.json"


def adapter_facts() -> list[dict[str, str | bool]]:
    """The table as data (`invoker.py --adapters`): what the docs of every repo are made from."""
    return [{k: getattr(a, k) for k in FIELDS} for a in all_adapters()]


def facts_json() -> str:
    """adapters.json as it must read."""
    return json.dumps(adapter_facts(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--check"]:
        current = FACTS_FILE.read_text(encoding="utf-8") if FACTS_FILE.is_file() else ""
        if current != facts_json():
            print(f"{FACTS_FILE} is out of date: run python3 -m puruto_runtime.facts", file=sys.stderr)
            return 1
        return 0
    if argv:
        print("usage: python3 -m puruto_runtime.facts [--check]", file=sys.stderr)
        return 2
    FACTS_FILE.write_text(facts_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
