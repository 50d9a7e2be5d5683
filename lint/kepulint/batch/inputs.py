"""Inputs: JSON Lines (optionally gzip), Parquet, CSV and folders of drafts, cut into partitions.

:func:`plan` runs on the client and reads only metadata (sizes, Parquet footers, CSV headers),
so the corpus is never held in one process; :func:`read_partition` runs on a worker and streams
the records of one partition. A partition is

* a byte range of an uncompressed JSON Lines file (a record belongs to the range its line
  starts in), or a whole ``.gz`` file (gzip cannot be split);
* a Parquet row group;
* a whole CSV file (quoted fields may span lines, so a CSV file cannot be split safely);
* a run of draft files (``*.md``, ``*.markdown``, ``*.txt``) read with kepulint's file reader.

Each record has a ``position`` in its source: the byte offset where its line starts (JSON
Lines, in the uncompressed stream), its 0-based row (CSV, Parquet), or 0 (a draft file).
"""

from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..run.discover import DEFAULT_SUFFIXES
from ..text.decode import InputError, read_file
from .records import Fields, RawRecord

JSONL_SUFFIXES = (".jsonl", ".ndjson")
DATA_SUFFIXES = (*JSONL_SUFFIXES, *(s + ".gz" for s in JSONL_SUFFIXES), ".parquet", ".pq", ".csv", ".csv.gz")
DEFAULT_BLOCKSIZE = 16 * 1024 * 1024
DEFAULT_FILES_PER_PARTITION = 500
_SOURCE = "source"  # error kind: the rest of a source could not be read
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Partition:
    """One unit of work: a slice of one source file, or a run of draft files."""

    kind: str  # jsonl | jsonl.gz | parquet | csv | drafts
    source: str  # the file as the user named it (drafts: the folder)
    path: str  # absolute path to read (drafts: unused)
    start: int = 0  # jsonl: first byte; parquet: row group; csv, gz: 0
    end: int = 0  # jsonl: end byte (exclusive); parquet: number of rows before the group
    stamp: str = ""  # size and modification time: a changed file is a new partition
    files: tuple[tuple[str, str], ...] = ()  # drafts: (display path, absolute path)

    @property
    def key(self) -> str:
        """A name stable across runs over the same inputs (the resume key)."""
        digest = hashlib.sha256(repr((self.kind, self.path, self.start, self.end, self.stamp, self.files)).encode())
        return f"part-{digest.hexdigest()[:20]}"

    @property
    def label(self) -> str:
        return f"{self.source} [{self.kind} {self.start}]" if self.kind != "drafts" else f"{self.source} [drafts]"


def kind_of(path: str) -> str | None:
    """The input kind of a file name, or None if kepulint batch does not read it."""
    lower = path.lower()
    if lower.endswith(tuple(s + ".gz" for s in JSONL_SUFFIXES)):
        return "jsonl.gz"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if lower.endswith((".csv", ".csv.gz")):
        return "csv"
    if lower.endswith(DEFAULT_SUFFIXES):
        return "drafts"
    return None


def _stamp(path: str) -> str:
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}"


