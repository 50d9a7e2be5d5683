"""What a rule file must be: its schema (one params schema per kind), its regexes, and the
spellings of older kepulint versions.

:func:`schema_problem` checks a rule against ``kepulint schema rule`` and says the first
problem as ``/key/path: what``, reading ``oneOf``/``anyOf`` failures for the branch that fits
(the rule's kind is chosen by ``if``/``then``, so its params errors come with their own path).
:func:`regex_problem` compiles every regex of the params and refuses those that may backtrack
catastrophically (:mod:`kepulint.rules.regex_safety`). :func:`upgraded` rewrites deprecated
spellings, and :func:`searched_forms` puts each regex in the form the kinds search
(:mod:`kepulint.rules.anchoring`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from . import regex_safety
from .anchoring import fast_form

REGEX_KEYS = ("back_matter",)  # keys holding regexes besides `pattern` and `*patterns`
_TYPES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number",
          "boolean": "true or false", "number": "a number", "null": "nothing"}


@cache
def validator() -> Any:
    """A Draft 2020-12 validator of the rule schema (built once)."""
    from jsonschema import Draft202012Validator

    from ..schemas import rule_schema

    return Draft202012Validator(rule_schema())


def schema_problem(data: Mapping[str, Any]) -> str | None:
    """``/key/path: what`` for the first way ``data`` breaks the rule schema, else None."""
    errors = sorted(validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return None
    path, message = describe(errors[0])
    return f"{format_path(path)}: {message}"


def format_path(parts: Iterable[Any]) -> str:
    parts = list(parts)
    return "/" + "/".join(str(p) for p in parts) if parts else "/"


def describe(error: Any) -> tuple[list[Any], str]:
    """(key path, message) of a jsonschema error, said for a rule-file author."""
    path = list(error.absolute_path)
    validator_name = error.validator
    if validator_name in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in properties]
        current = [k for k, v in properties.items() if not (isinstance(v, dict) and v.get("deprecated"))]
        if extra:
            return [*path, extra[0]], "unknown key" + _hint(str(extra[0]), current)
    if validator_name == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        if missing:
            return [*path, missing[0]], "required key missing"
    if validator_name == "enum":
        options = [str(v) for v in error.validator_value]
        return path, f"{error.instance!r} is not one of {options}" + _hint(str(error.instance), options, listed=True)
    if validator_name == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return path, f"expected {' or '.join(_TYPES.get(t, t) for t in wanted)}, got {_shown(error.instance)}"
    if validator_name == "minItems":
        least = error.validator_value
        return path, f"needs at least {least} item{'s' if least != 1 else ''}"
    if validator_name in ("anyOf", "oneOf") and error.context:
        return _branch(error, path)
    return path, error.message


def _branch(error: Any, path: list[Any]) -> tuple[list[Any], str]:
    """Say an ``anyOf``/``oneOf`` failure by the branch meant: "needs terms or patterns" when the
    branches only differ in which key they require, else the first branch of the right type."""
    sub = list(error.context)
    if all(e.validator in ("required", "minItems") for e in sub):
        keys = []
        for e in sub:
            key = e.validator_value[0] if e.validator == "required" else e.absolute_path[-1]
            if key not in keys:
                keys.append(key)
        return path, f"needs {' or '.join(str(k) for k in keys)} (a non-empty list)"
    by_branch: dict[int, list[Any]] = {}
    for e in sub:
        by_branch.setdefault(e.relative_schema_path[0], []).append(e)
    fitting = [errs for errs in by_branch.values()
               if not any(e.validator == "type" and list(e.absolute_path) == path for e in errs)]
    if not fitting:
        types = [e.validator_value for e in sub if e.validator == "type" and list(e.absolute_path) == path]
        names = list(dict.fromkeys(_TYPES.get(t, t) for t in types if isinstance(t, str)))
        return path, f"expected {' or '.join(names)}, got {_shown(error.instance)}"
    first = sorted(fitting[0], key=lambda e: [str(p) for p in e.absolute_path])[0]
    return describe(first)


def _hint(word: str, options: list[str], listed: bool = False) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if listed or not options:
        return ""
    return f" (expected one of: {', '.join(options)})"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# -- regexes -------------------------------------------------------------------------------

def regexes(params: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(key path, source) of every regex in ``params``: ``pattern`` values, ``*patterns`` items
    and :data:`REGEX_KEYS` values."""
    if isinstance(params, Mapping):
        for key, value in params.items():
            path = f"{where}/{key}"
            if _holds_regexes(key) and isinstance(value, str):
                yield path, value
            elif _holds_regexes(key) and isinstance(value, list):
                yield from ((f"{path}/{i}", p) for i, p in enumerate(value) if isinstance(p, str))
            else:
                yield from regexes(value, path)
    elif isinstance(params, list):
        for i, item in enumerate(params):
            yield from regexes(item, f"{where}/{i}")


def _holds_regexes(key: Any) -> bool:
    return isinstance(key, str) and (key == "pattern" or key.endswith("patterns") or key in REGEX_KEYS)


def regex_problem(params: Mapping[str, Any]) -> str | None:
    """``/key/path: what`` for the first regex of ``params`` (as written) that does not compile
    or may backtrack catastrophically, else None."""
    for where, source in regexes(params):
        try:
            re.compile(source)
        except re.error as exc:
            return f"{where}: regex does not compile: {exc}"
        except (RecursionError, OverflowError):
            return f"{where}: regex too deeply nested or too large"
        try:
            regex_safety.check(source)
        except regex_safety.UnsafeRegex as exc:
            return f"{where}: {exc}"
    return None


def searched_forms(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with each regex in the form the kinds search (:func:`~kepulint.rules.anchoring.fast_form`)."""
    return _map_regexes(params, fast_form)  # type: ignore[no-any-return]


def _map_regexes(value: Any, change: Callable[[str], str], holds: bool = False) -> Any:
    if isinstance(value, Mapping):
        return {k: _map_regexes(v, change, _holds_regexes(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_regexes(v, change, holds) for v in value]
    if holds and isinstance(value, str):
        return change(value)
    return value


# -- deprecated spellings ----------------------------------------------------------------------

def upgraded(kind: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``params`` with deprecated spellings rewritten, and a notice for each (``/key: what to write``).

    A phrase rule's ``requires: {pattern, window: N}`` (kepulint 0.1) is ``near: {pattern,
    before: N, after: N}``: ``requires`` lists evidence kinds in proximity rules, and a param
    name means one thing.
    """
    out = dict(params)
    notices: list[str] = []
    if kind == "phrase" and "requires" in out:
        old = out.pop("requires")
        window = int(old.get("window", 12))
        if "near" in out:
            raise ValueError("/params/requires: the old spelling of near; give near only")
        out["near"] = {"pattern": old["pattern"], "before": window, "after": window}
        notices.append(f"/params/requires: deprecated in phrase rules; write near: {{pattern: …, before: {window}, "
                       f"after: {window}}} (requires lists evidence kinds in proximity rules)")
    return out, notices
