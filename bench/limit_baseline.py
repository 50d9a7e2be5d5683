"""The speed limit: read every file and scan it once for all the catalog's phrases.

    python bench/limit_baseline.py bench/corpus/n1000 [more paths…] > hits.txt

Collects every ``terms`` / ``terms_traditional`` / ``exceptions`` list (and the term lists
of document checks' ``pairs``) anywhere in ``rules/*.yaml`` — top level and the kinds'
nested groups (``left``, ``right``, ``qualifiers``, ``paragraph.blockers``, ``checks``) —
builds one Aho-Corasick automaton (``ahocorasick_rs``, the matcher kepulint itself uses)
and prints ``path:offset:term`` for each hit. No
folding, no context, no rules: what any linter of this catalog has to pay at least.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import ahocorasick_rs
import yaml

ROOT = Path(__file__).resolve().parents[1]
TERM_KEYS = ("terms", "terms_traditional", "exceptions")
SUFFIXES = (".md", ".markdown", ".txt")


def _walk(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TERM_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            elif key == "pairs" and isinstance(value, list):
                yield from (t for group in value if isinstance(group, list) for t in group if isinstance(t, str))
            else:
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def catalog_terms(rule_dir: Path = ROOT / "rules") -> list[str]:
    """Every phrase of every rule (params only: examples are not phrases), deduplicated."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    terms: dict[str, None] = {}
    for path in sorted(rule_dir.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        for term in _walk(data.get("params", {})):
            if term:
                terms[term] = None
    return list(terms)


def build(terms: list[str]) -> ahocorasick_rs.AhoCorasick:
    return ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.Standard)


def files(paths: list[str]) -> Iterator[str]:
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, names in os.walk(p):
                dirnames.sort()
                for name in sorted(names):
                    if name.endswith(SUFFIXES):
                        yield os.path.join(dirpath, name)
        else:
            yield p


def main(argv: list[str]) -> int:
    terms = catalog_terms()
    automaton = build(terms)
    out = sys.stdout
    hits = 0
    for path in files(argv or ["."]):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        for index, start, _end in automaton.find_matches_as_indexes(text, overlapping=True):
            out.write(f"{path}:{start}:{terms[index]}\n")
            hits += 1
    print(f"limit_baseline: {hits} hits, {len(terms)} phrases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
