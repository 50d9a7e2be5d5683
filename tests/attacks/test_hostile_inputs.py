"""A draft is a draft: control bytes, fake front matter, pipes, FIFOs, devices and huge files
neither hide findings nor hang the run nor exhaust memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from attack_kit import CLAIM, check, command, env, victim

from kepulint.run.options import RunOptions
from kepulint.text import decode as files

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = victim(tmp_path, monkeypatch)
    (repo / "docs").mkdir()
    return repo


def _codes(report: dict[str, Any]) -> list[str]:
    return [d["code"] for d in report["diagnostics"]]


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b[2J", "\x7f"])
@pytest.mark.parametrize("walked", [True, False])
def test_a_control_byte_does_not_make_a_draft_binary(repo: Path, control: str, walked: bool) -> None:
    (repo / "docs" / "a.md").write_text(CLAIM + control + "\n", encoding="utf-8")
    code, report = check("docs" if walked else "docs/a.md")
    assert code == 1 and _codes(report) == ["CLM002", "CLM002", "CLM002"] and report["errors"] == []
    (notice,) = report["notices"]
    assert notice["message"] == (f"contains a control character (first U+{ord(control[0]):04X} at 4:1); "
                                 "linted as text")


def test_nul_bytes_spread_through_a_draft_still_lint(repo: Path) -> None:
    (repo / "docs" / "a.txt").write_bytes(CLAIM.replace("，", "\x00，").encode("utf-8"))
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3
    assert "2 control characters" in report["notices"][0]["message"]


def test_a_binary_file_named_for_linting_is_an_error(repo: Path) -> None:
    (repo / "docs" / "figure.md").write_bytes(PNG)
    (repo / "docs" / "a.md").write_text(CLAIM, encoding="utf-8")
    code, report = check("docs/figure.md", "docs/a.md")
    assert code == 2 and len(report["diagnostics"]) == 3
    assert report["errors"] == [{"path": "docs/figure.md", "kind": "error",
                                 "message": "binary file (PNG image), not a text draft"}]


def test_binary_files_in_a_walk_are_skipped_and_counted(repo: Path) -> None:
    (repo / "docs" / "figure.md").write_bytes(PNG)
    (repo / "docs" / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (repo / "docs" / "a.md").write_text(CLAIM, encoding="utf-8")
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [("docs/blob.txt", "skipped"),
                                                                  ("docs/figure.md", "skipped")]
    code, text = _text_report("docs")
    assert "docs/figure.md: note: binary file (PNG image), skipped" in text and "2 files skipped." in text


def _text_report(*paths: str) -> tuple[int, str]:
    from kepulint.run.runner import run_check

    out = Path.cwd().parent / "report.txt"
    options = RunOptions(no_config=True, output_file=out, jobs=1, select=("CLM",), today="2025-11-25", color=False)
    code = run_check(list(paths), options).exit_code
    return int(code), out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "text"), [
    ("notes.txt", "---\n" + CLAIM + "---\n正文。\n"),  # plain text has no front matter
    ("post.md", "---\n干细胞可以根治糖尿病，一针见效，永不复发。\n---\n正文。\n"),  # not a YAML mapping
    ("list.md", "---\n- 干细胞可以根治糖尿病\n- 一针见效，永不复发\n---\n"),  # a YAML list, not a mapping
])
def test_claims_between_dashes_are_not_hidden_as_front_matter(repo: Path, name: str, text: str) -> None:
    (repo / "docs" / name).write_text(text, encoding="utf-8")
    code, report = check(f"docs/{name}")
    assert code == 1 and sorted(d["match"] for d in report["diagnostics"]) == ["一针见效", "根治", "永不复发"]


def test_front_matter_that_is_a_mapping_is_still_front_matter(repo: Path) -> None:
    (repo / "docs" / "post.md").write_text("---\ntitle: 根治\ndate: 2024-13-45\n---\n\n正文。\n", encoding="utf-8")
    code, report = check("docs/post.md")
    assert code == 0 and report["diagnostics"] == []


# -- pipes, FIFOs, devices (process behaviour: a real stdin, a real FIFO) -------------------------


def test_dev_stdin_is_read_once_and_linted(tmp_path: Path) -> None:
    for extra in ([], ["--no-cache"]):
        proc = command("check", "--no-config", "--select", "CLM", *extra, "/dev/stdin", home=tmp_path / "home",
                       cwd=tmp_path, input=CLAIM.encode())
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stdout.decode().count("CLM002") == 3 and proc.stderr == b""


def test_process_substitution_is_read_once_and_linted(tmp_path: Path) -> None:
    script = (f"{sys.executable} -m kepulint check --no-config --select CLM <(printf '%s' \"$CLAIM\")")
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={**env(tmp_path / "home"), "CLAIM": CLAIM})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.decode().count("CLM002") == 3


def _limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: an unbounded read fails fast


def test_dev_zero_is_cut_at_the_size_limit(tmp_path: Path) -> None:
    for path in ("/dev/zero", "/dev/urandom"):
        proc = command("check", "--no-config", "--max-file-size", "1MB", path, home=tmp_path / "home",
                       cwd=tmp_path, timeout=60, preexec_fn=_limited_memory)
        assert proc.returncode == 0, proc.stderr
        assert f"{path}: note: file is over 1 MB; skipped" in proc.stdout.decode()


def test_a_huge_file_is_skipped_before_it_is_read(tmp_path: Path) -> None:
    """3 GB (sparse) in a walk, with the cache on: skipped by its size, never read whole."""
    docs = tmp_path / "docs"
    docs.mkdir()
    with open(docs / "huge.md", "wb") as fh:
        fh.truncate(3 << 30)
    (docs / "a.md").write_text(CLAIM, encoding="utf-8")
    for _ in range(2):
        proc = command("check", "--no-config", "--select", "CLM", "docs", home=tmp_path / "home", cwd=tmp_path,
                       timeout=60, preexec_fn=_limited_memory)
        out = proc.stdout.decode()
        assert proc.returncode == 1, proc.stderr
        assert "docs/huge.md: note: file is 3 GB (limit 20 MB); skipped" in out and out.count("CLM002") == 3


def test_a_named_fifo_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "draft.md"
    os.mkfifo(fifo)
    proc = command("check", "--no-config", "--select", "CLM", "draft.md", home=tmp_path / "home", cwd=tmp_path,
                   timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr


def test_a_named_fifo_with_a_writer_is_linted(tmp_path: Path) -> None:
    fifo = tmp_path / "draft.md"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "kepulint", "check", "--no-config", "--select", "CLM",
                             "draft.md"], cwd=tmp_path, env=env(tmp_path / "home"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)

    def feed() -> None:
        with open(fifo, "wb") as fh:  # blocks until kepulint opens it
            fh.write(CLAIM.encode())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        out, err = proc.communicate(timeout=60)
    finally:  # a kepulint that opens the FIFO twice waits for a second writer: never leave it behind
        proc.kill()
        if writer.is_alive():
            with open(fifo, "rb"):  # release the writer thread if kepulint never opened the FIFO
                pass
    assert proc.returncode == 1, err
    assert out.decode().count("CLM002") == 3


def test_a_fifo_in_a_walked_folder_is_skipped_not_opened(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "trap.md")
    (docs / "a.md").write_text(CLAIM, encoding="utf-8")
    proc = command("check", "--no-config", "--select", "CLM", "docs", home=tmp_path / "home", cwd=tmp_path,
                   timeout=60)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and out.count("CLM002") == 3
    assert "docs/trap.md: note: not a regular file (a FIFO, socket or device), skipped" in out


# -- one read: the cache digest comes from the bytes that are linted ------------------------------


def test_a_cold_cached_run_opens_each_draft_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = repo / "docs" / "a.md"
    draft.write_text(CLAIM, encoding="utf-8")
    opened: list[str] = []
    real_open = os.open

    def counting(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.abspath(os.fspath(path)) == str(draft):
            opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", counting)
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3 and len(opened) == 1
