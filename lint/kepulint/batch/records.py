"""One record in, rows of the three output tables out: findings, summary, errors.

Pure Python (no pandas, no Dask): the per-partition task and :func:`kepulint.batch.lint_frame`
both feed records through :func:`lint_record` into a :class:`Tables`. A record that cannot be
linted (undecodable, a non-string text, no id, a rule raising) becomes one error row and one
summary row with ``status = "error"``; every record gives exactly one summary row.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..api import Settings, lint_html, lint_source, ruleset_for
from ..model import Severity
from ..text.markup import is_markdown
from ..text.readers import is_html

# (name, type) of each table's columns; type is "string", "int" or "bool". The Parquet
# schema, the pandas dtypes and the Spark DDL are all derived from these lists.
FINDINGS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("record_id", "string"), ("source", "string"), ("position", "int"), ("code", "string"),
    ("name", "string"), ("severity", "string"), ("line", "int"), ("column", "int"), ("end_line", "int"),
    ("end_column", "int"), ("match", "string"), ("message", "string"), ("rule_version", "string"),
)
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("record_id", "string"), ("source", "string"), ("position", "int"), ("partition", "string"),
    ("status", "string"), ("findings", "int"), ("error_count", "int"), ("warning_count", "int"),
    ("info_count", "int"), ("codes", "string"), ("failed", "bool"),
)
ERRORS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("record_id", "string"), ("source", "string"), ("position", "int"), ("partition", "string"),
    ("kind", "string"), ("message", "string"),
)
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "findings": FINDINGS_COLUMNS, "summary": SUMMARY_COLUMNS, "errors": ERRORS_COLUMNS,
}

#: format name -> how to read it: Markdown (True), plain text (False) or HTML (None: its visible text)
FORMATS: dict[str, bool | None] = {"markdown": True, "md": True, "html": None, "htm": None, "plain": False,
                                   "text": False, "txt": False}
"""Values of the format field. HTML is read as Markdown: its tags and comments are masked, so
only the prose is linted, and positions still point into the original text."""


@dataclass(frozen=True)
class Fields:
    """Which field of a record holds what; ``default_format`` applies when neither a format
    nor a path field says Markdown or plain text."""

    id: str = "id"
    text: str = "text"
    path: str | None = None
    format: str | None = None
    default_format: str = "plain"

    def wanted(self) -> list[str]:
        """The fields to read from a record, in a stable order."""
        return [f for f in (self.id, self.text, self.path, self.format) if f]


@dataclass(slots=True)
class RawRecord:
    """A record as read: its position in its source and its fields, or why it could not be read."""

    position: int
    values: Mapping[str, object] = field(default_factory=dict)
    problem: tuple[str, str] | None = None  # (kind, message) met while reading it
    path: str | None = None  # a draft file's path (its format follows the suffix)


class Broken(Exception):
    """A record that cannot be linted: ``kind`` (decode, type, missing-id, …) and a message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Tables:
    """The rows of one partition, column by column."""

    findings: dict[str, list[object]] = field(default_factory=lambda: _empty(FINDINGS_COLUMNS))
    summary: dict[str, list[object]] = field(default_factory=lambda: _empty(SUMMARY_COLUMNS))
    errors: dict[str, list[object]] = field(default_factory=lambda: _empty(ERRORS_COLUMNS))
    codes: Counter[str] = field(default_factory=Counter)  # findings per code
    failed: int = 0  # records with a finding at or above the fail level

    def columns(self, name: str) -> dict[str, list[object]]:
        return getattr(self, name)

    @property
    def records(self) -> int:
        return len(self.summary["record_id"])

    def stats(self) -> dict[str, object]:
        """What the client needs to know about this partition (also its completion marker)."""
        return {"records": self.records, "findings": len(self.findings["record_id"]),
                "errors": len(self.errors["record_id"]), "failed": self.failed, "codes": dict(self.codes)}


def _empty(columns: tuple[tuple[str, str], ...]) -> dict[str, list[object]]:
    return {name: [] for name, _ in columns}


@dataclass(frozen=True)
class Linting:
    """How to lint every record of a run: the engine's settings, the fields, the fail level."""

    settings: Settings = field(default_factory=Settings)
    fields: Fields = field(default_factory=Fields)
    fail_on: str = "error"


