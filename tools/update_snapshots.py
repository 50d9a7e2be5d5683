"""Regenerate the reviewed regression snapshots in tests/snapshots/ (``python tools/update_snapshots.py``).

Only run this after reviewing every changed line by hand: the snapshots are the record of
what a compliance editor accepted (tests/seed_review/ has the reasoning per code).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))

TODAY = "2026-11-25"
SETS = {"seeds": ROOT / "seeds", "drafts": ROOT / "tests" / "drafts"}


def snapshot(folder: Path) -> str:
    from kepulint.api import Settings, lint_source

    lines: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt")):
        rel = path.relative_to(ROOT).as_posix()
        result = lint_source(path.read_text(encoding="utf-8"), rel, Settings(today=TODAY))
        for d in result.diagnostics:
            lines.append(f"{rel}:{d.line}:{d.column}: {d.code} [{d.severity.label}] {d.match!r}")
        for d in result.suppressed:
            lines.append(f"{rel}:{d.line}:{d.column}: {d.code} (suppressed) {d.match!r}")
    return "\n".join(lines) + "\n"


def main() -> None:
    for name, folder in SETS.items():
        (ROOT / "tests" / "snapshots" / f"{name}.txt").write_text(snapshot(folder), encoding="utf-8")
        print(f"wrote tests/snapshots/{name}.txt")


if __name__ == "__main__":
    main()
