"""Deterministic mock agent: routes a prompt to a skill from the SKILL.md frontmatter.

No LLM and no network. Like a real agent, it only looks at each skill's `name` and
`description` to decide, then "answers" with the chosen skill's instructions (the text an
agent would load and follow), so cases can check fragments of that answer.

How a prompt is routed, first rule that decides wins:
1. a skill invoked by name, e.g. "/status" (the first one in the prompt);
2. a skill whose name appears as words in the prompt, in any order ("add a note" for
   `add-note`); a longer name beats a shorter one ("list my notes" picks `list-notes`
   over `list`);
3. the best word overlap with the name and description: words are lower-cased, split on
   anything that is not a letter or digit, stripped of stop words and lightly stemmed
   ("notes" = "note", "started" = "start"); a word found in fewer skills weighs more,
   and a word of the name weighs three times a word of the description;
4. ties go to the skill whose name sorts first. A prompt sharing no word with any skill
   chooses no skill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[a-z0-9]+")
INVOKED = re.compile(r"(?<![\w/.-])/([a-z0-9]+(?:-[a-z0-9]+)*)")
FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
STOP = frozenset(
    "a about all an and any are as ask asks at be by can could do does for from get give "
    "has have how i if in is it its me my need of on or our please should so some that "
    "the their them there these this to use used user want we what when where which who "
    "why will with would you your".split()
)
NAME_WEIGHT = 3


class SkillError(Exception):
    """A SKILL.md that cannot be read as frontmatter + instructions."""


class RunnerError(Exception):
    """A runner could not answer a prompt (e.g. the model server returned an error)."""


@dataclass(frozen=True)
class Skill:
    name: str
    description: str
    body: str
    path: Path

    @property
    def instructions(self) -> str:
        """What an agent loads when it picks the skill: name, description, then the steps."""
        return f"/{self.name}: {self.description}\n\n{self.body.strip()}\n"


@dataclass(frozen=True)
class Choice:
    """The outcome of one prompt: the skill chosen (None: no skill), the answer, and why."""

    skill: str | None
    answer: str
    why: str


def load_skills(root: Path = ROOT) -> dict[str, Skill]:
    """Every `.claude/skills/*/SKILL.md` of the repo, by name (the folder name if unnamed)."""
    skills: dict[str, Skill] = {}
    for md in sorted((root / ".claude" / "skills").glob("*/SKILL.md")):
        match = FRONTMATTER.match(md.read_text(encoding="utf-8"))
        if not match:
            raise SkillError(f"{md}: no YAML frontmatter between '---' lines")
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise SkillError(f"{md}: frontmatter is not valid YAML: {exc}") from exc
        if not isinstance(meta, dict):
            raise SkillError(f"{md}: frontmatter is not a mapping")
        name = str(meta.get("name") or md.parent.name)
        skills[name] = Skill(name, " ".join(str(meta.get("description", "")).split()), match.group(2), md)
    return skills


def stem(word: str) -> str:
    """A light, consistent stemmer: plurals, -ing, -ed and a final -e go."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Stemmed words of a text, in order, stop words included."""
    return [stem(w) for w in WORD.findall(text.lower())]


def keywords(text: str) -> set[str]:
    """Stemmed words of a text that carry meaning (no stop words)."""
    return {stem(w) for w in WORD.findall(text.lower()) if w not in STOP}


class MockRunner:
    """Routes prompts to the given skills; the same prompt always gives the same choice."""

    label = "mock"

    def __init__(self, skills: dict[str, Skill]):
        self.skills = dict(sorted(skills.items()))
        self._name = {n: keywords(n.replace("-", " ")) for n in self.skills}
        self._vocab = {n: self._name[n] | keywords(s.description) for n, s in self.skills.items()}
        self._df: dict[str, int] = {}
        for vocab in self._vocab.values():
            for w in vocab:
                self._df[w] = self._df.get(w, 0) + 1

    def invoked(self, prompt: str) -> str | None:
        """The first known skill invoked as /name in the prompt."""
        for match in INVOKED.finditer(prompt.lower()):
            if match.group(1) in self.skills:
                return match.group(1)
        return None

    def scores(self, prompt: str) -> list[tuple[str, int, Fraction]]:
        """(skill, words of its name if all are in the prompt else 0, overlap score), best first."""
        said, asked = set(words(prompt)), keywords(prompt)
        rows = []
        for name in self.skills:
            parts = words(name.replace("-", " "))
            named = len(parts) if set(parts) <= said else 0
            score = sum(
                (Fraction(NAME_WEIGHT if w in self._name[name] else 1, self._df[w]) for w in asked & self._vocab[name]),
                Fraction(0),
            )
            rows.append((name, named, score))
        return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))

    def choose(self, prompt: str) -> Choice:
        named = self.invoked(prompt)
        if named:
            return Choice(named, self.skills[named].instructions, f"/{named} is invoked by name")
        ranked = self.scores(prompt)
        shown = ", ".join(f"{n} (name words {p}, score {float(s):.2f})" for n, p, s in ranked[:3] if p or s)
        if not ranked or not (ranked[0][1] or ranked[0][2]):
            return Choice(None, "", "the prompt shares no word with any skill's name or description")
        best = ranked[0][0]
        return Choice(best, self.skills[best].instructions, f"mock ranking: {shown}")


if __name__ == "__main__":
    import sys

    runner = MockRunner(load_skills())
    for line in sys.argv[1:] or sys.stdin:
        choice = runner.choose(line)
        print(f"{line.strip()!r} -> {choice.skill or '(no skill)'}  [{choice.why}]")
