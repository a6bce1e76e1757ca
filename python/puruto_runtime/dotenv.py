"""The one `.env` reader of the runtime, with python-dotenv's semantics (its 1.x grammar), so a
repo's settings read the same in the bot, the gateway, the scheduler and the invoker:

- `KEY=value`, `export KEY=value`, `'KEY'=value`; spaces around `=` are ignored;
- a line starting with `#` is a comment; `A=1 # note` is `1` (a `#` after white space starts a
  comment in an unquoted value; `A=#x` is `#x`; `A= # note` is empty);
- 'single quotes' keep their text (only \\\\ and \\' are escapes); "double quotes" decode
  \\\\ \\' \\" \\a \\b \\f \\n \\r \\t \\v; both may span several lines;
- `KEY=` is the empty string; a line without `=` (`KEY`) has no value (None);
- CRLF and CR line ends are line ends; a leading BOM is skipped; the last of duplicate keys wins;
- a line that cannot be parsed (e.g. an unclosed quote) is skipped, as python-dotenv does.
- interpolate=True expands ${NAME} and ${NAME:-default} as python-dotenv's dotenv_values does
  (earlier keys of the file, then the environment); off by default: settings are taken as written.

    parse(text) -> {key: value or None}
    read(path) -> the same for a file; {} when there is none; UnsafeRead for a FIFO, device, folder
"""

from __future__ import annotations

import os
import re

from .safe_read import DEFAULT_MAX_BYTES, read_text_or_none

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from collections.abc import Mapping

# The grammar's patterns, compiled on first use (re caches them): a call without a .env never pays for them.
_MULTILINE_WHITESPACE = r"(?m)\s*"
_WHITESPACE = r"[^\S\r\n]*"
_EXPORT = r"(?:export[^\S\r\n]+)?"
_SINGLE_QUOTED_KEY = r"'([^']+)'"
_UNQUOTED_KEY = r"([^=\#\s]+)"
_EQUAL_SIGN = r"(=[^\S\r\n]*)"
_SINGLE_QUOTED_VALUE = r"(?s)'((?:\\.|[^'\\])*)'"
_DOUBLE_QUOTED_VALUE = r'(?s)"((?:\\.|[^"\\])*)"'
_UNQUOTED_VALUE = r"([^\r\n]*)"
_COMMENT = r"(?:[^\S\r\n]*#[^\r\n]*)?"
_END_OF_LINE = r"[^\S\r\n]*(?:\r\n|\n|\r|$)"
_REST_OF_LINE = r"[^\r\n]*(?:\r|\n|\r\n)?"
_INLINE_COMMENT = r"\s+#.*"
_DOUBLE_QUOTE_ESCAPES = r"\\[\\'\"abfnrtv]"
_SINGLE_QUOTE_ESCAPES = r"\\[\\']"
_ESCAPED = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_VARIABLE = r"\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}"


class _NoMatch(Exception):
    """The text at the cursor is not what the grammar expects: the statement is skipped."""


class _Cursor:
    __slots__ = ("at", "text")

    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def take(self, pattern: str) -> str:
        """Consumes pattern at the cursor; its first group (or the whole match when it has none)."""
        compiled = re.compile(pattern)
        m = compiled.match(self.text, self.at)
        if m is None:
            raise _NoMatch
        self.at = m.end()
        return m.group(1) if compiled.groups else m.group(0)

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""


def _unescape(pattern: str, value: str) -> str:
    return re.sub(pattern, lambda m: _ESCAPED[m.group(0)[1]], value)


def _value(cursor: _Cursor) -> str:
    char = cursor.peek()
    if char == "'":
        return _unescape(_SINGLE_QUOTE_ESCAPES, cursor.take(_SINGLE_QUOTED_VALUE))
    if char == '"':
        return _unescape(_DOUBLE_QUOTE_ESCAPES, cursor.take(_DOUBLE_QUOTED_VALUE))
    if char in ("", "\n", "\r"):
        return ""
    return re.sub(_INLINE_COMMENT, "", cursor.take(_UNQUOTED_VALUE)).rstrip()


def _statement(cursor: _Cursor) -> tuple[str, str | None] | None:
    """One statement at the cursor: (key, value), or None for a blank, a comment or an error."""
    cursor.take(_MULTILINE_WHITESPACE)
    if cursor.at >= len(cursor.text):
        return None
    cursor.take(_EXPORT)
    if cursor.peek() == "#":
        key = None
    elif cursor.peek() == "'":
        key = cursor.take(_SINGLE_QUOTED_KEY)
    else:
        key = cursor.take(_UNQUOTED_KEY)
    cursor.take(_WHITESPACE)
    value: str | None = None
    if cursor.peek() == "=":
        equal_sign = cursor.take(_EQUAL_SIGN)
        # `KEY= # note`: white space, then "#": an empty value and a comment (`KEY=#x` is "#x").
        value = "" if len(equal_sign) > 1 and cursor.peek() == "#" else _value(cursor)
    cursor.take(_COMMENT)
    cursor.take(_END_OF_LINE)
    return None if key is None else (key, value)


def _interpolate(statements: list[tuple[str, str | None]], environ: Mapping[str, str]) -> dict[str, str | None]:
    """${NAME} / ${NAME:-default}, statement by statement: the file's earlier keys win over the environment."""
    out: dict[str, str | None] = {}

    def resolve(m: re.Match[str]) -> str:
        name, default = m.group("name"), m.group("default")
        found = out[name] if name in out else environ.get(name, default if default is not None else "")
        return found if found is not None else ""

    for key, value in statements:
        out[key] = None if value is None else re.sub(_VARIABLE, resolve, value)
    return out


def _statements(text: str) -> list[tuple[str, str | None]]:
    cursor = _Cursor(text.removeprefix("\ufeff"))
    found: list[tuple[str, str | None]] = []
    while cursor.at < len(cursor.text):
        start = cursor.at
        try:
            statement = _statement(cursor)
        except _NoMatch:
            cursor.at = start
            cursor.take(_REST_OF_LINE)  # python-dotenv skips the statement (with a warning)
            continue
        if statement is not None:
            found.append(statement)
    return found


def parse(text: str, interpolate: bool = False, environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The KEY -> value pairs of a .env text (None for a key without `=`); the last duplicate wins."""
    statements = _statements(text)
    if interpolate:
        return _interpolate(statements, os.environ if environ is None else environ)
    return dict(statements)


def read(
    path: str | os.PathLike[str],
    interpolate: bool = False,
    environ: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, str | None]:
    """parse() of the .env file at path; {} when there is none. Never blocks: a FIFO, a device or a
    folder raises safe_read.UnsafeRead, a file over max_bytes too; UnicodeDecodeError when not UTF-8."""
    text = read_text_or_none(path, max_bytes)
    return {} if text is None else parse(text, interpolate, environ)


def settings_of(path: str | os.PathLike[str]) -> dict[str, str]:
    """The values of a .env file that have one (`KEY` alone is left out), for settings."""
    return {k: v for k, v in read(path).items() if v is not None}
