"""Deterministic mock agent: picks the skill whose SKILL.md description best matches a prompt.

No LLM: words of the prompt are scored against each skill's name and description.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[a-z0-9]+")
STOP = {"the", "a", "an", "and", "or", "of", "to", "for", "is", "it", "this", "me", "with", "what", "how", "do", "i", "use", "when"}


def load_skills(root: Path = ROOT) -> dict[str, dict]:
    skills = {}
    for md in sorted((root / ".claude" / "skills").glob("*/SKILL.md")):
        text = md.read_text(encoding="utf-8")
        _, fm, body = text.split("---", 2)
        meta = yaml.safe_load(fm) or {}
        skills[str(meta.get("name", md.parent.name))] = {"description": str(meta.get("description", "")), "body": body}
    return skills


def words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def choose_skill(prompt: str, skills: dict[str, dict]) -> str | None:
    asked = words(prompt)
    scored = sorted(((len(asked & (words(s["description"]) | {name})), name) for name, s in skills.items()), reverse=True)
    return scored[0][1] if scored and scored[0][0] > 0 else None
