#!/usr/bin/env python3
"""/list: list the skills of this Puruto from their SKILL.md frontmatter.

Usage: python3 .claude/skills/list/scripts/list_skills.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SKILLS = Path(__file__).resolve().parents[2]


def frontmatter(text: str) -> dict[str, object]:
    """The simple `key: value` fields of a YAML frontmatter block (no PyYAML needed)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    fields: dict[str, object] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line[:1] in (" ", "-", "#") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        value = value.strip().strip("'\"")
        fields[key.strip()] = {"true": True, "false": False}.get(value.lower(), value)
    return fields


def skills() -> list[dict[str, object]]:
    out = []
    for skill_md in sorted(SKILLS.glob("*/SKILL.md")):
        try:
            fm = frontmatter(skill_md.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            fm = {"description": f"(unreadable: {exc})"}
        out.append(
            {
                "name": fm.get("name") or skill_md.parent.name,
                "description": fm.get("description", "(no description)"),
                "user_invocable": fm.get("user-invocable") is True,
                "path": f".claude/skills/{skill_md.parent.name}/SKILL.md",
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the skills as JSON")
    args = parser.parse_args(argv)
    found = skills()
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        for s in found:
            print(f"/{s['name']:<16} {'invocable' if s['user_invocable'] else 'agent-only':<11} {s['description']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
