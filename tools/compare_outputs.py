"""Dump kepulint's diagnostics for a fixed set of inputs, and diff two dumps.

A refactoring that must not change what kepulint reports (the linear-cost work of issue #13,
say) is checked by dumping before and after and diffing::

    git stash; python tools/compare_outputs.py dump /tmp/before.json; git stash pop
    python tools/compare_outputs.py dump /tmp/after.json
    python tools/compare_outputs.py diff /tmp/before.json /tmp/after.json   # exit 1 on a difference
    python tools/compare_outputs.py dump --index-all /tmp/index.json  # every range query from an index
    python tools/compare_outputs.py diff --ignore help /tmp/before.json /tmp/after.json  # a field that left Diagnostic
    python tools/compare_outputs.py reports v1.json v2.json  # JSON reports of format 1 and 2: the same findings?

The inputs: ``seeds/``, ``tests/drafts/``, ``tests/adversarial/odd/``, the bench corpus
(``bench/corpus/n1000`` when ``bench/make_corpus.py`` has been run) and a few hundred texts
generated here (deterministic): seed sentences with punctuation dropped or swapped, contrast
words, negation cues, quotes, hedges, directives and triggers spliced in, and long runs of
repeated triggers — the shapes where a change to clause or sentence scanning would show.
Each input is linted in-process with :func:`kepulint.api.lint_source` (``--today`` fixed);
the dump holds every field of every active and suppressed diagnostic.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))

FOLDERS = ("seeds", "tests/drafts", "tests/adversarial/odd", "bench/corpus/n1000")
SUFFIXES = {".md", ".markdown", ".txt"}
TODAY = "2025-11-25"

# pieces spliced into generated texts: context words, triggers of every family, markup
SPLICES = [
    "但是", "然而", "不过", "却", "，", "。", "；", "？", "！", "：", "\n", "\n\n", " ", "…",
    "无法", "不能", "没有证据表明", "并非", "尚未", "所谓", "号称", "谣言", "骗局", "“", "”", "「", "」",
    "可能", "有望", "尚需验证", "不可能", "小鼠", "大鼠", "体外实验", "必将", "彻底", "100%",
    "根治", "治愈", "包治百病", "最好", "第一", "全球首款", "安全无副作用", "总有效率95%", "优于药物",
    "突破性", "研究表明", "数据显示", "专家指出", "35%的患者", "招募中", "II期", "NCT0123456",
    "NCT01234567", "截至2024年6月", "[1]", "【2】", "患者", "临床治疗", "已用于临床治疗",
    "扫码预约", "我院", "患者反馈", "能根治吗", "是否", "参考文献",
    "免责声明：本文仅供参考，不构成医疗建议，请咨询医生。",
    "<!-- kepulint-disable CLM002 -- 引用 -->", "<!-- kepulint-enable CLM002 -->",
    "<!-- kepulint-disable-next-line CLM001 -- 原文 -->", "<!-- kepulint-disable -->",
]
REPEATS = ["根治", "研究表明", "无法根治", "所谓根治", "小鼠患者", "招募中", "35%", "可能根治，", "“根治”是谣言。"]


def inputs() -> list[tuple[str, str]]:
    """(path, text) of every input, in a fixed order."""
    out: list[tuple[str, str]] = []
    for folder in FOLDERS:
        base = ROOT / folder
        if not base.is_dir():
            print(f"note: {folder} not found, skipped", file=sys.stderr)
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                out.append((str(path.relative_to(ROOT)), path.read_bytes().decode("utf-8", "replace")))
    return out + generated()


def generated(count: int = 400) -> list[tuple[str, str]]:
    """Deterministic stress texts built from the seeds' sentences and :data:`SPLICES`."""
    rng = random.Random(13)
    seed_text = "".join(p.read_text("utf-8", "replace") for p in sorted((ROOT / "seeds").glob("*.txt")))
    out = []
    for i in range(count):
        start = rng.randrange(max(len(seed_text) - 3000, 1))
        chars = list(seed_text[start : start + rng.randrange(50, 3000)])
        for _ in range(rng.randrange(0, 60)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(SPLICES))
        if i % 4 == 1:  # no punctuation at all
            chars = [c for c in chars if c not in "，。；？！：,.;?!:"]
        elif i % 4 == 2:  # one line
            chars = [c.replace("\n", "") for c in chars]
        suffix = ".md" if i % 2 else ".txt"
        out.append((f"<generated>/{i:03d}{suffix}", "".join(chars)))
    for j, word in enumerate(REPEATS):
        for n in (1, 7, 300):
            out.append((f"<repeated>/{j}-{n}.txt", word * n))
            out.append((f"<repeated>/{j}-{n}-md.md", ("前文。" + word * n + "\n\n") * 2))
    return out


