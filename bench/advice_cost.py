"""What advice and fixes add to linting a draft (``python bench/advice_cost.py [N] [PROFILE]``).

In-process CPU time over the first N drafts of bench/corpus/n1000 (default 200; run
``bench/make_corpus.py`` first), with advice and fixes computed as shipped, and with the two
functions that compute them replaced by no-ops. Five rounds, both sides one after the other in
each round (so drift in the machine's load hits both); the ratio of the best times and the
median of the per-round ratios.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))


def main() -> None:
    from kepulint.api import Settings, lint_source, ruleset_for
    from kepulint.check import engine

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    profile = sys.argv[2] if len(sys.argv) > 2 else "cn"
    files = sorted((ROOT / "bench" / "corpus" / "n1000").glob("*"))[:count]
    if not files:
        raise SystemExit("no corpus: run python bench/make_corpus.py first")
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    settings = Settings(today="2026-11-25", profile=profile)
    ruleset_for(())
    shipped = (engine.advise, engine.fixes_for)

    def cpu(with_advice: bool) -> float:
        engine.advise, engine.fixes_for = shipped if with_advice else (lambda *a, **k: "", lambda *a, **k: ())
        for path, text in texts[:5]:  # warm
            lint_source(text, path, settings)
        start = time.process_time()
        for path, text in texts:
            lint_source(text, path, settings)
        return time.process_time() - start

    rounds = [(cpu(True), cpu(False)) for _ in range(5)]
    engine.advise, engine.fixes_for = shipped
    best = min(r[0] for r in rounds) / min(r[1] for r in rounds)
    median = statistics.median(a / b for a, b in rounds)
    print(f"advice+fixes vs none, {len(texts)} drafts, profile {profile}: best {best:.3f}x, median {median:.3f}x "
          f"({min(r[0] for r in rounds) / len(texts) * 1000:.2f} vs {min(r[1] for r in rounds) / len(texts) * 1000:.2f}"
          " ms per draft)")


if __name__ == "__main__":
    main()
