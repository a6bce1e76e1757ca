"""puruto_runtime/json_schema.py: every keyword it applies, the ECMAScript regex rules, the loud refusal
of a keyword it does not know, and the schemas this repo ships (.puruto-schemas/*.schema.json).
The same file runs in the package's own project (python/tests) and in each generated repo (tests/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from puruto_runtime import json_schema  # noqa: E402
from puruto_runtime.json_schema import SchemaFileError, problems  # noqa: E402


def verdict(value: Any, schema: dict[str, Any]) -> list[str]:
    return [str(p) for p in problems(value, schema)]


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "string"}, ["", "x"], [1, None, True, [], {}]),
        ({"type": "integer"}, [0, -3, 2.0, 10**20, 10**400], [1.5, True, False, "1", None, float("nan"), float("inf")]),
        ({"type": "number"}, [0, 0.5, -2], [True, "0.5", None, float("inf")]),
        ({"type": "boolean"}, [True, False], [0, 1, "true", None]),
        ({"type": "object"}, [{}, {"a": 1}], [[], "x", None]),
        ({"type": "array"}, [[], [1]], [{}, "x", None]),
        ({"type": "null"}, [None], [0, "", False]),
        ({"type": ["string", "null"]}, ["x", None], [0, False, []]),
    ],
)
def test_type(schema: dict[str, Any], good: list[Any], bad: list[Any]) -> None:
    for value in good:
        assert verdict(value, schema) == [], value
    for value in bad:
        assert [p.keyword for p in problems(value, schema)] == ["type"], value


def test_a_huge_integer_is_compared_not_converted() -> None:
    # 400 digits: float() of it overflows; the bounds must still answer, not raise.
    assert [p.keyword for p in problems(10**400, {"type": "integer", "maximum": 86400})] == ["maximum"]
    assert problems(10**400, {"type": "number", "minimum": 0}) == []


def test_a_lone_surrogate_counts_as_one_unit_like_javascript() -> None:
    lone = json.loads('"\\ud800x"')  # valid JSON, not encodable as UTF-8/16 without surrogatepass
    assert [p.keyword for p in problems(lone, {"type": "string", "maxLength": 1})] == ["maxLength"]
    assert problems(lone, {"type": "string", "maxLength": 2}) == []


def test_type_message_names_what_is_expected() -> None:
    assert verdict(3, {"type": ["string", "null"]}) == ["must be a string or null, got 3"]


def test_required_and_properties_with_the_path_of_the_bad_value() -> None:
    schema = {
        "type": "object",
        "required": ["jobs"],
        "properties": {
            "jobs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["job_id"],
                    "properties": {"job_id": {"type": "string", "maxLength": 4}},
                },
            }
        },
    }
    assert verdict({}, schema) == ['"jobs" is required: add it']
    assert verdict({"jobs": [{"job_id": "abcd"}, {}]}, schema) == ['jobs[1]: "job_id" is required: add it']
    assert verdict({"jobs": [{"job_id": "abcde"}]}, schema) == ["jobs[0].job_id: at most 4 characters, got 5"]
    assert verdict({"other": 1, "jobs": []}, schema) == []  # keys without a schema are allowed by default


def test_additional_properties() -> None:
    closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    assert verdict({"a": 1}, closed) == []
    assert verdict({"a": 1, "b-c": 2}, closed) == ['["b-c"]: is not a known key: remove it']
    typed = {"additionalProperties": {"type": "array", "items": {"type": "string"}}}
    assert verdict({"x": ["a"]}, typed) == []
    assert verdict({"x": "a"}, typed) == ['x: must be a list, got "a"']
    assert verdict({"puruto-b": [1]}, typed) == ['["puruto-b"][0]: must be a string, got 1']
    assert verdict([], typed) == []  # object keywords apply to objects only


def test_items_apply_to_lists_only() -> None:
    schema = {"items": {"type": "string"}}
    assert verdict(["a", "b"], schema) == []
    assert verdict("not a list", schema) == []
    assert verdict(["a", 2], schema) == ["[1]: must be a string, got 2"]


def test_string_lengths_count_utf16_units_as_javascript() -> None:
    assert verdict("ab", {"minLength": 2, "maxLength": 2}) == []
    assert verdict("", {"minLength": 1}) == ["must not be empty"]
    assert verdict("a", {"minLength": 2}) == ['at least 2 characters, got "a"']
    assert verdict("abc", {"maxLength": 2}) == ["at most 2 characters, got 3"]
    assert verdict("\U0001f600", {"maxLength": 1}) == ["at most 1 characters, got 2"]
    assert verdict(5, {"maxLength": 1}) == []  # string keywords apply to strings only


def test_number_bounds() -> None:
    schema = {"minimum": 1, "maximum": 10}
    assert [verdict(v, schema) for v in (1, 10, 5.5)] == [[], [], []]
    assert verdict(0, schema) == ["must be at least 1, got 0"]
    assert verdict(11, schema) == ["must be at most 10, got 11"]
    assert verdict(0, {"exclusiveMinimum": 0}) == ["must be greater than 0, got 0"]
    assert verdict(0.001, {"exclusiveMinimum": 0}) == []
    assert verdict("0", {"minimum": 1}) == []  # number keywords apply to numbers only


def test_min_items_and_unique_items() -> None:
    assert verdict([], {"minItems": 1}) == ["must not be empty"]
    assert verdict([1], {"minItems": 2}) == ["needs at least 2 items, got 1"]
    unique = {"uniqueItems": True}
    assert verdict([1, True, "1", [1], {"a": 1}, {"a": True}], unique) == []
    assert verdict(["a", "b", "a"], unique) == ['[2]: repeats item #0 ("a"): remove one']
    assert verdict([1, 1.0], unique) == ["[1]: repeats item #0 (1.0): remove one"]
    assert verdict([{"a": [1]}, {"a": [1]}], unique) == ['[1]: repeats item #0 ({"a": [1]}): remove one']
    assert verdict([1, 1], {"uniqueItems": False}) == []


def test_pattern_is_an_ecmascript_search() -> None:
    assert verdict("a b", {"pattern": "\\S"}) == []
    assert verdict(" \u00a0\ufeff", {"pattern": "\\S"}) == ['" \u00a0\ufeff" does not match the pattern \\S']
    anchored = {"pattern": "^[a-z]+$"}
    assert verdict("abc", anchored) == []
    assert verdict("abc\n", anchored) != []  # "$" is the end of the text, as in JavaScript
    assert verdict("x.y", {"pattern": "^(?!.*\\.\\.)[a-z.]+$"}) == []
    assert verdict("x..y", {"pattern": "^(?!.*\\.\\.)[a-z.]+$"}) != []
    assert verdict("a\nb", {"pattern": "^a.b$"}) != []  # "." never matches a line end


@pytest.mark.parametrize("pattern", ["\\d", "\\w+", "\\bx", "[\\S]", "[]", "[^]", "(unclosed"])
def test_patterns_whose_meaning_differs_are_refused(pattern: str) -> None:
    with pytest.raises(SchemaFileError):
        json_schema.check_schema({"pattern": pattern})


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "email"},
        {"properties": {"a": {"enum": [1]}}},
        {"items": {"const": 1}},
        {"additionalProperties": {"oneOf": []}},
        {"type": "decimal"},
    ],
)
def test_an_unknown_keyword_fails_loudly(schema: dict[str, Any]) -> None:
    with pytest.raises(SchemaFileError, match=r"not supported|unknown type"):
        json_schema.check_schema(schema)


@pytest.mark.parametrize(
    "schema",
    [
        {"items": [{"type": "string"}]},
        {"required": "a"},
        {"maxLength": "3"},
        {"minItems": -1},
        {"minimum": True},
        {"exclusiveMinimum": False},
        {"uniqueItems": 1},
        {"additionalProperties": "no"},
        {"pattern": 3},
        {"properties": []},
        {"type": 3},
    ],
)
def test_a_keyword_with_a_malformed_value_fails_loudly(schema: dict[str, Any]) -> None:
    with pytest.raises(SchemaFileError, match="must be"):
        json_schema.check_schema(schema)


def test_an_unknown_keyword_fails_loudly_when_checking_a_value_too() -> None:
    with pytest.raises(SchemaFileError, match="'enum' is not supported"):
        problems(1, {"enum": [1]})


def test_annotations_are_allowed() -> None:
    json_schema.check_schema(
        {
            "$id": "x",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "t",
            "description": "d",
            "$comment": "c",
            "default": 1,
            "examples": [1],
        }
    )


def test_the_shipped_schemas_load() -> None:
    project = REPO / "pyproject.toml"
    if project.is_file() and 'name = "puruto-runtime"' in project.read_text(encoding="utf-8"):
        pytest.skip("the package's own project ships no schemas; each generated repo does (tests/ there)")
    shipped = sorted((REPO / json_schema.SCHEMAS).glob("*.schema.json"))
    assert shipped, ".puruto-schemas/ holds at least one schema"
    for path in shipped:
        schema = json_schema.load(path.name.removesuffix(".schema.json"), REPO)
        assert schema["$id"] == path.name.removesuffix(".schema.json")


def test_a_schema_file_loads_from_the_root_given(tmp_path: Path) -> None:
    (tmp_path / json_schema.SCHEMAS).mkdir()
    schema = {"$id": "jobs", "type": "object", "required": ["jobs"]}
    (tmp_path / json_schema.SCHEMAS / "jobs.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    assert json_schema.load("jobs", tmp_path) == schema
    assert str(json_schema.first_problem({}, json_schema.load("jobs", tmp_path))) == '"jobs" is required: add it'


def test_a_missing_or_broken_schema_file_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(SchemaFileError, match="restore it"):
        json_schema.load("jobs", tmp_path)
    (tmp_path / json_schema.SCHEMAS).mkdir()
    (tmp_path / json_schema.SCHEMAS / "jobs.schema.json").write_text(json.dumps({"type": "object", "enum": []}))
    with pytest.raises(SchemaFileError, match="'enum'"):
        json_schema.load("jobs", tmp_path)