def expand(paths: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``([(kind, file)], problems)``: files and folders (walked, hidden entries skipped) and
    glob patterns expanded to the input files, in name order; one line per bad argument."""
    found: list[tuple[str, str]] = []
    problems: list[str] = []
    for arg in paths:
        if not os.path.exists(arg) and glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                problems.append(f"{arg}: no files match")
            targets = matches
        else:
            targets = [arg]
        for target in targets:
            if os.path.isdir(target):
                found.extend(_walk(target))
            elif not os.path.exists(target):
                problems.append(f"{target}: no such file or directory")
            elif (kind := kind_of(target)) is None:
                problems.append(f"{target}: not an input kepulint batch reads "
                                f"(expected {', '.join(DATA_SUFFIXES + DEFAULT_SUFFIXES)})")
            else:
                found.append((kind, target))
    seen: set[str] = set()
    unique = []
    for kind, path in found:
        if (real := os.path.realpath(path)) not in seen:
            seen.add(real)
            unique.append((kind, path))
    return unique, problems


def _walk(folder: str) -> list[tuple[str, str]]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and (kind := kind_of(name)) is not None:
                out.append((kind, os.path.join(root, name)))
    return out


def plan(paths: list[str], fields: Fields, *, blocksize: int = DEFAULT_BLOCKSIZE,
         files_per_partition: int = DEFAULT_FILES_PER_PARTITION) -> tuple[list[Partition], list[str]]:
    """The partitions of ``paths`` and one line per input that cannot be used (exit 2 later)."""
    found, problems = expand(paths)
    partitions: list[Partition] = []
    drafts: list[tuple[str, str]] = []
    for kind, path in found:
        try:
            if kind == "drafts":
                drafts.append((Path(path).as_posix(), os.path.abspath(path)))
            elif kind == "jsonl":
                partitions.extend(_jsonl_partitions(path, blocksize))
            elif kind == "parquet":
                partitions.extend(_parquet_partitions(path, fields))
            else:
                if kind == "csv":
                    _check_csv_header(path, fields)
                partitions.append(Partition(kind, path, os.path.abspath(path), stamp=_stamp(path)))
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            problems.append(f"{path}: {_reason(exc)}")
        except _MissingColumns as exc:
            problems.append(f"{path}: {exc}")
    for i in range(0, len(drafts), files_per_partition):
        chunk = tuple(drafts[i:i + files_per_partition])
        partitions.append(Partition("drafts", os.path.dirname(chunk[0][0]) or ".", "", start=i, files=chunk))
    return partitions, problems


class _MissingColumns(Exception):
    """A table without the id or text column: a usage error, found before any work starts."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return f"{type(exc).__name__}: {exc}"


def _require(columns: list[str], fields: Fields) -> None:
    missing = [f for f in fields.wanted() if f not in columns]
    if missing:
        shown = ", ".join(columns[:12]) + (", …" if len(columns) > 12 else "")
        raise _MissingColumns(f"no column {', '.join(repr(m) for m in missing)} (columns: {shown}); "
                              f"name the fields with --id-field / --text-field")


def _jsonl_partitions(path: str, blocksize: int) -> list[Partition]:
    size = os.path.getsize(path)
    stamp = _stamp(path)
    return [Partition("jsonl", path, os.path.abspath(path), start, min(start + blocksize, size), stamp)
            for start in range(0, size, blocksize)]


def _parquet_partitions(path: str, fields: Fields) -> list[Partition]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    _require(list(meta.schema.names), fields)
    stamp = _stamp(path)
    parts, rows = [], 0
    for group in range(meta.num_row_groups):
        parts.append(Partition("parquet", path, os.path.abspath(path), group, rows, stamp))
        rows += meta.row_group(group).num_rows
    return parts


def _open_text(path: str) -> IO[str]:
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8", errors="surrogateescape", newline="")


def _check_csv_header(path: str, fields: Fields) -> None:
    with _open_text(path) as fh:
        header = next(csv.reader(fh), [])
    _require([h.lstrip("\ufeff") for h in header], fields)


# -- worker side --------------------------------------------------------------------------------


def read_partition(part: Partition, fields: Fields, *, encoding: str | None = None,
                   max_bytes: int = 20 * 1024 * 1024) -> Iterator[tuple[str, RawRecord]]:
    """``(source, record)`` for every record of ``part``, streamed; a source that breaks off
    (truncated gzip, a malformed CSV line, an unreadable file) ends with one ``source`` error
    record at the position where reading stopped."""
    if part.kind == "drafts":
        yield from _drafts(part, fields, encoding, max_bytes)
        return
    position = part.start if part.kind == "jsonl" else (part.end if part.kind == "parquet" else 0)
    try:
        if part.kind in ("jsonl", "jsonl.gz"):
            records = _jsonl(part, fields.wanted())
        elif part.kind == "parquet":
            records = _parquet(part, fields.wanted())
        else:
            records = _csv(part, fields.wanted())
        for record in records:
            position = record.position
            yield part.source, record
    except (OSError, EOFError, ValueError, zlib.error, csv.Error) as exc:
        yield part.source, RawRecord(position, problem=(
            _SOURCE, f"reading stopped at position {position}: {_reason(exc)}; the rest of this "
                     f"{'file' if part.kind != 'parquet' else 'row group'} was not read"))


def _jsonl(part: Partition, wanted: list[str]) -> Iterator[RawRecord]:
    opener: Any = gzip.open if part.kind == "jsonl.gz" else open
    with opener(part.path, "rb") as fh:
        end = part.end if part.kind == "jsonl" else None
        position = part.start
        if position > 0:  # skip the line that started in the previous range
            fh.seek(position - 1)
            position += len(fh.readline()) - 1
        while end is None or position < end:
            line = fh.readline()
            if not line:
                break
            start, position = position, position + len(line)
            if start == 0:
                line = line.removeprefix(BOM)
            if line.strip():
                yield _json_record(start, line, wanted)


def _json_record(position: int, line: bytes, wanted: list[str]) -> RawRecord:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRecord(position, problem=(
            "decode", f"line is not valid UTF-8 (byte 0x{line[exc.start]:02x} at offset {exc.start})"))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRecord(position, problem=("decode", f"invalid JSON: {exc.msg} (column {exc.colno})"))
    except RecursionError:
        return RawRecord(position, problem=("decode", "invalid JSON: nested too deeply"))
    if not isinstance(obj, dict):
        return RawRecord(position, problem=("type", f"record is {type(obj).__name__}, not a JSON object"))
    return RawRecord(position, {k: obj.get(k) for k in wanted})


def _parquet(part: Partition, wanted: list[str]) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(part.path).read_row_group(part.start, columns=wanted)
    columns = {name: table.column(name).to_pylist() for name in wanted}
    del table
    for i in range(len(columns[wanted[0]])):
        yield RawRecord(part.end + i, {name: values[i] for name, values in columns.items()})


def _csv(part: Partition, wanted: list[str]) -> Iterator[RawRecord]:
    csv.field_size_limit(2**31 - 1)
    with _open_text(part.path) as fh:
        reader = csv.reader(fh)
        header = [h.lstrip("\ufeff") for h in next(reader, [])]
        index = {name: header.index(name) for name in wanted if name in header}
        for row, cells in enumerate(reader):
            if not cells:
                continue
            if len(cells) != len(header):
                yield RawRecord(row, problem=("decode", f"CSV row has {len(cells)} fields, the header {len(header)}"))
                continue
            yield RawRecord(row, {name: cells[i] for name, i in index.items()})


def _drafts(part: Partition, fields: Fields, encoding: str | None,
            max_bytes: int) -> Iterator[tuple[str, RawRecord]]:
    for display, path in part.files:
        try:
            text, _notice = read_file(Path(path), encoding=encoding, max_bytes=max_bytes)
        except InputError as exc:
            yield display, RawRecord(0, {fields.id: display}, problem=("read", str(exc)))
            continue
        yield display, RawRecord(0, {fields.id: display, fields.text: text}, path=display)
