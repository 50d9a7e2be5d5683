"""Cost of hostile input: seconds per MB of adversarial drafts beside normal text, in one run.

    python bench/adversarial.py              # ~2 MB per case, write the table to bench/ADVERSARIAL.md
    python bench/adversarial.py --quick      # ~0.3 MB per case, print only
    python bench/adversarial.py --mb 1 --only cure,directives

Each case is one file, linted by a fresh ``kepulint check --jobs 1 --no-cache --no-config
--format json`` process (the command and the ``os.wait4`` measurement of ``bench/run.py``).
Its cost per MB is (CPU time − the CPU time of the same command on a one-line draft) / MB, so
interpreter start-up does not flatter small inputs, and other work on a shared machine does not
move the ratios as it moves wall time; the best of ``--repeat`` runs is kept.
The normal text is the five ``seeds/`` drafts repeated to the same size, with the bench corpus's
5 MB file (``bench/make_corpus.py``) beside it when it has been built. Peak memory is measured
on 10 MB inputs: the normal text, and the no-punctuation line (chunked).

The cases (issue #13): one long line of repeated triggers for each rule family, repeated vague
sources, thousands of ``kepulint-disable`` directives, prose with no punctuation, one 2 MB
line, plus triggers hidden by their context (negated, debunked, hedged: every context check
runs, nothing is reported). A finding costs more than a byte of text (its context checks, its
diagnostic and its JSON), so the trigger-dense cases are also given per finding.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import kepulint_cmd, measure  # noqa: E402  (bench/run.py, a sibling script)

COMMON = ["--no-config", "--no-cache", "--jobs", "1", "--format", "json", "--today", "2025-11-25"]
TARGET_RATIO = 3.0  # worst case ≤ 3× normal text per MB
TARGET_MEMORY_MB = 300.0  # for a 10 MB input
DENSE = 10  # a case with over 10× the findings per MB of normal text is "dense": its cost is per finding


def _seed_text() -> str:
    return "\n\n".join(p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def _repeat(unit: str, nbytes: int, head: str = "", tail: str = "") -> str:
    """``head``, then ``unit`` repeated to about ``nbytes`` UTF-8 bytes, then ``tail``."""
    count = max(1, nbytes // max(len(unit.encode()), 1))
    return head + unit * count + tail


def _no_punctuation(nbytes: int) -> str:
    """The seeds with every punctuation mark and line break removed: one sentence, one line."""
    text = "".join(ch for ch in _seed_text() if ch not in "，。；？！：、,.;?!:\n\r…")
    return _repeat(text, nbytes)[: nbytes // 3]


def _long_line(nbytes: int) -> str:
    """The seeds on one line (sentences kept): a 2 MB line for a 2 MB budget."""
    return _repeat(_seed_text().replace("\n", ""), nbytes)


def _directives(nbytes: int) -> str:
    unit = "<!-- kepulint-disable CLM002 -- 引用原文 -->\n干细胞可以根治糖尿病。\n<!-- kepulint-enable CLM002 -->\n"
    unit += "<!-- kepulint-disable-next-line CLM001 -- 公告原文 -->\n首个获批的药品。\n"
    return _repeat(unit, nbytes, head="# 标题\n\n")


HEAD = "# 干细胞科普\n\n作者：王医生，2025年1月1日。本文仅供参考，不构成医疗建议，请咨询医生。\n\n"
# name -> (how the text is built from a byte budget, file suffix, what it stresses)
CASES: dict[str, tuple[Callable[[int], str], str, str]] = {
    "cure": (lambda n: _repeat("根治", n, HEAD), ".md", "CLM002 cure claim ×N, one line"),
    "absolute": (lambda n: _repeat("最好的全球首款", n, HEAD), ".md", "CLM001 absolute claims, one line"),
    "safety+rate": (lambda n: _repeat("安全无副作用总有效率95%", n, HEAD), ".md", "CLM003 + CLM004 regex, one line"),
    "vague": (lambda n: _repeat("研究表明", n, HEAD), ".md", "CIT002 vague authority ×N, one line"),
    "vague-sources": (lambda n: _repeat("据专家指出数据显示35%的患者", n, HEAD), ".md",
                      "CIT001/CIT002 vague sources and statistics, one line"),
    "preclinical": (lambda n: _repeat("小鼠实验证明可用于临床治疗患者", n, HEAD), ".md",
                    "EVD001 cooccurrence, one line"),
    "trial": (lambda n: _repeat("该试验招募中NCT0123456", n, HEAD), ".md",
              "TRL001/TRL003 status and bad IDs, one line"),
    "hooks": (lambda n: _repeat("扫码预约患者反馈", n, HEAD), ".md", "ADV001/ADV002, one line"),
    "negated": (lambda n: _repeat("无法根治", n, HEAD), ".md", "negated cure claims (nothing reported)"),
    "debunked": (lambda n: _repeat("所谓根治", n, HEAD), ".md", "debunked cure claims (nothing reported)"),
    "hedged-contrast": (lambda n: _repeat("但可能根治", n, HEAD), ".md", "contrast + hedge before every claim"),
    "clauses": (lambda n: _repeat("根治，", n, HEAD), ".md",
                "one sentence of thousands of clauses, a claim in each (clause scope)"),
    "framed-clauses": (lambda n: _repeat("在小鼠模型中，根治，", n, HEAD), ".md",
                       "framing clauses before claims in one sentence (clause scope)"),
    "directives": (_directives, ".md", "thousands of kepulint-disable directives"),
    "no-punctuation": (_no_punctuation, ".txt", "prose with no punctuation (one sentence)"),
    "long-line": (_long_line, ".txt", "the seeds on one line"),
}


def _findings(report: Path) -> int:
    """Active plus suppressed diagnostics in a JSON report, counted in a child process: parsing
    a big report here would grow this process, and a child forked from a big process starts
    with its peak RSS (Linux carries ``ru_maxrss`` across ``exec``)."""
    code = "import json,sys; d=json.load(open(sys.argv[1],'rb')); print(len(d['diagnostics'])+len(d['suppressed']))"
    out = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, check=True)
    return int(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of each case in MB (default 2)")
    parser.add_argument("--quick", action="store_true", help="0.3 MB per case, no memory runs, print only")
    parser.add_argument("--repeat", type=int, default=2, help="runs per case; the best is kept (default 2)")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--out", type=Path, default=BENCH / "ADVERSARIAL.md")
    args = parser.parse_args(argv)
    nbytes = int((0.3 if args.quick else args.mb) * 1e6)
    wanted = [c for c in args.only.split(",") if c] or list(CASES)
    cmd, env = kepulint_cmd()
    rows: list[tuple[str, str, float, float, float, int]] = []  # name, what, MB, s/MB, RSS, findings
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        def best(label: str, path: Path) -> tuple[float, float, int]:
            """CPU seconds (user + system: steadier than wall time on a shared machine), peak RSS
            and findings of the run with the least CPU time."""
            report = work / "report.json"
            runs = [measure(label, [*cmd, "check", str(path), *COMMON], env=env, cwd=work, out=report)
                    for _ in range(max(args.repeat, 1))]
            run = min(runs, key=lambda r: r.cpu)
            return run.cpu, run.rss_mb, _findings(report)

        tiny = work / "tiny.md"
        tiny.write_text("一行。\n", "utf-8")
        start_up = best("start-up", tiny)[0]

        def case(name: str, what: str, text: str, suffix: str) -> None:
            path = work / f"{name}{suffix}"
            path.write_text(text, "utf-8")
            size = path.stat().st_size / 1e6
            cpu, rss, found = best(name, path)
            per_mb = max(cpu - start_up, 0.0) / size
            rows.append((name, what, size, per_mb, rss, found))
            print(f"{name:16} {size:6.2f} MB {per_mb:7.2f} CPU s/MB {rss:6.0f} MB RSS {found:8d} findings", flush=True)

        case("normal", "the seeds repeated (normal text)", _repeat(_seed_text() + "\n\n", nbytes), ".md")
        big = ROOT / "bench" / "corpus" / "big" / "big_5mb.md"
        if big.is_file() and not args.quick:
            case("normal-corpus", "bench corpus, one 5 MB file", big.read_text("utf-8"), ".md")
        for name in wanted:
            build, suffix, what = CASES[name]
            case(name, what, build(nbytes), suffix)
        memory: list[tuple[str, float, float]] = []
        if not args.quick:
            for name, text in (("normal text", _repeat(_seed_text() + "\n\n", 10_000_000)),
                               ("no punctuation", _no_punctuation(13_000_000))):
                path = work / "ten.md"
                path.write_text(text, "utf-8")
                cpu, rss, _ = best(name, path)
                memory.append((name, path.stat().st_size / 1e6, rss))
                print(f"{name:22} {rss:6.0f} MB RSS ({cpu:.1f} CPU s)", flush=True)
    normal_row = next(r for r in rows if r[0] == "normal")
    normal = normal_row[3]
    dense_at = DENSE * normal_row[5] / normal_row[2]  # findings per MB that make a case "dense"
    sparse = [r for r in rows if r[5] / r[2] <= dense_at]
    worst, worst_sparse = max(rows, key=lambda r: r[3]), max(sparse, key=lambda r: r[3])
    summary = (f"normal {normal:.2f} s/MB; worst {worst[0]} {worst[3]:.2f} s/MB = {worst[3] / normal:.1f}×; "
               f"worst without dense findings {worst_sparse[0]} {worst_sparse[3]:.2f} s/MB = "
               f"{worst_sparse[3] / normal:.1f}× (target ≤ {TARGET_RATIO:.0f}×)")
    print(summary)
    if args.quick:
        return 0
    lines = [
        "# Adversarial inputs: seconds per MB (`python bench/adversarial.py`)",
        "",
        f"Written {dt.date.today().isoformat()} by `bench/adversarial.py` (one run; CPU time, user + system, "
        f"of the best of {args.repeat} runs per case, less start-up ({start_up:.2f} s); wall time on this shared "
        f"machine varied too much). Target: worst ≤ {TARGET_RATIO:.0f}× normal per MB, ≤ "
        f"{TARGET_MEMORY_MB:.0f} MB peak RSS for a 10 MB input.",
        "",
        "| case | what | MB | CPU s/MB | × normal | peak RSS MB | findings | CPU ms per finding |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, what, size, per_mb, rss, found in rows:
        per_finding = f"{per_mb * size / found * 1000:.3f}" if found / size > dense_at else "–"
        lines.append(f"| {name} | {what} | {size:.2f} | {per_mb:.2f} | {per_mb / normal:.2f} | {rss:.0f} | "
                     f"{found} | {per_finding} |")
    lines += ["", summary + f"; a case is dense above {dense_at:,.0f} findings per MB ({DENSE}× normal).",
              "", "| ~10 MB input | MB | peak RSS MB |", "|---|---:|---:|"]
    lines += [f"| {name} | {size:.1f} | {rss:.0f} |" for name, size, rss in memory]
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
