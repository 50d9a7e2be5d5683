"""What the full catalog costs against the three-rule engine (DSC001, CLM002, CLM006).

In-process CPU time over the same corpus files (``python bench/catalog_ratio.py [N]``,
default the first 400 drafts of bench/corpus/n1000; run ``bench/make_corpus.py`` first).
Five rounds, each timing both sides one after the other (so drift in the machine's load hits
both); the ratio of the best times, and the median of the per-round ratios. Start-up is
excluded on purpose: this is the per-draft cost of the rules, which is what the catalog adds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))

THREE = ["DSC001", "CLM002", "CLM006"]


def main() -> None:
    from kepulint.api import Settings, lint_source, ruleset_for

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    files = sorted((ROOT / "bench" / "corpus" / "n1000").glob("*"))[:count]
    if not files:
        raise SystemExit("no corpus: run python bench/make_corpus.py first")
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    settings = Settings(today="2026-11-25")
    ruleset_for(())

    def cpu(select: list[str] | None) -> float:
        for path, text in texts[:5]:  # warm: regexes compiled, vocabularies loaded
            lint_source(text, path, settings, select=select)
        start = time.process_time()
        for path, text in texts:
            lint_source(text, path, settings, select=select)
        return time.process_time() - start

    rounds = [(cpu(THREE), cpu(None)) for _ in range(5)]
    three = min(t for t, _ in rounds)
    full = min(f for _, f in rounds)
    ratios = sorted(f / t for t, f in rounds)
    chars = sum(len(t) for _, t in texts)
    print(f"{len(texts)} drafts, {chars:,} characters")
    print(f"three-rule engine: {three:.2f} s CPU ({three / len(texts) * 1000:.1f} ms per draft)")
    rules = len(ruleset_for(()).codes)
    print(f"full catalog ({rules} rules): {full:.2f} s CPU ({full / len(texts) * 1000:.1f} ms per draft)")
    print(f"per-round ratios: {', '.join(f'{r:.2f}' for r in ratios)} (median {ratios[2]:.2f})")
    print(f"catalog / three-rule engine: {full / three:.2f}x of the best times (target <= 3x)")


if __name__ == "__main__":
    main()
