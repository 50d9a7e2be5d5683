"""What the lookbehind anchoring pass (rules/anchoring.py) saves: the catalog with its regexes
as the rule files write them (plain) against the forms the loader derives (fast).

In-process CPU time over generated drafts (``python bench/anchoring.py [N]``, default 200
drafts from ``make_corpus.make_draft``): five rounds, each timing both rule sets one after the
other; the ratio of the best times and the median of the per-round ratios. Both rule sets
must find the same diagnostics.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    import yaml
    from make_corpus import load_seeds, make_draft

    from kepulint.api import Settings, lint_source
    from kepulint.kinds.candidates import CompiledRules
    from kepulint.rules.ruleset import RuleSet, load_rules
    from kepulint.rules.validation import upgraded

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seeds = load_seeds()
    texts = [make_draft(seeds, 20251125, i) for i in range(count)]
    fast = load_rules(use_cache=False, build=CompiledRules)
    as_written = []
    for rule in fast:
        params = yaml.safe_load(Path(rule.source).read_text(encoding="utf-8")).get("params", {})
        as_written.append(replace(rule, params=upgraded(rule.kind, params)[0]))
    plain = RuleSet(as_written, build=CompiledRules)
    settings = Settings(today="2026-11-25")

    def cpu(ruleset: RuleSet) -> tuple[float, list[tuple[str, int, int]]]:
        found = []
        for name, text in texts[:5]:  # warm: regexes compiled, vocabularies loaded
            lint_source(text, name, settings, ruleset=ruleset)
        start = time.process_time()
        for name, text in texts:
            result = lint_source(text, name, settings, ruleset=ruleset)
            found += [(d.code, d.line, d.column) for d in result.diagnostics]
        return time.process_time() - start, found

    rounds = []
    for _ in range(5):
        (t_plain, f_plain), (t_fast, f_fast) = cpu(plain), cpu(fast)
        assert f_plain == f_fast, "the plain and fast forms must find the same diagnostics"
        rounds.append((t_plain, t_fast))
    best_plain, best_fast = min(p for p, _ in rounds), min(f for _, f in rounds)
    ratios = sorted(p / f for p, f in rounds)
    print(f"{count} drafts, {sum(len(t) for _, t in texts):,} characters, {len(f_fast)} diagnostics (same on both)")
    print(f"plain regexes (as written): {best_plain:.2f} s CPU; derived fast forms: {best_fast:.2f} s CPU")
    print(f"plain / fast: {best_plain / best_fast:.2f} (per-round {', '.join(f'{r:.2f}' for r in ratios)}, "
          f"median {ratios[2]:.2f})")


if __name__ == "__main__":
    main()
