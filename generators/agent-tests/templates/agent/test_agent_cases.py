"""Runs every case of tests/agent/cases.yaml through the runner (see conftest.py).

One test per case, named by its id (`pytest tests/agent -k status` runs the cases whose
id contains "status"). A failure message always starts with "case <id>:".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from mock_runner import RunnerError, Skill

CASES_FILE = Path(__file__).with_name("cases.yaml")
KEYS = {"id", "prompt", "expect_skill", "expect_text"}


@dataclass(frozen=True)
class Case:
    id: str
    prompt: str = ""
    expect_skill: str = ""
    expect_text: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def parse_case(n: int, raw: object) -> Case:
    """One entry of `cases:`; whatever is wrong with it is kept in `problems`."""
    if not isinstance(raw, dict):
        return Case(f"#{n}", problems=(f"entry #{n} is not a mapping with id, prompt, expect_skill",))
    problems = []
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        problems.append(f"entry #{n} has no id (a short unique name, e.g. status-report)")
        cid = f"#{n}"
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(KEYS))})")
    prompt, skill = raw.get("prompt"), raw.get("expect_skill")
    if not isinstance(prompt, str) or not prompt.strip():
        problems.append("prompt is missing or empty")
    if not isinstance(skill, str) or not skill.strip():
        problems.append("expect_skill is missing or empty")
    text = raw.get("expect_text", [])
    if isinstance(text, str):
        text = [text]
    if not isinstance(text, list) or not all(isinstance(t, str) and t.strip() for t in text):
        problems.append("expect_text must be a non-empty string or a list of them")
        text = []
    return Case(
        cid.strip(),
        prompt if isinstance(prompt, str) else "",
        skill.strip() if isinstance(skill, str) else "",
        tuple(text),
        tuple(problems),
    )


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise pytest.UsageError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise pytest.UsageError(f"{path} must hold a `cases:` list")
    cases = [parse_case(n, raw) for n, raw in enumerate(data["cases"], start=1)]
    seen: dict[str, int] = {}
    for c in cases:
        seen[c.id] = seen.get(c.id, 0) + 1
    return [
        Case(
            c.id, c.prompt, c.expect_skill, c.expect_text, c.problems + (f"id {c.id!r} is used by {seen[c.id]} cases",)
        )
        if seen[c.id] > 1
        else c
        for c in cases
    ]


def normalised(text: str) -> str:
    """Case and line wrapping do not matter when looking for a fragment."""
    return " ".join(text.split()).lower()


def fail(case: Case, message: str) -> None:
    pytest.fail(f"case {case.id}: {message}", pytrace=False)


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, skills: dict[str, Skill], request: pytest.FixtureRequest) -> None:
    # A malformed case fails even when the runner is skipped (e.g. no Ollama server).
    if case.problems:
        fail(case, "; ".join(case.problems))
    if case.expect_skill not in skills:
        fail(case, f"unknown skill {case.expect_skill!r} (this repo has: {', '.join(sorted(skills))})")
    runner = request.getfixturevalue("runner")
    try:
        choice = runner.choose(case.prompt)
    except RunnerError as exc:
        fail(case, f"the {runner.label} runner failed: {exc}")
    if choice.skill != case.expect_skill:
        chosen = repr(choice.skill) if choice.skill else "no skill"
        fail(case, f"prompt {case.prompt!r} chose {chosen}, expected {case.expect_skill!r} [{choice.why}]")
    answer = normalised(choice.answer)
    missing = [t for t in case.expect_text if normalised(t) not in answer]
    if missing:
        path = skills[choice.skill].path
        where = path.relative_to(path.parents[3]).as_posix()
        fail(case, f"{', '.join(map(repr, missing))} not found in the answer of /{choice.skill} ({where})")
