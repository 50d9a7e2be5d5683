"""Score kepulint and a naive phrase-list baseline on the annotated real-text corpus.

The corpus format, the split and the scoring rules are in ``tests/corpus/README.md``. This
module loads and validates the corpus, runs a checker on every text and counts, per code,
genre and script: matched diagnostics, diagnostics that only match borderline findings,
all diagnostics, clear findings found, and traps hit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "tests" / "corpus" / "corpus.schema.json"
DOCUMENT_CODES = ("DSC001", "META001")
UNSCORED_CODES = ("DSC002", "KPL001", "KPL002", "KPL003")  # not annotated in the corpus
# which META001 part a message names, in the Simplified and the Traditional (tw, hk) messages
META_PARTS = {"author": ("作者", "审核"), "date": ("日期", "时间"),
              "references": ("参考文献", "来源", "參考文獻", "來源")}

Span = tuple[int, int]  # 0-based code-point columns on a line, end exclusive


@dataclass(frozen=True)
class Mark:
    """One diagnostic reduced to what scoring needs: code, line (1-based), span on that line;
    document-level marks carry the META001 part (author/date/references) or ''."""

    code: str
    line: int
    span: Span
    part: str = ""


def part_of(test_id: str) -> str:
    """'test' for about 30 % of ids (sha256 of the id, mod 10 < 3), else 'dev'."""
    return "test" if int(hashlib.sha256(test_id.encode("utf-8")).hexdigest(), 16) % 10 < 3 else "dev"


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def record_problems(record: Any, name: str) -> list[str]:
    """Every problem of one corpus record, each one line naming the file and where."""
    problems = []
    for error in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{name}: {where}: {error.message}")
    if problems:
        return problems
    lines = record["lines"]
    if Path(name).stem != record["id"]:
        problems.append(f"{name}: /id: '{record['id']}' does not match the file name")
    for key in ("findings", "traps"):
        for i, item in enumerate(record[key]):
            n = item["line"]
            if n > len(lines):
                problems.append(f"{name}: /{key}/{i}: line {n} is past the last line ({len(lines)})")
            elif item["quote"] not in lines[n - 1]:
                problems.append(f"{name}: /{key}/{i}: quote {item['quote']!r} is not on line {n}")
    return problems


def load_corpus(directory: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Valid records (sorted by id) and one line per problem of every invalid file."""
    records, problems = [], []
    for path in sorted(directory.glob("*.json")):
        name = str(path)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{name}: not readable JSON: {exc}")
            continue
        found = record_problems(record, name)
        if found:
            problems.extend(found)
        else:
            records.append(record)
    return records, problems


def text_of(record: dict[str, Any]) -> str:
    return "\n".join(record["lines"])


# -- checkers -------------------------------------------------------------------------------

def kepulint_marks(record: dict[str, Any], profile: str | None = None) -> list[Mark]:
    """kepulint's diagnostics on a record's text (plain text, in-process API)."""
    from kepulint.api import lint_text

    kwargs: dict[str, Any] = {"path": f"{record['id']}.txt", "today": "2026-12-07"}
    if profile:
        kwargs["profile"] = profile
    return [_mark(d.code, d.line, d.column, d.end_line, d.end_column, d.message)
            for d in lint_text(text_of(record), **kwargs)]


def kepulint_genre(record: dict[str, Any]) -> tuple[str, str]:
    """kepulint's genre of a record's text, and what earned it (the hook, or the genres' scores)."""
    from kepulint.reading.genre import genre_of
    from kepulint.reading.region import detect
    from kepulint.text.document import Document

    doc = Document.from_text(text_of(record), f"{record['id']}.txt", today="2026-12-07", profile="auto")
    doc.profile = detect(doc.masked.text, doc.norm)
    genre = genre_of(doc)
    return genre.name, genre.hook or " ".join(f"{g}={n}" for g, n in genre.scores if n)


