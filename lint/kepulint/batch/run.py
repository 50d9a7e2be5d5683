"""``kepulint batch`` end to end: plan partitions, skip completed ones, run the rest, sum up."""

from __future__ import annotations

import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import Partition
from .outputs import completed
from .progress import Progress
from .task import Job, run_partition


class Interrupted(Exception):
    """Ctrl-C: the partitions that are complete stay complete; ``--resume`` finishes the run."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"{done} of {total} partitions complete")
        self.done, self.total = done, total


@dataclass
class Outcome:
    """What a run did: the counts of every complete partition and what went wrong."""

    partitions: int = 0
    resumed: int = 0
    stats: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # partitions whose task raised
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return sum(s["records"] for s in self.stats)

    @property
    def linted_now(self) -> int:
        return sum(s["records"] for s in self.stats[self.resumed:])

    def total(self, key: str) -> int:
        return sum(s[key] for s in self.stats)

    def codes(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for s in self.stats:
            counts.update(s["codes"])
        return counts


def run(client: Any, partitions: list[Partition], job: Job, *, resume: bool = False,
        progress: Progress | None = None, on_done: Callable[[dict[str, Any]], None] | None = None) -> Outcome:
    """Run ``partitions`` on ``client``'s cluster, writing under ``job.out`` (checked and
    stamped with the run's settings first: :func:`kepulint.batch.outputs.prepare`)."""
    from dask.distributed import as_completed

    from .cluster import PreloadRules

    out = Path(job.out)
    done = completed(out, [p.key for p in partitions], job.fmt) if resume else {}
    outcome = Outcome(partitions=len(partitions), resumed=len(done), stats=list(done.values()))
    todo = [p for p in partitions if p.key not in done]
    progress = progress or Progress(len(todo), sys.stderr, False)
    progress.total = len(todo)
    client.register_plugin(PreloadRules(job.how.settings))  # every worker, before its first partition
    started = time.perf_counter()
    token = uuid.uuid4().hex[:8]
    futures = client.map(run_partition, todo, job=job, key=[f"kepulint-{p.key}-{token}" for p in todo])
    labels = {f.key: p.label for f, p in zip(futures, todo, strict=True)}
    try:
        for future in as_completed(futures):
            try:
                stats = future.result()
            except Exception as exc:  # the output could not be written, or the worker kept dying
                outcome.failures.append(f"{labels[future.key]}: {type(exc).__name__}: {exc}")
                continue
            finally:
                future.release()
            outcome.stats.append(stats)
            progress.update(stats["records"])
            if on_done is not None:
                on_done(stats)
    except KeyboardInterrupt:
        client.cancel(futures)
        progress.close()
        raise Interrupted(len(outcome.stats), len(partitions)) from None
    progress.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


def summary(outcome: Outcome, *, workers: int, fail_on: str, out: str) -> str:
    """The report printed at the end: records, findings per code, failures, throughput."""
    rate = outcome.linted_now / outcome.seconds if outcome.seconds else 0.0
    resumed = f" ({outcome.resumed} already complete)" if outcome.resumed else ""
    lines = [f"Linted {outcome.records:,} records in {outcome.partitions} partitions{resumed}; "
             f"{outcome.linted_now:,} this run in {outcome.seconds:.1f} s ({rate:,.0f} records/s, "
             f"{workers} worker{'s' if workers != 1 else ''})."]
    codes = outcome.codes()
    lines.append(f"Findings: {sum(codes.values()):,}")
    lines += [f"  {code:<8}{count:>12,}" for code, count in sorted(codes.items())]
    if fail_on != "never":
        lines.append(f"Failed (a finding at {fail_on} or above): {outcome.total('failed'):,} records")
    errors = outcome.total("errors")
    if errors:
        lines.append(f"Errors: {errors:,} records could not be linted (see {out}/errors)")
    lines += [f"Partition failed: {line}" for line in outcome.failures]
    if outcome.failures:
        lines.append(f"{len(outcome.failures)} partition(s) failed; run again with --resume to retry them")
    lines.append(f"Tables: {out}/findings, {out}/summary, {out}/errors")
    return "\n".join(lines)
