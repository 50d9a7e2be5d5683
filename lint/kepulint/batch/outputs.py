"""Outputs: each partition's three tables, written atomically, then its completion marker.

Layout of ``--out DIR``::

    DIR/_kepulint_batch.json        the run's settings (a resume must use the same)
    DIR/findings/part-….parquet     one file per partition and table (or .jsonl)
    DIR/summary/part-….parquet
    DIR/errors/part-….parquet
    DIR/_done/part-….json           written last: the partition is complete (its counts)

Every file goes through a temporary file in the same folder and ``os.replace``, so a crash
leaves either the old file or the new one; temporary files start with ``.``, which Parquet
and Arrow dataset readers skip. A partition counts as complete only when its marker and its
three tables exist, so a run killed between them recomputes that partition.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ..fsutil import write_atomic
from .records import TABLES, Tables

OUTPUT_FORMATS = ("parquet", "jsonl")
MANIFEST = "_kepulint_batch.json"
DONE = "_done"


class OutputError(Exception):
    """The output folder cannot be used for this run: one line for the user."""


def table_path(out: Path, table: str, key: str, fmt: str) -> Path:
    return out / table / f"{key}.{fmt}"


def write_partition(out: Path, key: str, tables: Tables, fmt: str, stats: dict[str, Any]) -> None:
    """Write the partition's findings, summary and errors, then its completion marker."""
    for name, columns in TABLES.items():
        write_atomic(table_path(out, name, key, fmt), encode(tables.columns(name), columns, fmt))
    write_atomic(out / DONE / f"{key}.json", json.dumps(stats, ensure_ascii=False, sort_keys=True))


def encode(data: dict[str, list[object]], columns: tuple[tuple[str, str], ...], fmt: str) -> bytes:
    """One table as Parquet (with its schema even when empty) or JSON Lines bytes."""
    if fmt == "jsonl":
        names = [name for name, _ in columns]
        rows = zip(*(data[name] for name in names), strict=True)
        return "".join(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
                       for row in rows).encode("utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: data[name] for name, _ in columns}, schema=arrow_schema(columns))
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def arrow_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def completed(out: Path, keys: list[str], fmt: str) -> dict[str, dict[str, Any]]:
    """``{key: stats}`` of the partitions of ``keys`` whose output is complete."""
    done = {}
    for key in keys:
        marker = out / DONE / f"{key}.json"
        try:
            stats = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(stats, dict) and all(table_path(out, name, key, fmt).is_file() for name in TABLES):
            done[key] = stats
    return done


def prepare(out: Path, manifest: dict[str, Any], *, resume: bool) -> None:
    """Check ``out`` for this run and record the run's settings in it.

    A folder that holds another run is refused unless ``resume`` is set, and resuming with
    different settings is refused: the tables would mix two runs."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: not a directory")
    path = out / MANIFEST
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        previous = None
    except (OSError, ValueError) as exc:
        raise OutputError(f"{path}: cannot read the previous run's settings ({exc})") from None
    if previous is not None and not resume:
        raise OutputError(f"{out}: already holds a kepulint batch run; pass --resume to finish it, "
                          f"or choose another --out")
    if previous is not None and previous != manifest:
        changed = sorted(k for k in set(previous) | set(manifest) if previous.get(k) != manifest.get(k))
        raise OutputError(f"{out}: was written with other settings ({', '.join(changed)} differ); "
                          f"resume with the same options, or choose another --out")
    if previous is None:
        if out.is_dir() and any(out.iterdir()):
            raise OutputError(f"{out}: not empty and not a kepulint batch output; choose another --out")
        write_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
