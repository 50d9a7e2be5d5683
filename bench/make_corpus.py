"""Build a deterministic benchmark corpus from the real drafts in ``seeds/``.

    python bench/make_corpus.py                 # bench/corpus/n100, n1000, big (5 MB), spread5mb
    python bench/make_corpus.py -n 250 --out /tmp/c --seed 7

Every draft is 2,000–6,000 characters of consecutive paragraphs from one seed (sometimes
with a few paragraphs of a second seed spliced in), a Markdown heading, YAML front matter
(title, date, and sometimes author / reviewer / type) and, now and then, a disclaimer. The
mix of scripts follows the seeds (2 of 5 are machine-converted Traditional); about a third
of the Simplified drafts are converted with OpenCC ``s2t`` when the ``opencc`` package is
installed (otherwise they keep the seed's script, and the corpus differs; the script says
which on stderr). File *i* depends only on (seed, i), so ``n100`` is the first 100 files
of ``n1000``.

``big/big_5mb.md`` is the ``n1000`` drafts concatenated in order (front matter kept only on
the first) up to 5 MiB; ``spread5mb/`` holds exactly the drafts it was made of, so the two
measure the same bytes in one file and in many.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BIG_BYTES = 5 * 1024 * 1024

AUTHORS = ["王医生", "李主任", "张药师", "陈编辑", "科普小组", "刘教授"]
REVIEWERS = ["赵主任医师", "孙副主任医师", "周教授", "吴研究员"]
DISCLAIMERS = [
    "免责声明：本文仅供科普参考，不构成医疗建议，如有不适请及时就医。",
    "本文内容仅供参考，不构成医疗建议；具体诊疗请咨询专业医生。",
    "（声明：本文仅作健康科普，不能替代医生的诊断与治疗。）",
]
TITLES = ["干细胞治疗进展解读", "关于抑郁症你需要知道的事", "中风康复新思路", "临床研究速览", "科普问答"]


@lru_cache(maxsize=1)
def _s2t() -> object | None:
    try:
        import opencc
    except ImportError:
        print("make_corpus: opencc not installed; Simplified drafts stay Simplified", file=sys.stderr)
        return None
    return opencc.OpenCC("s2t")


def load_seeds(seeds: Path = SEEDS) -> list[list[str]]:
    """Each seed as its list of non-blank paragraphs (lines)."""
    out = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append([line.strip() for line in text.splitlines() if line.strip()])
    return out


def _is_traditional(paragraphs: list[str]) -> bool:
    sample = "".join(paragraphs[:20])
    return sum(sample.count(c) for c in "於與為會個這說對時們後發過還國經") > \
        sum(sample.count(c) for c in "于与为会个这说对时们后发过还国经")


def make_draft(seeds: list[list[str]], seed: int, i: int) -> tuple[str, str]:
    """(file name, text) of draft ``i``: a pure function of ``seed`` and ``i``."""
    rng = random.Random(seed * 1_000_003 + i)
    target = rng.randint(1950, 5800)  # + front matter and heading: 2,000–6,000 characters
    src = rng.randrange(len(seeds))
    paras = seeds[src]
    pos = rng.randrange(len(paras))
    body: list[str] = []
    size = 0
    while size < target:
        if rng.random() < 0.08:  # splice a few paragraphs of another seed
            other = seeds[rng.randrange(len(seeds))]
            start = rng.randrange(len(other))
            chunk = other[start : start + rng.randint(1, 3)]
        else:
            chunk = [paras[pos % len(paras)]]
            pos += 1
        for p in chunk:
            room = target - size
            if room <= 0:
                break
            if len(p) > room + 40:  # cut the last paragraph to land inside the target range
                p = p[: max(room, 40)]
            body.append(p)
            size += len(p) + 1
    if rng.random() < 0.4:
        body.insert(rng.randrange(len(body) + 1), rng.choice(DISCLAIMERS))
    markdown = rng.random() < 0.6
    title = rng.choice(TITLES)
    text = "\n\n".join(body) if markdown else "\n".join(body)
    if markdown:
        text = f"# {title}\n\n{text}"
    traditional = _is_traditional(paras)
    if not traditional and rng.random() < 0.33:
        conv = _s2t()
        if conv is not None:
            text = conv.convert(text)  # type: ignore[attr-defined]
            title = conv.convert(title)  # type: ignore[attr-defined]
    front = ["---", f"title: {title}", f"date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    if rng.random() < 0.7:
        front.append(f"author: {rng.choice(AUTHORS)}")
    if rng.random() < 0.4:
        front.append(f"reviewer: {rng.choice(REVIEWERS)}")
    if rng.random() < 0.05:
        front.append("type: ad")
    front.append("---")
    name = f"draft_{i:04d}.{'md' if markdown else 'txt'}"
    return name, "\n".join(front) + "\n" + text + "\n"


def write_corpus(out: Path, n: int, seed: int = 20251125) -> list[Path]:
    """``n`` drafts in ``out`` (replaced); returns their paths in order."""
    seeds = load_seeds()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = []
    for i in range(n):
        name, text = make_draft(seeds, seed, i)
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def write_big(sources: list[Path], big_dir: Path, spread_dir: Path, limit: int = BIG_BYTES) -> tuple[Path, int]:
    """Concatenate ``sources`` in order up to ``limit`` bytes into one Markdown file, and copy
    the drafts used into ``spread_dir``; returns the big file and how many drafts it holds."""
    for d in (big_dir, spread_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    parts: list[bytes] = []
    size = 0
    used = 0
    for k, src in enumerate(sources):
        text = src.read_text(encoding="utf-8")
        piece = (text if k == 0 else "\n" + _strip_front_matter(text)).encode("utf-8")
        parts.append(piece)
        size += len(piece)
        used += 1
        shutil.copyfile(src, spread_dir / src.name)
        if size >= limit:
            break
    big = big_dir / "big_5mb.md"
    big.write_bytes(b"".join(parts))
    return big, used


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, action="append", help="corpus size (repeatable) [100, 1000]")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "corpus")
    ap.add_argument("--seed", type=int, default=20251125)
    ap.add_argument("--no-big", action="store_true", help="skip the 5 MB file")
    args = ap.parse_args(argv)
    sizes = args.n or [100, 1000]
    largest: list[Path] = []
    for n in sizes:
        paths = write_corpus(args.out / f"n{n}", n, args.seed)
        total = sum(p.stat().st_size for p in paths)
        print(f"{args.out / f'n{n}'}: {n} files, {total / 1e6:.2f} MB")
        if len(paths) > len(largest):
            largest = paths
    if not args.no_big:
        big, used = write_big(largest, args.out / "big", args.out / "spread5mb")
        print(f"{big}: {big.stat().st_size / 1e6:.2f} MB from {used} drafts (also in {args.out / 'spread5mb'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
