"""Regenerate the rule table in README.md from rules/*.yaml (``python tools/readme_rules.py``).

``tests/test_readme.py`` fails when the README table and the rules disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lint"))

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def table() -> str:
    from kepulint.rules.ruleset import load_rules

    rows = ["| code | name | severity | kind | what it flags |", "|---|---|---|---|---|"]
    for rule in load_rules():
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| [{rule.code}](rules/{rule.code}.yaml) | {rule.name} | {rule.severity.label} "
                    f"| {rule.kind} | {summary} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> None:
    path = ROOT / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