def genre_report(records: list[dict[str, Any]]) -> str:
    """A confusion matrix of annotated × predicted genre, then one line per disagreement."""
    from kepulint.reading.genre import GENRES

    predicted = {r["id"]: kepulint_genre(r) for r in records}
    counts = Counter((r["genre"], predicted[r["id"]][0]) for r in records)
    agree = sum(n for (a, p), n in counts.items() if a == p)
    out = [f"Genre: {agree} of {len(records)} texts agree ({agree / max(len(records), 1):.2f})", "",
           "| annotated \\ predicted | " + " | ".join(GENRES) + " | total |",
           "|---" * (len(GENRES) + 2) + "|"]
    for a in GENRES:
        row = [counts[(a, p)] for p in GENRES]
        out.append(f"| {a} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    out.append("")
    for r in sorted(records, key=lambda r: (r["genre"], r["id"])):
        name, why = predicted[r["id"]]
        if name != r["genre"]:
            out.append(f"{r['id']}: annotated {r['genre']}, predicted {name} [{r['script']}] ({why}) | {r['lines'][0]}")
    return "\n".join(out) + "\n"


def _mark(code: str, line: int, column: int, end_line: int, end_column: int, message: str) -> Mark:
    part = ""
    if code == "META001":
        part = next((p for p, words in META_PARTS.items() if any(w in message for w in words)), "")
    end = end_column - 1 if end_line == line else 1 << 30
    return Mark(code, line, (column - 1, max(end, column)), part)


@dataclass
class NaiveBaseline:
    """Every rule's own vocabulary (the literal terms and regexes of the rule YAML that name what
    it reports), matched on the folded text with no exceptions and no context."""

    vocab: dict[str, tuple[list[str], list[re.Pattern[str]]]] = field(default_factory=dict)

    @classmethod
    def from_rules(cls, rules_dir: Path = ROOT / "rules") -> NaiveBaseline:
        import yaml

        from kepulint.text.normalize import fold_term

        vocab = {}
        for path in sorted(rules_dir.glob("*.yaml")):
            rule = yaml.safe_load(path.read_text(encoding="utf-8"))
            params = rule.get("params") or {}
            if rule["kind"] == "cooccurrence":
                groups = [params.get("right") or {}]
            elif rule["kind"] in ("phrase", "proximity"):
                groups = [params, *(params.get("groups") or [])]
            else:
                continue
            terms: set[str] = set()
            patterns: list[re.Pattern[str]] = []
            for group in groups:
                terms.update(fold_term(t) for t in [*group.get("terms", []), *group.get("terms_traditional", [])])
                patterns.extend(re.compile(p) for p in group.get("patterns", []))
            vocab[rule["code"]] = (sorted(t for t in terms if t), patterns)
        return cls(vocab)

    def marks(self, record: dict[str, Any]) -> list[Mark]:
        from kepulint.text.normalize import fold

        out = []
        for n, line in enumerate(record["lines"], 1):
            folded, offsets = fold(line)
            for code, (terms, patterns) in self.vocab.items():
                spans = {(m.start(), m.end()) for term in terms for m in re.finditer(re.escape(term), folded)}
                spans.update(m.span() for p in patterns for m in p.finditer(folded) if m.end() > m.start())
                for start, end in _longest(spans):
                    out.append(Mark(code, n, (offsets.to_orig(start), offsets.to_orig_end(end))))
        return out


def _longest(spans: Iterable[Span]) -> Iterator[Span]:
    """Leftmost-longest non-overlapping spans (one report per phrase, as a naive checker gives)."""
    last_end = -1
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= last_end:
            last_end = end
            yield start, end


# -- scoring --------------------------------------------------------------------------------

@dataclass
class Tally:
    """Counts behind precision, recall and the trap rate."""

    matched: int = 0  # diagnostics that match a clear finding, or a borderline one and a clear one
    borderline_only: int = 0
    diagnostics: int = 0
    clear: int = 0
    clear_found: int = 0
    traps: int = 0
    traps_hit: int = 0

    def add(self, other: Tally) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    @property
    def precision(self) -> float | None:
        judged = self.diagnostics - self.borderline_only
        return self.matched / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.clear_found / self.clear if self.clear else None

    @property
    def trap_rate(self) -> float | None:
        return self.traps_hit / self.traps if self.traps else None

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "precision": self.precision, "recall": self.recall, "trap_rate": self.trap_rate}


