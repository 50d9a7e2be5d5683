"""The per-partition pieces in this process: lint_frame, the input readers, the output folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from batch_support import ROOT, TODAY, as_rows, findings_by_record, make_corpus

import kepulint
from kepulint.api import Settings
from kepulint.batch import Fields, lint_frame, lint_tables, spark_schema
from kepulint.batch import records as records_module
from kepulint.batch.inputs import Partition, plan, read_partition
from kepulint.batch.outputs import OutputError, completed, prepare, write_partition
from kepulint.batch.records import FINDINGS_COLUMNS, Linting, Tables, lint_record

SETTINGS = Settings(today=TODAY)


def test_lint_frame_equals_lint_text_on_the_seeds() -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    frame = pd.DataFrame({"id": [p.name for p in seeds], "text": texts,
                          "fmt": ["markdown" if i % 2 else "plain" for i in range(len(seeds))]})
    got = findings_by_record(lint_frame(frame, SETTINGS, fields=Fields(format="fmt")))
    for i, (path, text) in enumerate(zip(seeds, texts, strict=True)):
        expected = as_rows(kepulint.lint_text(text, path.name, today=TODAY, markdown=bool(i % 2)))
        assert expected, path.name
        assert got.get(path.name, []) == expected, path.name


def test_lint_frame_equals_lint_text_on_a_generated_corpus(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 400, seed=11)
    items = list(corpus.texts.values())
    frame = pd.DataFrame({"post_id": [i for i, _ in items], "content": [t for _, t in items]})
    settings = Settings(select=("CLM", "CIT", "DSC001"), profile="tw", today=TODAY)
    got = findings_by_record(lint_frame(frame, settings, fields=Fields(id="post_id", text="content")))
    for rid, text in items:
        assert got.get(rid, []) == as_rows(kepulint.lint_text(text, rid, select=["CLM", "CIT", "DSC001"],
                                                              profile="tw", today=TODAY)), rid
    assert sum(len(v) for v in got.values()) > 100


def test_findings_carry_the_record_id_and_the_rule_version() -> None:
    frame = pd.DataFrame({"id": [7], "text": ["干细胞可以根治糖尿病。"]})
    findings = lint_frame(frame, SETTINGS)
    assert list(findings.columns) == [name for name, _ in FINDINGS_COLUMNS]
    cure = findings[findings.code == "CLM002"].iloc[0]
    assert (cure.record_id, cure.match, cure.line, cure.column) == ("7", "根治", 1, 6)
    assert cure.rule_version.startswith(f"{kepulint.__version__}+") and len(cure.rule_version) > 8
    assert spark_schema().startswith("record_id string, source string, position bigint, code string")


def test_broken_rows_are_error_rows_and_every_row_is_summarised_once() -> None:
    frame = pd.DataFrame({"id": ["a", None, "c", "d", "e", "f", "g"],
                          "text": ["根治。", "治愈。", 3, None, b"\xff", "\ud800x", "好。"]})
    tables = lint_tables(frame, Settings(select=("CLM",), today=TODAY))
    assert list(tables.summary.position) == list(range(7))
    assert list(tables.summary.status) == ["ok", "error", "error", "error", "error", "error", "ok"]
    kinds = dict(zip(tables.errors.position, tables.errors.kind, strict=True))
    assert kinds == {1: "missing-id", 2: "type", 3: "missing-text", 4: "decode", 5: "decode"}
    assert tables.errors.message[tables.errors.position == 4].item() == \
        "text field 'text' is not valid UTF-8 (byte 0xff at offset 0)"
    assert tables.summary.failed.tolist() == [True, False, False, False, False, False, False]
    assert json.loads(tables.summary.codes[0])["CLM002"] == 1


def test_a_rule_raising_becomes_an_error_row_and_the_rest_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    real = records_module.lint_source

    def flaky(text: str, *args: object, **kwargs: object) -> object:
        if "炸" in text:
            raise RuntimeError("rule blew up")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records_module, "lint_source", flaky)
    tables = lint_tables(pd.DataFrame({"id": [1, 2, 3], "text": ["根治。", "炸", "治愈。"]}), SETTINGS)
    assert tables.errors.to_dict("records") == [{"record_id": "2", "source": "", "position": 1, "partition": "",
                                                 "kind": "internal",
                                                 "message": "internal error: RuntimeError: rule blew up"}]
    assert set(tables.findings.record_id) == {"1", "3"}


def test_format_and_path_fields_choose_markdown_plain_or_html() -> None:
    text = "```\n根治\n```\n"
    page = "<section><p>干细胞可以根</span><span>治糖尿病。</p></section>"
    frame = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "text": [text] * 4 + [page],
                          "file": ["x.md", "x.txt", None, None, "p.html"], "fmt": [None, None, "html", "bogus", None]})
    tables = lint_tables(frame, SETTINGS, fields=Fields(path="file", format="fmt", default_format="plain"))
    cure = tables.findings[tables.findings.code == "CLM002"]
    # a code block hides the claim in Markdown only; HTML is read as its visible text (a split tag
    # does not hide 根治), with the column in the HTML source
    assert set(cure.record_id) == {"b", "c", "e"}
    html = cure[cure.record_id == "e"].iloc[0]
    assert (html.line, html.column, html.match) == (1, page.index("根") + 1, "根治")
    assert tables.errors.kind.tolist() == ["format"]


# -- inputs ---------------------------------------------------------------------------------------


def _all_records(parts: list[Partition], fields: Fields) -> list[tuple[str, int, str | None]]:
    how = Linting(SETTINGS, fields)
    out = []
    for part in parts:
        tables = Tables()
        for source, record in read_partition(part, fields):
            lint_record(record, source, part.key, how, tables)
        out += list(zip(tables.summary["source"], tables.summary["position"], tables.summary["status"],
                        strict=True))
    return out


@pytest.mark.parametrize("blocksize", [1, 97, 4096, 1 << 30])
def test_json_lines_byte_ranges_take_every_record_exactly_once(tmp_path: Path, blocksize: int) -> None:
    corpus = make_corpus(tmp_path, 300, seed=blocksize)
    jsonl = [f for f in corpus.files if f.name.startswith(("posts.jsonl", "more.jsonl"))]
    parts, problems = plan([str(f) for f in jsonl], Fields(), blocksize=blocksize)
    assert not problems
    seen = _all_records(parts, Fields())
    assert len(seen) == len({(s, p) for s, p, _ in seen})
    expected = {k for k in corpus.keys if k[0].endswith(("jsonl", "gz"))}
    assert {(s, p) for s, p, _ in seen} == expected


def test_all_four_formats_and_their_broken_records(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 200)
    parts, problems = plan([str(tmp_path)], Fields(), blocksize=2000)
    assert not problems and {p.kind for p in parts} == {"jsonl", "jsonl.gz", "parquet", "csv"}
    seen = _all_records(parts, Fields())
    assert len(seen) == len(corpus.keys) and {(s, p) for s, p, _ in seen} == corpus.keys
    errors = {(s, p) for s, p, status in seen if status == "error"}
    assert errors == set(corpus.broken)


def test_crlf_bom_and_a_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "\xe6\xa0\xb9\xe6\xb2\xbb"}\r\n\r\n{"id": 2, "text": "x"}')
    parts, _ = plan([str(path)], Fields(), blocksize=5)
    seen = _all_records(parts, Fields())
    assert [(p, status) for _, p, status in seen] == [(0, "ok"), (34, "ok")]


def test_a_truncated_gzip_ends_with_one_source_error(tmp_path: Path) -> None:
    lines = b"".join(json.dumps({"id": i, "text": "根治。" * 50}).encode() + b"\n" for i in range(200))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(lines)[:-300])
    parts, _ = plan([str(path)], Fields())
    how = Linting(SETTINGS, Fields())
    tables = Tables()
    for source, record in read_partition(parts[0], Fields()):
        lint_record(record, source, parts[0].key, how, tables)
    assert tables.errors["kind"] == ["source"]
    assert "the rest of this file was not read" in tables.errors["message"][0]
    assert tables.summary["status"].count("ok") > 100


def test_bad_inputs_are_one_line_each_and_the_rest_is_planned(tmp_path: Path) -> None:
    good = tmp_path / "ok.jsonl"
    good.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    (tmp_path / "t.csv").write_text("key,body\n1,x\n", encoding="utf-8")
    (tmp_path / "notes.xml").write_text("<a/>", encoding="utf-8")
    parts, problems = plan([str(tmp_path / "missing.jsonl"), str(tmp_path / "notes.xml"),
                            str(tmp_path / "t.csv"), str(good), str(tmp_path / "*.nothing")], Fields())
    assert [p.source for p in parts] == [str(good)]
    assert problems == [
        f"{tmp_path}/missing.jsonl: no such file or directory",
        f"{tmp_path}/notes.xml: not an input kepulint batch reads (expected .jsonl, .ndjson, .jsonl.gz, "
        ".ndjson.gz, .parquet, .pq, .csv, .csv.gz, .md, .markdown, .txt, .html, .htm, .docx)",
        f"{tmp_path}/*.nothing: no files match",
        f"{tmp_path}/t.csv: no column 'id', 'text' (columns: key, body); name the fields with --id-field / "
        "--text-field",
    ]


def test_draft_folders_are_read_with_the_file_reader(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("```\n根治\n```\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("根治。", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("根治。".encode("gb18030"))
    parts, _ = plan([str(tmp_path)], Fields(), files_per_partition=2)
    assert [len(p.files) for p in parts] == [2, 1]
    how = Linting(SETTINGS, Fields())
    tables = Tables()
    for part in parts:
        for source, record in read_partition(part, Fields()):
            lint_record(record, source, part.key, how, tables)
    assert tables.errors["kind"] == ["read"] and "GB18030" in tables.errors["message"][0]
    assert tables.codes["CLM002"] == 1  # b.txt only: a.md hides it in a code block


# -- outputs --------------------------------------------------------------------------------------


def test_a_partition_is_complete_only_with_its_marker(tmp_path: Path) -> None:
    tables = Tables()
    lint_record(records_module.RawRecord(0, {"id": "1", "text": "根治。"}), "s", "k", Linting(SETTINGS), tables)
    write_partition(tmp_path, "part-a", tables, "parquet", {**tables.stats(), "key": "part-a"})
    write_partition(tmp_path, "part-b", tables, "jsonl", {**tables.stats(), "key": "part-b"})
    (tmp_path / "_done" / "part-a.json").unlink()  # a crash between the tables and the marker
    assert completed(tmp_path, ["part-a", "part-b"], "parquet") == {}
    assert list(completed(tmp_path, ["part-a", "part-b"], "jsonl")) == ["part-b"]
    row = json.loads((tmp_path / "findings" / "part-b.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["record_id"] == "1" and row["code"]
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]


def test_the_output_folder_refuses_another_run_or_other_settings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare(out, {"profile": "cn"}, resume=False)
    with pytest.raises(OutputError, match="already holds a kepulint batch run; pass --resume"):
        prepare(out, {"profile": "cn"}, resume=False)
    prepare(out, {"profile": "cn"}, resume=True)
    with pytest.raises(OutputError, match=r"other settings \(profile differ\)"):
        prepare(out, {"profile": "tw"}, resume=True)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty and not a kepulint batch output"):
        prepare(tmp_path / "mine", {}, resume=False)
