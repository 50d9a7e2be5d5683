"""Lint a corpus of records on a Dask cluster (``kepulint batch``), or one pandas frame anywhere.

:func:`lint_frame` is the engine-agnostic per-partition function: a pandas DataFrame of
records in, a DataFrame of findings out, equal to :func:`kepulint.lint_text` on each record's
text. Spark users call it from ``mapInPandas`` (see the README, "Linting a corpus").
pandas is imported on first use, so importing this package (as ``kepulint check`` does to
register the command) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..api import Settings
    from .records import Fields

__all__ = ["Fields", "FrameTables", "lint_frame", "lint_tables", "spark_schema"]


class FrameTables(NamedTuple):
    """The three tables of a frame: findings, one summary row per record, errors."""

    findings: pd.DataFrame
    summary: pd.DataFrame
    errors: pd.DataFrame


def lint_tables(df: pd.DataFrame, settings: Settings | None = None, *, fields: Fields | None = None,
                fail_on: str = "error", source: str = "") -> FrameTables:
    """Lint every row of ``df`` (the columns named by ``fields``): findings, summary, errors.

    A row's ``position`` is its 0-based place in ``df``; ``source`` names where ``df`` came from.
    """
    import pandas as pd

    from ..api import Settings
    from .records import TABLES, Fields, Linting, RawRecord, Tables, lint_record

    how = Linting(settings or Settings(), fields or Fields(), fail_on)
    present = [name for name in how.fields.wanted() if name in df.columns]
    tables = Tables()
    columns = [df[name].tolist() for name in present]
    for position, values in enumerate(zip(*columns, strict=True) if columns else [() for _ in range(len(df))]):
        lint_record(RawRecord(position, dict(zip(present, values, strict=True))), source, "", how, tables)
    dtypes = {"string": "object", "int": "int64", "bool": "bool"}
    frames = [pd.DataFrame(tables.columns(name), columns=[c for c, _ in spec]).astype(
        {c: dtypes[kind] for c, kind in spec}) for name, spec in TABLES.items()]
    return FrameTables(*frames)


def lint_frame(df: pd.DataFrame, settings: Settings | None = None, *, fields: Fields | None = None,
               fail_on: str = "error") -> pd.DataFrame:
    """The findings of every row of ``df``: record_id, source, position, code, name, severity,
    line, column, end_line, end_column, match, message, rule_version (schema: ``spark_schema()``)."""
    return lint_tables(df, settings, fields=fields, fail_on=fail_on).findings


def spark_schema(table: str = "findings") -> str:
    """The Spark DDL schema of ``findings``, ``summary`` or ``errors`` (for ``mapInPandas``)."""
    from .records import TABLES

    types = {"string": "string", "int": "bigint", "bool": "boolean"}
    return ", ".join(f"{name} {types[kind]}" for name, kind in TABLES[table])


def __getattr__(name: str) -> Any:
    if name == "Fields":
        from .records import Fields

        return Fields
    raise AttributeError(name)