def lint_record(record: RawRecord, source: str, partition: str, how: Linting, tables: Tables) -> None:
    """Lint one record into ``tables``: its findings and one summary row, or one error row."""
    record_id: str | None = None
    try:
        if record.problem is not None:
            raise Broken(*record.problem)
        record_id = _record_id(record.values.get(how.fields.id), how.fields.id)
        text = _text(record.values.get(how.fields.text), how.fields.text)
        path = _path(record.values, how.fields) or record.path
        markdown = _markdown(record.values, how.fields, path)
        path = path or record_id
        try:
            if markdown is None:  # HTML: what a reader sees, positions in the record's source
                result = lint_html(text, path, how.settings)
            else:
                result = lint_source(text, path, how.settings, markdown=markdown)
        except Exception as exc:  # a rule raising must not take the partition down
            raise Broken("internal", f"internal error: {type(exc).__name__}: {exc}") from None
    except Broken as exc:
        if record_id is None:
            record_id = _optional_id(record.values.get(how.fields.id))
        _error_row(tables, record_id, source, record.position, partition, exc.kind, str(exc))
        return
    versions = rule_versions(how.settings.rule_paths)
    counts: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    threshold = None if how.fail_on == "never" else Severity.parse(how.fail_on)
    failed = False
    rows = tables.findings
    for d in result.diagnostics:
        for key, value in (("record_id", record_id), ("source", source), ("position", record.position),
                           ("code", d.code), ("name", d.name), ("severity", d.severity.label), ("line", d.line),
                           ("column", d.column), ("end_line", d.end_line), ("end_column", d.end_column),
                           ("match", d.match), ("message", d.message), ("rule_version", versions.get(d.code, ""))):
            rows[key].append(value)
        counts[d.code] += 1
        levels[d.severity.label] += 1
        failed = failed or (threshold is not None and d.severity >= threshold)
    tables.codes.update(counts)
    tables.failed += failed
    _summary_row(tables, record_id, source, record.position, partition, "ok", counts, levels, failed)


def _summary_row(tables: Tables, record_id: str | None, source: str, position: int, partition: str,
                 status: str, counts: Counter[str], levels: Counter[str], failed: bool) -> None:
    row = {"record_id": record_id, "source": source, "position": position, "partition": partition,
           "status": status, "findings": sum(counts.values()), "error_count": levels["error"],
           "warning_count": levels["warning"], "info_count": levels["info"],
           "codes": json.dumps(dict(sorted(counts.items())), separators=(",", ":")), "failed": failed}
    for key, value in row.items():
        tables.summary[key].append(value)


def _error_row(tables: Tables, record_id: str | None, source: str, position: int, partition: str,
               kind: str, message: str) -> None:
    for key, value in (("record_id", record_id), ("source", source), ("position", position),
                       ("partition", partition), ("kind", kind), ("message", message)):
        tables.errors[key].append(value)
    _summary_row(tables, record_id, source, position, partition, "error", Counter(), Counter(), False)


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA (a missing cell in a table)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return type(value).__name__ == "NAType"


def _valid_unicode(text: str, what: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        shown = f"byte 0x{ord(bad) - 0xDC00:02x}" if "\udc80" <= bad <= "\udcff" else f"U+{ord(bad):04X}"
        raise Broken("decode", f"{what} is not valid UTF-8 ({shown} at character {exc.start + 1})") from None
    return text


def _printable(text: str) -> str:
    """``text`` with unpaired surrogates escaped, so that it can be written as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _optional_id(value: object) -> str | None:
    try:
        return _record_id(value, "id")
    except Broken:
        return None if is_missing(value) else _printable(str(value))


def _record_id(value: object, name: str) -> str:
    if is_missing(value) or value == "":
        raise Broken("missing-id", f"no id (field '{name}' is missing or empty)")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a numpy integer
            return _record_id(value.item(), name)
        raise Broken("type", f"id field '{name}' is {_kind(value)}, not a string or an integer")
    if isinstance(value, str):
        return _valid_unicode(value, f"id field '{name}'")
    return str(value)


def _text(value: object, name: str) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Broken("decode", f"text field '{name}' is not valid UTF-8 "
                                   f"(byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    if is_missing(value):
        raise Broken("missing-text", f"no text (field '{name}' is missing or null)")
    if not isinstance(value, str):
        raise Broken("type", f"text field '{name}' is {_kind(value)}, not a string")
    return _valid_unicode(value, f"text field '{name}'")


def _path(values: Mapping[str, object], fields: Fields) -> str | None:
    if not fields.path:
        return None
    value = values.get(fields.path)
    if is_missing(value) or value == "":
        return None
    if not isinstance(value, str):
        raise Broken("type", f"path field '{fields.path}' is {_kind(value)}, not a string")
    return _valid_unicode(value, f"path field '{fields.path}'")


def _markdown(values: Mapping[str, object], fields: Fields, path: str | None) -> bool | None:
    """The record's format (see ``FORMATS``): its format field, else its path field's suffix,
    else the default."""
    if fields.format:
        value = values.get(fields.format)
        if not is_missing(value) and value != "":
            if not isinstance(value, str) or value.strip().lower() not in FORMATS:
                raise Broken("format", f"format field '{fields.format}' is {value!r}; "
                                       f"expected one of {', '.join(sorted(FORMATS))}")
            return FORMATS[value.strip().lower()]
    if path:
        return None if is_html(path) else is_markdown(path)
    return FORMATS[fields.default_format]


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "a boolean", float: "a number", int: "a number"}
    return names.get(type(value), f"a {type(value).__name__}")


@lru_cache(maxsize=4)
def rule_versions(rule_paths: tuple[str, ...] = ()) -> dict[str, str]:
    """``{code: version}``: kepulint's version plus a digest of the rule's YAML file, so a
    finding says which wording of its rule produced it (loaded once per worker process)."""
    versions = {}
    for rule in ruleset_for(rule_paths):
        try:
            digest = hashlib.sha256(Path(rule.source).read_bytes()).hexdigest()[:10]
        except OSError:
            digest = "unknown"
        versions[rule.code] = f"{__version__}+{digest}"
    return versions