def _quote_span(line: str, quote: str) -> Span:
    start = line.find(quote)
    return (start, start + len(quote))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_record(record: dict[str, Any], marks: list[Mark]) -> dict[str, Tally]:
    """Tallies per code for one record (``marks`` of codes the corpus does not score are dropped)."""
    lines = record["lines"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    findings = [(f, _quote_span(lines[f["line"] - 1], f["quote"])) for f in record["findings"]]
    found: set[int] = set()
    for mark in marks:
        if mark.code in UNSCORED_CODES:
            continue
        t = tallies[mark.code]
        if mark.code in DOCUMENT_CODES:
            if not record["whole"]:
                continue
            t.diagnostics += 1
            doc = record["document"] or {}
            wanted = doc.get("DSC001") if mark.code == "DSC001" else mark.part in doc.get("META001", [])
            t.matched += bool(wanted)
            continue
        t.diagnostics += 1
        hits = [i for i, (f, span) in enumerate(findings)
                if f["code"] == mark.code and f["line"] == mark.line and _overlaps(span, mark.span)]
        found.update(i for i in hits if findings[i][0]["grade"] == "clear")
        if any(findings[i][0]["grade"] == "clear" for i in hits):
            t.matched += 1
        elif hits:
            t.borderline_only += 1
    for i, (f, _span) in enumerate(findings):
        if f["grade"] == "clear":
            tallies[f["code"]].clear += 1
            tallies[f["code"]].clear_found += i in found
    if record["whole"] and record["document"]:
        doc = record["document"]
        produced = {(m.code, m.part) for m in marks if m.code in DOCUMENT_CODES}
        if doc["DSC001"]:
            tallies["DSC001"].clear += 1
            tallies["DSC001"].clear_found += ("DSC001", "") in produced
        for part_name in doc["META001"]:
            tallies["META001"].clear += 1
            tallies["META001"].clear_found += ("META001", part_name) in produced
    for trap in record["traps"]:
        span = _quote_span(lines[trap["line"] - 1], trap["quote"])
        codes = set(trap["codes"])
        hit = any(m.line == trap["line"] and _overlaps(span, m.span) and ("*" in codes or m.code in codes)
                  for m in marks if m.code not in DOCUMENT_CODES and m.code not in UNSCORED_CODES)
        # a trap is counted under its first code (or "*"), so per-code trap rates stay readable
        key = trap["codes"][0]
        tallies[key].traps += 1
        tallies[key].traps_hit += hit
    return tallies


def false_positives(record: dict[str, Any], marks: list[Mark]) -> list[str]:
    """One line per diagnostic that matches no annotated finding (what precision counts against):
    ``id:line: CODE 'text'``, with the trap it hits when it hits one."""
    lines = record["lines"]
    out = []
    for mark in marks:
        if mark.code in UNSCORED_CODES:
            continue
        if mark.code in DOCUMENT_CODES:
            doc = record["document"] or {}
            if record["whole"] and not (doc.get("DSC001") if mark.code == "DSC001"
                                        else mark.part in doc.get("META001", [])):
                out.append(f"{record['id']}: {mark.code} {mark.part or 'document'}")
            continue
        line = lines[mark.line - 1] if mark.line <= len(lines) else ""
        if any(f["code"] == mark.code and f["line"] == mark.line
               and _overlaps(_quote_span(line, f["quote"]), mark.span) for f in record["findings"]):
            continue
        traps = [t for t in record["traps"] if t["line"] == mark.line
                 and _overlaps(_quote_span(line, t["quote"]), mark.span)
                 and ("*" in t["codes"] or mark.code in t["codes"])]
        trap = f"  [trap: {traps[0].get('why', '')}]" if traps else ""
        out.append(f"{record['id']}:{mark.line}: {mark.code} {line[mark.span[0]:mark.span[1]]!r} in {line!r}{trap}")
    return out


@dataclass
class Report:
    """Tallies of one checker over a set of records, overall and by code, genre and script."""

    overall: Tally = field(default_factory=Tally)
    by_code: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_genre: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_script: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    texts: int = 0

    def add(self, record: dict[str, Any], tallies: dict[str, Tally]) -> None:
        self.texts += 1
        for code, t in tallies.items():
            self.by_code[code].add(t)
            self.by_genre[record["genre"]].add(t)
            self.by_script[record["script"]].add(t)
            self.overall.add(t)

    def as_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "overall": self.overall.as_dict(),
            "by_code": {k: v.as_dict() for k, v in sorted(self.by_code.items())},
            "by_genre": {k: v.as_dict() for k, v in sorted(self.by_genre.items())},
            "by_script": {k: v.as_dict() for k, v in sorted(self.by_script.items())},
        }


