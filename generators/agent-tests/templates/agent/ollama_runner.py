"""Optional runner backed by a local model served by Ollama (standard library only).

Used when PURUTO_AGENT_TESTS=ollama. The model is shown the skills (name: description)
and the prompt, and asked which skill fits; its answer is parsed into a skill name, and
the chosen skill's instructions become the answer that cases check, as with the mock.

Environment:
  OLLAMA_HOST                  server, default http://127.0.0.1:11434 ("host:port" works too)
  PURUTO_AGENT_TESTS_MODEL     model, default llama3.2 (pull it first: ollama pull llama3.2)
  PURUTO_AGENT_TESTS_TIMEOUT   seconds to wait for one answer, default 120

`check()` asks the server for its models with a 2-second timeout and raises
OllamaUnavailable (the tests then skip, with the reason) when nothing answers, when the
answer is not Ollama's, or when the model is not pulled.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from mock_runner import Choice, RunnerError, Skill

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_MODEL = "llama3.2"
DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 2.0

SYSTEM = """You route user requests to the skills of an AI agent.
The skills, one per line as "name: description":
{skills}

Reply with JSON only: {{"skill": "<name>"}} with the one skill that best fits the
user's request, or {{"skill": "none"}} when no skill fits."""


class OllamaUnavailable(Exception):
    """No usable Ollama server: the agent tests skip with this reason."""


def base_url(host: str | None = None) -> str:
    """OLLAMA_HOST as a URL: a scheme and port are added as Ollama does, 0.0.0.0 means local."""
    raw = (host if host is not None else os.environ.get("OLLAMA_HOST", "")).strip() or DEFAULT_HOST
    if "://" not in raw:
        raw = f"http://{raw}"
    parts = urllib.parse.urlsplit(raw)
    hostname = parts.hostname or "127.0.0.1"
    if hostname in ("0.0.0.0", "::"):
        hostname = "127.0.0.1"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 11434)
    except ValueError as exc:
        raise OllamaUnavailable(f"OLLAMA_HOST={raw!r} is not a valid address: {exc}") from None
    shown = f"[{hostname}]" if ":" in hostname else hostname
    return f"{parts.scheme}://{shown}:{port}{parts.path.rstrip('/')}"


def parse_skill(reply: str, names: list[str]) -> str | None:
    """The skill a model's reply names: JSON {"skill": ...} first, else the first name in the text."""
    try:
        data = json.loads(reply)
    except ValueError:
        data = None
    if isinstance(data, dict):
        value = data.get("skill", data.get("name"))
        if isinstance(value, str):
            wanted = value.strip().lstrip("/").lower()
            if wanted in names:
                return wanted
            if wanted in ("", "none", "null"):
                return None
    found = []
    for name in names:
        match = re.search(rf"(?<![a-z0-9-]){re.escape(name)}(?![a-z0-9-])", reply.lower())
        if match:
            found.append((match.start(), -len(name), name))
    return min(found)[2] if found else None


class OllamaRunner:
    """Asks a local model which skill fits each prompt."""

    def __init__(self, skills: dict[str, Skill], host: str | None = None, model: str | None = None):
        self.skills = dict(sorted(skills.items()))
        self.url = base_url(host)
        self.model = (model or os.environ.get("PURUTO_AGENT_TESTS_MODEL", "")).strip() or DEFAULT_MODEL
        try:
            self.timeout = float(os.environ.get("PURUTO_AGENT_TESTS_TIMEOUT", "") or DEFAULT_TIMEOUT)
        except ValueError:
            self.timeout = DEFAULT_TIMEOUT
        self.label = f"ollama ({self.model} at {self.url})"

    def _request(self, path: str, body: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(f"{self.url}{path}", data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            answer: dict[str, Any] = json.loads(resp.read().decode("utf-8"))
            return answer

    def check(self) -> None:
        """Raises OllamaUnavailable unless the server answers and has the model."""
        where = f"Ollama is not reachable at {self.url}"
        hint = "start it with `ollama serve`, set OLLAMA_HOST, or unset PURUTO_AGENT_TESTS to use the mock runner"
        try:
            tags = self._request("/api/tags", None, CONNECT_TIMEOUT)
        except urllib.error.HTTPError as exc:
            raise OllamaUnavailable(f"{where} (HTTP {exc.code} on /api/tags): {hint}") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise OllamaUnavailable(f"{where} ({reason}): {hint}") from None
        except ValueError:
            raise OllamaUnavailable(f"{where} (/api/tags did not answer JSON): {hint}") from None
        models = tags.get("models") if isinstance(tags, dict) else None
        if not isinstance(models, list):
            raise OllamaUnavailable(f"{where} (/api/tags has no model list): {hint}")
        have = {str(m.get(k, "")) for m in models if isinstance(m, dict) for k in ("name", "model")}
        want = self.model if ":" in self.model else f"{self.model}:latest"
        if self.model not in have and want not in have:
            raise OllamaUnavailable(
                f"model {self.model!r} is not available on {self.url}: run `ollama pull {self.model}` "
                "or set PURUTO_AGENT_TESTS_MODEL to one of: " + (", ".join(sorted(h for h in have if h)) or "(none)")
            )

    def choose(self, prompt: str) -> Choice:
        listing = "\n".join(f"{s.name}: {s.description}" for s in self.skills.values())
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": SYSTEM.format(skills=listing)},
                {"role": "user", "content": prompt},
            ],
            "stream": False,
            "format": "json",
            "options": {"temperature": 0, "seed": 0},
        }
        try:
            reply = self._request("/api/chat", body, self.timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            raise RunnerError(f"{self.label}: HTTP {exc.code} on /api/chat: {detail}") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            raise RunnerError(f"{self.label}: /api/chat failed: {getattr(exc, 'reason', exc)}") from None
        except ValueError:
            raise RunnerError(f"{self.label}: /api/chat did not answer JSON") from None
        message = reply.get("message") if isinstance(reply, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            raise RunnerError(f"{self.label}: no message.content in the answer: {json.dumps(reply)[:300]}")
        skill = parse_skill(content, list(self.skills))
        answer = self.skills[skill].instructions if skill else ""
        return Choice(skill, answer, f"{self.model} replied {content.strip()[:200]!r}")
