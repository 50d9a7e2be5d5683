"""What HTML and Word drafts cost against the same text as Markdown.

``python bench/input_formats.py [N]`` (default 200 drafts, needs python-docx): N drafts made by
``make_corpus.make_draft`` from the seeds, each written three ways with the same paragraphs:

* Markdown: the paragraphs, a blank line between them;
* HTML: a WeChat-style export (秀米/135编辑器): every paragraph in nested ``<section>`` elements
  with inline styles and ``data-`` attributes, ``&nbsp;`` indentation, every fifth character in a
  ``<span style=…>`` of its own — markup about 4× the text, as in real exports;
* Word: one paragraph per paragraph (python-docx).

Two measures, each in one run:

1. **per draft, in process**: CPU time of ``kepulint.lint_bytes`` (read the format + lint) over the
   N drafts, five interleaved rounds (Markdown, HTML, Word in turn, so drift in the machine's load
   hits all three); the ratio of the best times and the median of the per-round ratios.
2. **start-up, one small file** (what a pre-commit run pays): wall time of ``python -m kepulint
   check`` on a title and two paragraphs in each format, best of 7 fresh processes each, the
   formats interleaved; the Word run imports python-docx, the others must not.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import load_seeds, make_draft  # noqa: E402

TODAY = "2025-11-25"


def paragraphs_of(draft: str) -> list[str]:
    """The draft's prose paragraphs: front matter, headings' "#" and blank lines left out."""
    body = draft.split("\n---\n", 1)[1] if draft.startswith("---\n") else draft
    return [line.lstrip("# ").strip() for line in body.splitlines() if line.strip()]


def as_markdown(paragraphs: list[str]) -> bytes:
    return ("\n\n".join(paragraphs) + "\n").encode("utf-8")


def as_wechat_html(paragraphs: list[str]) -> bytes:
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><style>p{line-height:1.75em}</style></head>'
           '<body><div class="rich_media_content" id="js_content">']
    for n, text in enumerate(paragraphs):
        spans = "".join(f'<span style="color: rgb(62, 62, 62); font-size: 15px;">{ch}</span>' if i % 5 == 0 else ch
                        for i, ch in enumerate(text))
        out.append(f'<section data-role="paragraph" data-id="{n}" style="margin: 0px 8px;">'
                   f'<section style="padding: 0px; box-sizing: border-box;">'
                   f'<p style="text-indent: 2em;">&nbsp;&nbsp;{spans}</p></section></section>\n')
    out.append("</div></body></html>\n")
    return "".join(out).encode("utf-8")


def as_word(paragraphs: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def per_draft(drafts: dict[str, list[bytes]]) -> dict[str, list[float]]:
    import kepulint

    times: dict[str, list[float]] = {kind: [] for kind in drafts}
    for kind, items in drafts.items():  # warm: rules loaded, regexes compiled, python-docx imported
        for data in items[:5]:
            kepulint.lint_bytes(data, f"warm.{kind}", today=TODAY)
    for _ in range(5):
        for kind, items in drafts.items():
            start = time.process_time()
            for data in items:
                kepulint.lint_bytes(data, f"draft.{kind}", today=TODAY)
            times[kind].append(time.process_time() - start)
    return times


def start_up(samples: dict[str, bytes], rounds: int = 7) -> dict[str, float]:
    """Best wall time of ``kepulint check`` on one small file of each format, fresh processes,
    the formats interleaved round by round."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lint"), "KEPULINT_NO_CACHE": "1"}
    walls: dict[str, list[float]] = {kind: [] for kind in samples}
    with tempfile.TemporaryDirectory() as folder:
        paths = {kind: Path(folder) / f"one.{kind}" for kind in samples}
        for kind, data in samples.items():
            paths[kind].write_bytes(data)
        for _ in range(rounds):
            for kind, path in paths.items():
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "kepulint", "check", "--no-config", "--today", TODAY,
                                str(path)], env=env, capture_output=True, check=False)
                walls[kind].append(time.perf_counter() - start)
    return {kind: min(times) for kind, times in walls.items()}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seeds = load_seeds()
    texts = [paragraphs_of(make_draft(seeds, 20251125, i)[1]) for i in range(count)]
    drafts = {"md": [as_markdown(p) for p in texts], "html": [as_wechat_html(p) for p in texts],
              "docx": [as_word(p) for p in texts]}
    chars = sum(len("".join(p)) for p in texts)
    sizes = {kind: sum(map(len, items)) / 1e6 for kind, items in drafts.items()}
    print(f"{count} drafts, {chars:,} characters of text; bytes: "
          + ", ".join(f"{kind} {mb:.2f} MB" for kind, mb in sizes.items()))
    times = per_draft(drafts)
    md = min(times["md"])
    for kind in ("md", "html", "docx"):
        best = min(times[kind])
        rounds = [t / m for t, m in zip(times[kind], times["md"], strict=True)]
        print(f"{kind:>4}: {best:.2f} s CPU, {best / count * 1000:.2f} ms per draft; "
              f"vs Markdown {best / md:.2f}x (median per round {statistics.median(rounds):.2f}x)")
    small = texts[0][:3]  # a title and two paragraphs: start-up, not rule time, dominates
    walls = start_up({"md": as_markdown(small), "html": as_wechat_html(small), "docx": as_word(small)})
    print("start-up, one small file, best of 7: " + ", ".join(f"{kind} {wall:.3f} s" for kind, wall in walls.items())
          + f"; docx - md = {walls['docx'] - walls['md']:+.3f} s, html - md = {walls['html'] - walls['md']:+.3f} s")


if __name__ == "__main__":
    main()
