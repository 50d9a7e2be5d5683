"""The task a Dask worker runs: read one partition, lint every record, write its tables."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .inputs import Partition, read_partition
from .outputs import write_partition
from .records import Linting, Tables, lint_record


@dataclass(frozen=True)
class Job:
    """What every partition of a run shares (picklable: sent to each worker once per task)."""

    how: Linting
    out: str
    fmt: str = "parquet"
    encoding: str | None = None
    max_bytes: int = 20 * 1024 * 1024


def run_partition(part: Partition, job: Job) -> dict[str, Any]:
    """Lint ``part`` and write its output; its counts (also stored in its completion marker).

    Records that cannot be linted are error rows, so this raises only when the output cannot
    be written. The rule set is loaded once per worker process (``api.ruleset_for`` is cached).
    """
    started = time.perf_counter()
    tables = Tables()
    for source, record in read_partition(part, job.how.fields, encoding=job.encoding, max_bytes=job.max_bytes):
        lint_record(record, source, part.key, job.how, tables)
    stats = {**tables.stats(), "key": part.key, "source": part.label,
             "seconds": round(time.perf_counter() - started, 4)}
    write_partition(Path(job.out), part.key, tables, job.fmt, stats)
    return stats
