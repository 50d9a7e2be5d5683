"""A one-line progress display on a terminal: partitions and records done, rate, ETA."""

from __future__ import annotations

import os
import time
from typing import TextIO


def wanted(stream: TextIO, choice: bool | None) -> bool:
    """Show progress? ``--progress/--no-progress`` decide; by default only on a terminal, not in CI."""
    if choice is not None:
        return choice
    return stream.isatty() and not os.environ.get("CI")


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Rewrites one line of ``stream`` (at most ten times a second) as partitions complete."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled = total, stream, enabled
        self.parts = self.records = 0
        self.started = self._shown = time.monotonic()

    def update(self, records: int) -> None:
        self.parts += 1
        self.records += records
        now = time.monotonic()
        if self.enabled and (now - self._shown >= 0.1 or self.parts == self.total):
            self._shown = now
            self.stream.write("\r\x1b[K" + self.line(now))
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.records / elapsed
        eta = elapsed / self.parts * (self.total - self.parts) if self.parts else 0.0
        return (f"{self.parts}/{self.total} partitions · {self.records:,} records · "
                f"{rate:,.0f} records/s · ETA {_clock(eta)}")

    def close(self) -> None:
        if self.enabled and self.parts:
            self.stream.write("\n")
            self.stream.flush()
