"""Agent tests setup: the repo's skills and the runner chosen by PURUTO_AGENT_TESTS.

PURUTO_AGENT_TESTS=mock (default): the deterministic mock runner, no LLM.
PURUTO_AGENT_TESTS=ollama: a local model through Ollama (see ollama_runner.py); the cases
are skipped, with the reason, when no Ollama server answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mock_runner import MockRunner, Skill, load_skills  # noqa: E402
from ollama_runner import OllamaRunner, OllamaUnavailable  # noqa: E402

RUNNERS = ("mock", "ollama")


def runner_mode() -> str:
    return os.environ.get("PURUTO_AGENT_TESTS", "").strip().lower() or "mock"


def pytest_report_header(config: pytest.Config) -> str:
    return f"agent tests runner: {runner_mode()} (PURUTO_AGENT_TESTS; one of {', '.join(RUNNERS)})"


@pytest.fixture(scope="session")
def skills() -> dict[str, Skill]:
    return load_skills()


@pytest.fixture(scope="session")
def runner(skills: dict[str, Skill]) -> MockRunner | OllamaRunner:
    mode = runner_mode()
    if mode == "mock":
        return MockRunner(skills)
    if mode == "ollama":
        try:
            ollama = OllamaRunner(skills)
            ollama.check()
        except OllamaUnavailable as exc:
            pytest.skip(str(exc))
        return ollama
    pytest.fail(f"PURUTO_AGENT_TESTS={mode!r} is not a runner: use one of {', '.join(RUNNERS)}", pytrace=False)
