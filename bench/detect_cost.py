"""What issue #15's genre, voice and construction work costs: cold start and throughput.

    python bench/detect_cost.py [--baseline DIR] [--rounds N]

Compares this checkout with a baseline source tree (default: ``git archive main`` unpacked in a
temporary folder), both run the same way (``python -m kepulint`` with ``PYTHONPATH=<tree>/lint``),
interleaved round by round, in one run:

* cold start: ``kepulint check`` on one small draft, a fresh process each time (median);
* throughput: the seeds and the test drafts, linted in-process 20 times by a fresh process per
  tree per round (median seconds per round; the ratio is what matters).

Targets (issue #15): cold start within +0.05 s of the baseline; throughput no more than 15 % lower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "seeds" / "002_28c0e38efa1854a2.txt"
THROUGHPUT = """
import sys, time
from pathlib import Path
from kepulint.api import lint_text
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("seeds/*.txt"))]
texts += [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("tests/drafts/*.md"))]
for t in texts:
    lint_text(t, today="2026-12-07")
start = time.perf_counter()
for _ in range(20):
    for t in texts:
        lint_text(t, today="2026-12-07")
print(time.perf_counter() - start)
"""


def baseline_tree(ref: str) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    target = Path(tempfile.mkdtemp(prefix="kepulint-baseline-"))
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return target


def env_for(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "lint"), "KEPULINT_DEBUG": ""}


def cold_start(tree: Path) -> float:
    cmd = [sys.executable, "-m", "kepulint", "check", str(SMALL), "--no-config", "--no-cache", "--format", "concise"]
    start = time.perf_counter()
    subprocess.run(cmd, env=env_for(tree), cwd=tree, capture_output=True, check=False)
    return time.perf_counter() - start


def throughput(tree: Path) -> float:
    out = subprocess.run([sys.executable, "-c", THROUGHPUT, str(ROOT)], env=env_for(tree), cwd=tree,
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a source tree to compare with (default: git archive main)")
    parser.add_argument("--ref", default="main", help="the git ref to archive when --baseline is not given")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    base = args.baseline or baseline_tree(args.ref)
    trees = {"baseline": base, "this": ROOT}
    for tree in trees.values():  # warm the rule-set cache and the bytecode of both trees
        cold_start(tree)
        cold_start(tree)
    starts: dict[str, list[float]] = {k: [] for k in trees}
    speeds: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            starts[name].append(cold_start(tree))
    for _ in range(max(3, args.rounds // 5)):
        for name, tree in trees.items():
            speeds[name].append(throughput(tree))
    s = {k: statistics.median(v) for k, v in starts.items()}
    t = {k: statistics.median(v) for k, v in speeds.items()}
    print(f"cold start, one small file (median of {args.rounds}): baseline {s['baseline']:.3f} s, "
          f"this {s['this']:.3f} s, difference {s['this'] - s['baseline']:+.3f} s (target ≤ +0.05 s)")
    print(f"throughput, seeds and drafts ×20 in-process (median of {len(speeds['this'])}): baseline "
          f"{t['baseline']:.2f} s, this {t['this']:.2f} s, this/baseline speed {t['baseline'] / t['this']:.2f} "
          f"(target ≥ 0.85)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
