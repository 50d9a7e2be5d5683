"""Inter-annotator agreement on the quality corpus.

``tests/corpus/agreement/`` holds a blind second annotation of some texts of
``tests/corpus/docs/`` (same id, same lines). This prints how far the two annotators agree:
genre, and findings matched as ``bench/quality.py`` matches a diagnostic (same line, same
code, overlapping quote).

    python tools/corpus_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def _span(lines: list[str], item: dict) -> tuple[int, int, int]:
    start = lines[item["line"] - 1].find(item["quote"])
    return item["line"], start, start + len(item["quote"])


def _overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _matched(items: list[dict], others: list[dict], lines: list[str]) -> int:
    """How many of ``items`` have a finding of the same code overlapping them in ``others``."""
    count = 0
    for item in items:
        span = _span(lines, item)
        if any(o["code"] == item["code"] and _overlaps(span, _span(lines, o)) for o in others):
            count += 1
    return count


def main() -> int:
    pairs = []
    for second in sorted((CORPUS / "agreement").glob("*.json")):
        first = CORPUS / "docs" / second.name
        if not first.exists():
            print(f"{second}: no text with this id in docs/", file=sys.stderr)
            continue
        a, b = json.loads(first.read_text("utf-8")), json.loads(second.read_text("utf-8"))
        if a["lines"] != b["lines"]:
            print(f"{second}: lines differ from {first}", file=sys.stderr)
            continue
        pairs.append((a, b))
    if not pairs:
        print("no agreement pairs", file=sys.stderr)
        return 2
    genre = sum(a["genre"] == b["genre"] for a, b in pairs)
    rows = []
    for label, keep in (("all findings", lambda f: True), ("clear findings", lambda f: f["grade"] == "clear")):
        a_items = b_items = a_hit = b_hit = 0
        for a, b in pairs:
            fa = [f for f in a["findings"] if keep(f)]
            fb = [f for f in b["findings"] if keep(f)]
            a_items, b_items = a_items + len(fa), b_items + len(fb)
            # a clear finding of one annotator counts as agreed when the other flagged it at all
            a_hit += _matched(fa, b["findings"], a["lines"])
            b_hit += _matched(fb, a["findings"], a["lines"])
        rows.append((label, a_items, b_items, a_hit / max(a_items, 1), b_hit / max(b_items, 1)))
    print(f"texts annotated twice: {len(pairs)}; same genre: {genre}/{len(pairs)}")
    print()
    print("| findings | first | second | first's found by second | second's found by first |")
    print("|---|---|---|---|---|")
    for label, na, nb, ra, rb in rows:
        print(f"| {label} | {na} | {nb} | {ra:.2f} | {rb:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
