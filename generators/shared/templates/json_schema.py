"""The JSON Schema checker of this Puruto, at the path its code imports (`import json_schema`).
The code is puruto_runtime/json_schema.py, the vendored runtime package beside this file: the
rules are the schemas in .puruto-schemas/<name>.schema.json, the very ones `puruto validate
--strict` applies.

    problems(value, load("jobs")) -> [Problem], empty when valid
    str(problem) -> "jobs[0].job_id: at most 64 characters, got 70"
"""

from puruto_runtime.json_schema import (
    ROOT,
    SCHEMAS,
    Problem,
    SchemaFileError,
    check_schema,
    ecma_regex,
    first_problem,
    load,
    problems,
    shown,
    type_of,
    units,
)

__all__ = [
    "ROOT",
    "SCHEMAS",
    "Problem",
    "SchemaFileError",
    "check_schema",
    "ecma_regex",
    "first_problem",
    "load",
    "problems",
    "shown",
    "type_of",
    "units",
]
