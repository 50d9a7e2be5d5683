"""The real-text quality corpus: every file follows the schema and every quote is on its line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from quality_lib import NaiveBaseline, load_corpus, part_of, score_record  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "docs"


def test_every_corpus_file_is_valid() -> None:
    """All bad records are reported at once (one line each), not just the first."""
    if not CORPUS.is_dir():
        pytest.skip("no corpus documents in this checkout")
    _records, problems = load_corpus(CORPUS)
    assert not problems, "\n".join(problems)


def test_bad_records_are_reported_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "cn-kepu-other-1.json").write_text("{not json", encoding="utf-8")
    record = _record("cn-kepu-other-2")
    record["findings"][0]["quote"] = "不在这一行"
    (tmp_path / "cn-kepu-other-2.json").write_text(_dump(record), encoding="utf-8")
    good = _record("cn-kepu-other-3")
    (tmp_path / "cn-kepu-other-3.json").write_text(_dump(good), encoding="utf-8")
    bad_field = _record("cn-kepu-other-4")
    bad_field["genre"] = "blog"
    (tmp_path / "cn-kepu-other-4.json").write_text(_dump(bad_field), encoding="utf-8")
    records, problems = load_corpus(tmp_path)
    assert [r["id"] for r in records] == ["cn-kepu-other-3"]
    assert len(problems) == 3
    assert all("\n" not in p for p in problems)
    assert "not readable JSON" in problems[0]
    assert "is not on line 1" in problems[1]
    assert "/genre" in problems[2]


def test_split_is_a_pure_function_of_the_id() -> None:
    ids = [f"cn-kepu-other-{i}" for i in range(200)]
    share = sum(part_of(i) == "test" for i in ids) / len(ids)
    assert 0.2 < share < 0.4
    assert part_of("tw-promo-exosome-03") == part_of("tw-promo-exosome-03")


def test_scoring_follows_the_readme() -> None:
    from quality_lib import Mark

    record = _record("cn-promo-other-5")
    record["findings"].append({"line": 2, "code": "CLM001", "quote": "最好", "grade": "borderline"})
    record["traps"] = [{"line": 3, "quote": "治愈率", "codes": ["CLM002"], "why": "rate noun"}]
    marks = [Mark("CLM002", 1, (5, 7)), Mark("CLM001", 2, (0, 2)), Mark("CLM006", 2, (3, 5)),
             Mark("CLM002", 3, (0, 2))]
    t = score_record(record, marks)
    assert (t["CLM002"].matched, t["CLM002"].clear, t["CLM002"].clear_found) == (1, 1, 1)
    assert t["CLM001"].borderline_only == 1 and t["CLM001"].precision is None
    assert t["CLM006"].matched == 0 and t["CLM006"].diagnostics == 1
    assert t["CLM002"].traps_hit == 1 and t["CLM002"].diagnostics == 2


def test_naive_baseline_uses_the_rule_vocabulary_without_context() -> None:
    base = NaiveBaseline.from_rules()
    marks = base.marks(_record("cn-factcheck-other-6"))
    assert any(m.code == "CLM002" and m.line == 1 for m in marks)  # 根治 even though it is negated


def _record(test_id: str) -> dict:
    return {
        "id": test_id, "url": "https://example.com/a", "retrieved": "2026-12-07", "published": None,
        "title": "t", "region": "cn", "script": "hans", "genre": "promotional", "topics": ["other"],
        "whole": False, "lines": ["干细胞不能根治糖尿病。", "最好的疗法", "治愈率为30%"],
        "findings": [{"line": 1, "code": "CLM002", "quote": "根治", "grade": "clear"}],
        "traps": [], "document": None,
    }


def _dump(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False)
