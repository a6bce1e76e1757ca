"""The stub adapter: a dry run: nothing runs (invoke() answers with a deterministic echo)."""

from __future__ import annotations

from .base import Adapter
from .command import parse_command

ADAPTER = Adapter(
    name="stub",
    binary="",
    rules="-",
    skills="-",
    syntax="-",
    permissions="nothing runs",
    setup="-",
    argv=lambda call: [],
    parse=parse_command,
    auto=False,
)