def evaluate(records: list[dict[str, Any]], checker: Callable[[dict[str, Any]], list[Mark]]) -> Report:
    report = Report()
    for record in records:
        report.add(record, score_record(record, checker(record)))
    return report


def misses(records: list[dict[str, Any]], checker: Callable[[dict[str, Any]], list[Mark]],
           codes: frozenset[str] = frozenset()) -> Iterator[str]:
    """One line per clear line-level finding the checker missed (of ``codes``, or all):
    ``id:line: CODE «quote» [genre script] what was said on that line | the line``."""
    for record in records:
        marks = checker(record)
        lines = record["lines"]
        for f in record["findings"]:
            if f["grade"] != "clear" or (codes and f["code"] not in codes):
                continue
            span = _quote_span(lines[f["line"] - 1], f["quote"])
            if any(m.code == f["code"] and m.line == f["line"] and _overlaps(span, m.span) for m in marks):
                continue
            said = ",".join(sorted({m.code for m in marks if m.line == f["line"]})) or "-"
            yield (f"{record['id']}:{f['line']}: {f['code']} «{f['quote']}» [{record['genre']} {record['script']}] "
                   f"said {said} | {lines[f['line'] - 1]}")


def select_part(records: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    return records if part == "all" else [r for r in records if part_of(r["id"]) == part]


# -- Markdown -------------------------------------------------------------------------------

def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _row(name: str, k: Tally, b: Tally) -> str:
    return (f"| {name} | {_f(k.precision)} | {_f(k.recall)} | {_f(k.trap_rate)} | "
            f"{_f(b.precision)} | {_f(b.recall)} | {_f(b.trap_rate)} | {k.diagnostics} / {b.diagnostics} | "
            f"{k.clear} | {k.traps} |")


def markdown(part: str, kep: Report, base: Report) -> str:
    head = ("| | kepulint P | kepulint R | traps hit | baseline P | baseline R | baseline traps hit "
            "| diagnostics (k / b) | clear findings | traps |\n|---|---|---|---|---|---|---|---|---|---|")
    out = [f"### Part: {part} ({kep.texts} texts)", "", head, _row("**all**", kep.overall, base.overall)]
    for title, k_groups, b_groups in (("genre", kep.by_genre, base.by_genre),
                                      ("script", kep.by_script, base.by_script),
                                      ("code", kep.by_code, base.by_code)):
        out.append("")
        out.append(f"By {title}:")
        out.append("")
        out.append(head)
        for key in sorted(set(k_groups) | set(b_groups)):
            out.append(_row(key, k_groups.get(key, Tally()), b_groups.get(key, Tally())))
    return "\n".join(out) + "\n"
