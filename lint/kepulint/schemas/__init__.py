"""JSON Schemas: rules (with one params schema per kind), configuration and the JSON report.

``rule.schema.json`` chooses the params schema by the rule's ``kind``
(``params-<kind>.schema.json``, sharing ``params-common.schema.json``); :func:`rule_schema`
returns it as one document with those embedded, as ``kepulint schema rule`` prints it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

PARAMS_SCHEMAS = ("common", "phrase", "document", "proximity", "cooccurrence", "registry", "tool")


def read(name: str) -> dict[str, Any]:
    """The schema file ``<name>.schema.json`` as a mapping."""
    return json.loads(resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8"))  # type: ignore[no-any-return]


@cache
def rule_schema() -> dict[str, Any]:
    """The rule schema with every kind's params schema embedded under ``$defs`` (each keeps its
    ``$id``, so the rule schema's ``$ref: params-phrase.schema.json`` finds it: one document an
    editor or a validator can use without fetching anything)."""
    schema = read("rule")
    for name in PARAMS_SCHEMAS:
        schema["$defs"][f"params-{name}"] = read(f"params-{name}")
    return schema


def text(which: str) -> str:
    """What ``kepulint schema WHICH`` prints."""
    if which == "rule":
        return json.dumps(rule_schema(), ensure_ascii=False, indent=2) + "\n"
    return resources.files(__name__).joinpath(f"{which}.schema.json").read_text("utf-8")
