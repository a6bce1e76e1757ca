"""The JSON Schema checker of this Puruto: the rules of its JSON files are the schemas in
.puruto-schemas/<name>.schema.json, the very ones `puruto validate --strict` applies (the generator
writes them from its lib/schemas/definitions.ts), so the runtime and the validator cannot
drift apart. Edit a schema there, not a copy of its rules in Python.

Why not the `jsonschema` package: this repo's runtime needs nothing from PyPI for its config
files, and our schemas use a small subset of draft-07, checked here in full:
type (names or a list; "integer" is a number without a fraction, never true/false), required,
properties, additionalProperties, items (one schema), pattern, minLength, maxLength, minimum,
maximum, exclusiveMinimum, minItems, uniqueItems. Any other keyword raises SchemaFileError, so
a schema that grows a keyword fails loudly instead of being half applied. As `puruto validate`
does (ECMAScript regexes, ajv with unicode off): `pattern` is searched, not matched; "$" is the
end of the text, "." and "\\s" are ECMAScript's; string lengths count UTF-16 units.

    problems(value, load("jobs")) -> [Problem], empty when valid
    str(problem) -> "jobs[0].job_id: at most 64 characters, got 70"
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .safe_read import read_text

ROOT = Path(__file__).resolve().parents[1]  # the repo that vendors this package (puruto_runtime/..)
SCHEMAS = ".puruto-schemas"
CHECKED = (
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "minItems",
    "uniqueItems",
)
ANNOTATIONS = ("$id", "$schema", "$comment", "title", "description", "default", "examples")
TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}
# ECMAScript's white space and line terminators (its \s), and what its "." does not match.
ECMA_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
ECMA_NOT_DOT = "\\n\\r\\u2028\\u2029"
# Escapes whose meaning differs between ECMAScript and Python: refused rather than guessed.
UNSUPPORTED = "dDwWbB"


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# What each keyword's own value must be, so a malformed schema fails loudly too.
SHAPES: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("type", lambda v: isinstance(v, (str, list)), "a type name or a list of them"),
    ("required", lambda v: isinstance(v, list) and all(isinstance(k, str) for k in v), "a list of key names"),
    ("properties", lambda v: isinstance(v, dict), "an object of schemas"),
    ("additionalProperties", lambda v: isinstance(v, (bool, dict)), "true, false or a schema"),
    ("items", lambda v: isinstance(v, dict), "one schema (the list form is not supported)"),
    ("pattern", lambda v: isinstance(v, str), "a string"),
    ("minLength", _count, "a whole number >= 0"),
    ("maxLength", _count, "a whole number >= 0"),
    ("minItems", _count, "a whole number >= 0"),
    ("minimum", _number, "a number"),
    ("maximum", _number, "a number"),
    ("exclusiveMinimum", _number, "a number (draft-07)"),
    ("uniqueItems", lambda v: isinstance(v, bool), "true or false"),
)


class SchemaFileError(ValueError):
    """A schema file is missing, not JSON, or uses a keyword or regex this checker does not know."""


@dataclass(frozen=True)
class Problem:
    """One rule a value breaks: where (keys and indexes), which keyword, what is expected."""

    path: tuple[str | int, ...]
    keyword: str
    message: str

    @property
    def where(self) -> str:
        out = ""
        for step in self.path:
            if isinstance(step, int):
                out += f"[{step}]"
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", step):
                out += f".{step}" if out else step
            else:
                out += f"[{json.dumps(step)}]"
        return out

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.path else self.message


def load(name: str, root: Path = ROOT) -> dict[str, Any]:
    """.puruto-schemas/<name>.schema.json of this repo, its keywords checked (SchemaFileError if unusable)."""
    path = root / SCHEMAS / f"{name}.schema.json"
    try:
        schema = json.loads(read_text(path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SchemaFileError(
            f"{SCHEMAS}/{path.name} cannot be read ({exc}): restore it with `git checkout "
            f"{SCHEMAS}/{path.name}` or `puruto update`"
        ) from None
    check_schema(schema, f"{SCHEMAS}/{path.name}")
    checked: dict[str, Any] = schema  # check_schema refuses anything but an object
    return checked


def check_schema(schema: object, source: str = "the schema") -> None:
    """SchemaFileError unless every keyword of every sub-schema is one this checker applies."""
    if not isinstance(schema, dict):
        raise SchemaFileError(f"{source}: a schema must be an object, got {json.dumps(schema)}")
    unknown = sorted(set(schema) - set(CHECKED) - set(ANNOTATIONS))
    if unknown:
        raise SchemaFileError(
            f"{source}: keyword {unknown[0]!r} is not supported by json_schema.py: "
            "teach it the keyword (with a test) before using it"
        )
    for key, ok, what in SHAPES:
        if key in schema and not ok(schema[key]):
            raise SchemaFileError(f"{source}: {key!r} must be {what}, got {json.dumps(schema[key])}")
    types = schema.get("type", [])
    for t in types if isinstance(types, list) else [types]:
        if t not in TYPES:
            raise SchemaFileError(f"{source}: unknown type {t!r}")
    if "pattern" in schema:
        ecma_regex(schema["pattern"])
    for sub in (schema.get("properties") or {}).values():
        check_schema(sub, source)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            check_schema(schema[key], source)


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """An ECMAScript pattern (no flags) as the Python regex with the same verdict."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            if e in UNSUPPORTED:
                raise SchemaFileError(
                    f"pattern {pattern!r}: \\{e} differs between ECMAScript and Python: spell it out "
                    "as a character class such as [0-9]"
                )
            if e in "sS":
                if in_class and e == "S":
                    raise SchemaFileError(f"pattern {pattern!r}: \\S inside [...] is not supported")
                out.append(ECMA_SPACE if in_class else f"[{'^' if e == 'S' else ''}{ECMA_SPACE}]")
            else:
                out.append(c + e)
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            after = i + 1
            if pattern[after:][:2] in ("]", "^]"):  # [] and [^] mean other things in Python
                raise SchemaFileError(f"pattern {pattern!r}: [] and [^] are not supported")
        elif c == "$":
            out.append(r"\Z")
        elif c == ".":
            out.append(f"[^{ECMA_NOT_DOT}]")
        else:
            out.append(c)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise SchemaFileError(f"pattern {pattern!r} is not a regex Python can use ({exc})") from None


