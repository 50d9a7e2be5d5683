"""The speed limit: read every file and scan it once for all the catalog's phrases.

    python bench/limit_baseline.py bench/corpus/n1000 [more paths…] > hits.txt

Collects every ``terms`` / ``terms_traditional`` / ``exceptions`` list (and the term lists
of document checks' ``pairs``) anywhere in ``rules/*.yaml`` — top level and the kinds'
nested groups (``left``, ``right``, ``qualifiers``, ``paragraph.blockers``, ``checks``) —
builds one pyahocorasick automaton and prints ``path:offset:term`` for each hit. No
folding, no context, no rules: what any linter of this catalog has to pay at least.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import ahocorasick
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


def build(terms: list[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


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
    automaton = build(catalog_terms())
    out = sys.stdout
    hits = 0
    for path in files(argv or ["."]):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        for end, term in automaton.iter(text):
            out.write(f"{path}:{end - len(term) + 1}:{term}\n")
            hits += 1
    print(f"limit_baseline: {hits} hits, {len(automaton)} phrases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