def dump(target: Path, index_all: bool = False) -> int:
    from kepulint.api import Settings, lint_source
    from kepulint.text import matchindex

    if index_all:  # answer every range query from the match indexes, however short the range
        matchindex.SHORT = -1

    settings = Settings(today=TODAY)
    result = {}
    for path, text in inputs():
        r = lint_source(text, path, settings)
        result[path] = {
            "diagnostics": [asdict(d) for d in r.diagnostics],
            "suppressed": [asdict(d) for d in r.suppressed],
            "notice": r.notice,
        }
    target.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, default=str), "utf-8")
    count = sum(len(v["diagnostics"]) for v in result.values())
    print(f"{len(result)} inputs, {count} diagnostics -> {target}")
    return 0


def _without(dump: dict[str, Any], ignored: set[str]) -> dict[str, Any]:
    """``dump`` with the ``ignored`` fields left out of every diagnostic."""
    return {path: {**entry, **{key: [{f: v for f, v in d.items() if f not in ignored} for d in entry[key]]
                               for key in ("diagnostics", "suppressed")}}
            for path, entry in dump.items()}


def diff(a: Path, b: Path, ignore: Sequence[str] = ()) -> int:
    """Print each input whose diagnostics differ (``ignore``: fields not compared); 1 if any."""
    left, right = (_without(json.loads(p.read_text("utf-8")), set(ignore)) for p in (a, b))
    problems = [f"only in {a}: {k}" for k in sorted(left.keys() - right.keys())]
    problems += [f"only in {b}: {k}" for k in sorted(right.keys() - left.keys())]
    for key in sorted(left.keys() & right.keys()):
        if left[key] != right[key]:
            l_diags, r_diags = left[key]["diagnostics"], right[key]["diagnostics"]
            pairs = list(zip(l_diags + left[key]["suppressed"], r_diags + right[key]["suppressed"], strict=False))
            fields = sorted({f for x, y in pairs for f in x if x[f] != y.get(f)})
            first = next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(l_diags), len(r_diags)))
            problems.append(f"{key}: {len(l_diags)} vs {len(r_diags)} diagnostics, first difference at #{first}"
                            f" (fields: {', '.join(fields) or 'counts'})")
    for line in problems:
        print(line)
    print(f"{len(left)} inputs compared, {len(problems)} differ")
    return 1 if problems else 0


def reports(v1_path: Path, v2_path: Path) -> int:
    """Compare a format-1 JSON report with a format-2 one of the same run: each format-2
    diagnostic, given back the ``name`` and ``help`` its rule has in ``rules`` (for its
    ``profile``), must equal the format-1 diagnostic; the other members must be equal."""
    v1, v2 = (json.loads(p.read_text("utf-8")) for p in (v1_path, v2_path))

    def as_v1(d: dict[str, Any]) -> dict[str, Any]:
        rule, out = v2["rules"][d["code"]], {k: v for k, v in d.items() if k != "profile"}
        return {**out, "name": rule["name"], "help": rule["help"][d["profile"]]}

    problems = []
    for key in ("diagnostics", "suppressed"):
        old, new = v1[key], [as_v1(d) for d in v2[key]]
        if old != new:
            first = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
            problems.append(f"{key}: {len(old)} vs {len(new)}, first difference at #{first}")
    problems += [f"{key} differ" for key in ("errors", "notices", "documents", "summary", "baseline")
                 if v1.get(key) != v2.get(key)]
    for line in problems:
        print(line)
    print(f"{len(v1['diagnostics'])} diagnostics, {len(v1['suppressed'])} suppressed compared; "
          f"{v1_path.stat().st_size} -> {v2_path.stat().st_size} bytes")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dumper = sub.add_parser("dump")
    dumper.add_argument("out", type=Path)
    dumper.add_argument("--index-all", action="store_true",
                        help="use kepulint.text.matchindex for every range query (a check of the index path)")
    d = sub.add_parser("diff")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--ignore", action="append", default=[], metavar="FIELD",
                   help="a diagnostic field not to compare (repeatable), e.g. one the Diagnostic type lost")
    r = sub.add_parser("reports")
    r.add_argument("v1", type=Path)
    r.add_argument("v2", type=Path)
    args = parser.parse_args(argv)
    if args.command == "reports":
        return reports(args.v1, args.v2)
    return dump(args.out, args.index_all) if args.command == "dump" else diff(args.a, args.b, args.ignore)


if __name__ == "__main__":
    raise SystemExit(main())
