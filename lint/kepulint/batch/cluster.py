"""Where the partitions run: a local Dask cluster on this machine, or an existing scheduler.

The local cluster has one single-threaded worker process per core (linting holds the GIL),
listens on 127.0.0.1 only, and serves its dashboard on 127.0.0.1 too.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from ..api import Settings

DASHBOARD = "127.0.0.1:8787"


class PreloadRules(WorkerPlugin):
    """Load the rule set and the linting engine once in every worker, present or future
    (a worker that replaces a dead one too), before it takes a partition."""

    name = "kepulint-rules"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def setup(self, worker: Any) -> None:
        from ..api import lint_source
        from .records import rule_versions

        lint_source("。\n", "warmup.md", self.settings)
        rule_versions(self.settings.rule_paths)


class ClusterError(Exception):
    """The scheduler cannot be reached or the local cluster cannot start: one line."""


def quiet_dask(debug: bool = False) -> None:
    """Dask logs every worker restart and connection closed at shutdown; kepulint reports
    what matters itself (``--debug`` keeps Dask's warnings)."""
    level = logging.WARNING if debug else logging.CRITICAL
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(level)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def connect(scheduler: str | None, workers: int | None = None, *, dashboard: str | None = DASHBOARD,
            echo: Callable[[str], None] = print) -> Iterator[Any]:
    """A :class:`dask.distributed.Client` to ``scheduler``, or to a new local cluster."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or default_workers()
    try:
        with warnings.catch_warnings():  # "Port 8787 is already in use": another port is taken, and printed
            warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=dashboard, silence_logs=logging.CRITICAL)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot start a local Dask cluster: {exc}") from None
    client = Client(cluster)
    link = cluster.dashboard_link if dashboard else ""
    echo(f"kepulint: local Dask cluster, {n} worker{'s' if n != 1 else ''}"
         + (f"; dashboard {link}" if link else ""))
    try:
        yield client
    finally:
        client.close()
        cluster.close()
