"""Runs tests/agent/cases.yaml against the mock runner (or pytest -k to pick cases)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mock_runner import choose_skill, load_skills

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))["cases"]
SKILLS = load_skills()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict) -> None:
    expected = case["expect_skill"]
    assert expected in SKILLS, f"case {case['id']}: unknown skill {expected!r} (skills: {sorted(SKILLS)})"
    chosen = choose_skill(case["prompt"], SKILLS)
    assert chosen == expected, f"case {case['id']}: prompt chose {chosen!r}, expected {expected!r}"
    text = (SKILLS[expected]["description"] + SKILLS[expected]["body"]).lower()
    for fragment in case.get("expect_text", []):
        assert fragment.lower() in text, f"case {case['id']}: {fragment!r} not found in skill {expected!r}"