def type_of(value: Any) -> set[str]:
    """The JSON types of a value ("integer" is also a "number")."""
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"number", "integer"}  # however large: float() of a 400-digit int would overflow
    if isinstance(value, float):
        if not math.isfinite(value):
            return set()  # NaN and Infinity are not JSON
        return {"number", "integer"} if value.is_integer() else {"number"}
    for t, cls in (("string", str), ("array", list), ("object", dict)):
        if isinstance(value, cls):
            return {t}
    return set()


def units(text: str) -> int:
    """The length of a string in UTF-16 units, as JavaScript counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate ("\\ud800" in JSON) is one unit


def _key(value: Any) -> Any:
    """A hashable key equal for JSON-equal values (1 == 1.0, but true != 1)."""
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, list):
        return ("a", tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return ("o", tuple(sorted((k, _key(v)) for k, v in value.items())))
    return ("s", value)


def shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def problems(value: Any, schema: dict[str, Any], path: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every rule of `schema` that `value` breaks (empty when it is valid)."""
    unknown = set(schema) - set(CHECKED) - set(ANNOTATIONS)
    if unknown:
        raise SchemaFileError(f"keyword {sorted(unknown)[0]!r} is not supported by json_schema.py")
    found: list[Problem] = []

    def add(keyword: str, message: str) -> None:
        found.append(Problem(path, keyword, message))

    if "type" in schema:
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not type_of(value) & set(wanted):
            add("type", f"must be {' or '.join(TYPES[t] for t in wanted)}, got {shown(value)}")
            return found
    kinds = type_of(value)
    if "string" in kinds:
        length = units(value)
        if "minLength" in schema and length < schema["minLength"]:
            n = schema["minLength"]
            add("minLength", "must not be empty" if n == 1 else f"at least {n} characters, got {shown(value)}")
        if "maxLength" in schema and length > schema["maxLength"]:
            add("maxLength", f"at most {schema['maxLength']} characters, got {length}")
        if "pattern" in schema and not ecma_regex(schema["pattern"]).search(value):
            add("pattern", f"{shown(value)} does not match the pattern {schema['pattern']}")
    if "number" in kinds:
        if "minimum" in schema and not value >= schema["minimum"]:
            add("minimum", f"must be at least {schema['minimum']}, got {shown(value)}")
        if "maximum" in schema and not value <= schema["maximum"]:
            add("maximum", f"must be at most {schema['maximum']}, got {shown(value)}")
        if "exclusiveMinimum" in schema and not value > schema["exclusiveMinimum"]:
            add("exclusiveMinimum", f"must be greater than {schema['exclusiveMinimum']}, got {shown(value)}")
    if "array" in kinds:
        if "minItems" in schema and len(value) < schema["minItems"]:
            n = schema["minItems"]
            add("minItems", "must not be empty" if n == 1 else f"needs at least {n} items, got {len(value)}")
        if schema.get("uniqueItems") is True:
            first: dict[Any, int] = {}
            for i, item in enumerate(value):
                j = first.setdefault(_key(item), i)
                if j != i:
                    found.append(Problem(path + (i,), "uniqueItems", f"repeats item #{j} ({shown(item)}): remove one"))
        if "items" in schema:
            for i, item in enumerate(value):
                found += problems(item, schema["items"], path + (i,))
    if "object" in kinds:
        for key in schema.get("required", []):
            if key not in value:
                add("required", f'"{key}" is required: add it')
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                found += problems(item, props[key], path + (key,))
            elif extra is False:
                found.append(Problem(path + (key,), "additionalProperties", "is not a known key: remove it"))
            elif isinstance(extra, dict):
                found += problems(item, extra, path + (key,))
    return found


def first_problem(value: Any, schema: dict[str, Any]) -> Problem | None:
    """The first rule `value` breaks, or None when it is valid."""
    found = problems(value, schema)
    return found[0] if found else None
