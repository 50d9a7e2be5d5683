"""Shared by the batch tests: a generated corpus with broken records, and a real cluster.

A plain module rather than a conftest.py, so that ``from conftest import`` in the other test
folders keeps finding ``tests/conftest.py``. Importing it skips the importing module when the
``dask`` extra is not installed.

The corpus is written as JSON Lines, gzip JSON Lines, Parquet and CSV; :class:`Corpus` keeps
what every record should come out as: its ``(source, position)``, its id, its text (or the
error kind it must produce).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.distributed", reason='kepulint batch needs the dask extra: pip install ".[dask]"')
pytest.importorskip("pyarrow", reason='kepulint batch needs the dask extra: pip install ".[dask]"')

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2025-11-25"


def sentences() -> list[str]:
    """The seeds' sentences (each ending in its punctuation), the material of generated posts."""
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(s + "。" for s in line.split("。") if s.strip())
    return out


@dataclass
class Corpus:
    """Files of records, and what each record must become."""

    files: list[Path] = field(default_factory=list)
    texts: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (source, pos) -> (id, text)
    broken: dict[tuple[str, int], str] = field(default_factory=dict)  # (source, pos) -> error kind

    @property
    def keys(self) -> set[tuple[str, int]]:
        return set(self.texts) | set(self.broken)


def make_corpus(folder: Path, n: int, *, seed: int = 7) -> Corpus:
    """``n`` good records over four files (JSON Lines, .jsonl.gz, Parquet, CSV) plus broken ones."""
    rng = random.Random(seed)
    pool = sentences()
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()

    def post() -> str:
        return "".join(rng.choice(pool) for _ in range(rng.randint(1, 3)))[:200]

    shares = {"posts.jsonl": n * 5 // 10, "more.jsonl.gz": n * 2 // 10, "posts.parquet": n * 2 // 10}
    shares["posts.csv"] = n - sum(shares.values())
    ids = iter(range(10**9))

    # JSON Lines, plain and gzip: byte offsets are positions; broken lines in between
    for name in ("posts.jsonl", "more.jsonl.gz"):
        path = folder / name
        source = path.as_posix()
        buf = io.BytesIO()
        broken_lines: list[tuple[bytes, str]] = [
            (b'{"id": "bad-utf8", "text": "\xff\xfe"}\n', "decode"),
            (b"{not json}\n", "decode"),
            (b'{"id": "number", "text": 42}\n', "type"),
            (b'{"text": "no id here"}\n', "missing-id"),
            (b'{"id": "null-text", "text": null}\n', "missing-text"),
            (b'["an", "array"]\n', "type"),
        ]
        for i in range(shares[name]):
            if i % 997 == 5 and broken_lines:
                line, kind = broken_lines.pop()
                corpus.broken[(source, buf.tell())] = kind
                buf.write(line)
                buf.write(b"\n")  # blank lines are not records
            rid, text = f"j{next(ids)}", post()
            corpus.texts[(source, buf.tell())] = (rid, text)
            buf.write(json.dumps({"id": rid, "text": text, "lang": "zh"}, ensure_ascii=False).encode() + b"\n")
        data = buf.getvalue()
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        corpus.files.append(path)

    # Parquet: several row groups; a null text and a null id
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "posts.parquet"
    rows: dict[str, list[Any]] = {"id": [], "text": []}
    for row in range(shares["posts.parquet"]):
        rid, text = f"q{next(ids)}", post()
        if row == 3:
            text = None
            corpus.broken[(path.as_posix(), row)] = "missing-text"
        elif row == 4:
            rid = None
            corpus.broken[(path.as_posix(), row)] = "missing-id"
        else:
            corpus.texts[(path.as_posix(), row)] = (rid, text)
        rows["id"].append(rid)
        rows["text"].append(text)
    pq.write_table(pa.table(rows), path, row_group_size=max(1, shares["posts.parquet"] // 4))
    corpus.files.append(path)

    # CSV: quoted newlines, an empty id, an undecodable cell
    path = folder / "posts.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text"])
    for row in range(shares["posts.csv"]):
        rid, text = f"c{next(ids)}", post()
        if row == 2:
            text = text + "\n第二行。"
        if row == 6:
            rid = ""
            corpus.broken[(path.as_posix(), row)] = "missing-id"
        elif row == 8:
            text = "\udcb8坏字节"  # written as the raw byte 0xb8 below
            corpus.broken[(path.as_posix(), row)] = "decode"
        else:
            corpus.texts[(path.as_posix(), row)] = (rid, text)
        writer.writerow([rid, text])
    path.write_bytes(out.getvalue().encode("utf-8", "surrogateescape"))
    corpus.files.append(path)
    return corpus


def read_table(out: Path, name: str) -> Any:
    """One output table (all partitions) as a pandas DataFrame."""
    import pyarrow.dataset as ds

    return ds.dataset(out / name, format="parquet").to_table().to_pandas()


def findings_by_record(frame: Any) -> dict[str, list[tuple[Any, ...]]]:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    columns = ["code", "severity", "line", "column", "end_line", "end_column", "match", "message"]
    for row in frame[["record_id", *columns]].itertuples(index=False):
        grouped.setdefault(row[0], []).append(tuple(row[1:]))
    return grouped


def as_rows(diagnostics: list[Any]) -> list[tuple[Any, ...]]:
    return [(d.code, d.severity.label, d.line, d.column, d.end_line, d.end_column, d.match, d.message)
            for d in diagnostics]
