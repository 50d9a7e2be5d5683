"""Quality on real text: kepulint and a naive phrase-list baseline scored on the annotated corpus.

    python bench/quality.py                       # development part, Markdown tables
    python bench/quality.py --part test           # the held-out part (report only, never tune on it)
    python bench/quality.py --part all --json     # every text, one JSON object
    python bench/quality.py --misses [CODE ...]   # the clear findings kepulint missed, one a line
    python bench/quality.py --false-positives     # every dev-part diagnostic that matches no finding
    python bench/quality.py --genres              # annotated × predicted genre, and each disagreement

Format, split and scoring: tests/corpus/README.md. A broken corpus file is one line on stderr
and is skipped; the others are scored (exit 2 when any file was skipped).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lint"))

from quality_lib import (
    ROOT,
    NaiveBaseline,
    evaluate,
    false_positives,
    genre_report,
    kepulint_marks,
    load_corpus,
    markdown,
    misses,
    select_part,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "docs")
    parser.add_argument("--part", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--profile", default=None, help="force a profile (default: kepulint's own default)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of Markdown")
    parser.add_argument("--misses", nargs="*", metavar="CODE",
                        help="list the clear findings kepulint missed (of these codes, or all) instead of scores")
    parser.add_argument("--false-positives", action="store_true",
                        help="list every diagnostic that matches no annotated finding, one a line")
    parser.add_argument("--genres", action="store_true",
                        help="print a confusion matrix of annotated × predicted genre and each disagreement")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: error: not a directory", file=sys.stderr)
        return 2
    records, problems = load_corpus(args.corpus)
    for problem in problems:
        print(f"{problem} (skipped)", file=sys.stderr)
    records = select_part(records, args.part)
    if args.genres:
        print(genre_report(records), end="")
        return 2 if problems else 0
    if args.misses is not None or args.false_positives:
        if args.misses is not None:
            for line in misses(records, lambda r: kepulint_marks(r, args.profile), frozenset(args.misses)):
                print(line)
        else:
            for record in records:
                for line in false_positives(record, kepulint_marks(record, args.profile)):
                    print(line)
        return 2 if problems else 0
    kep = evaluate(records, lambda r: kepulint_marks(r, args.profile))
    base = evaluate(records, NaiveBaseline.from_rules().marks)
    if args.json:
        print(json.dumps({"part": args.part, "kepulint": kep.as_dict(), "baseline": base.as_dict()},
                         ensure_ascii=False, indent=1))
    else:
        print(markdown(args.part, kep, base))
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
