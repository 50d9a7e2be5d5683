"""The command's edges that need no cluster: start-up cost for ``check``, a missing extra, usage errors.

Most of these run without the ``dask`` extra too (that is when a missing extra matters).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kepulint.cli import main

ROOT = Path(__file__).resolve().parents[2]
needs_extra = pytest.mark.skipif(importlib.util.find_spec("distributed") is None
                                 or importlib.util.find_spec("pyarrow") is None,
                                 reason='needs the dask extra: pip install ".[dask]"')


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_check_does_not_import_dask_pandas_or_pyarrow(tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("根治。\n", encoding="utf-8")
    script = ("import sys\nfrom kepulint.cli import main\ntry:\n"
              f"    main(['check', {str(draft)!r}, '--no-config', '--no-cache'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pandas', "
              "'pyarrow', 'numpy') or m.startswith('kepulint.batch.')))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lint")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "['kepulint.batch.command']", result.stderr


def test_without_the_extra_one_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    code, err = _run(["batch", str(tmp_path), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert err == 'kepulint: error: kepulint batch needs Dask and pyarrow: pip install "kepulint[dask]"\n'
    assert not (tmp_path / "out").exists()


@needs_extra
def test_only_bad_inputs_exit_2_before_any_cluster_starts(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    code, err = _run(["batch", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out"), "--no-config"], capsys)
    assert code == 2
    assert err == f"kepulint: error: {tmp_path}/nope.jsonl: no such file or directory\nkepulint: no records to lint\n"


@needs_extra
@pytest.mark.parametrize(("option", "message"), [
    (["--blocksize", "lots"], "kepulint: error: --blocksize: "),
    (["--today", "2025-13-01"], "kepulint: error: --today: '2025-13-01' is not a date in YYYY-MM-DD form"),
    (["--select", "XYZ9"], "kepulint: error: command line: --select: unknown rule code or prefix 'XYZ9'"),
])
def test_usage_errors_are_one_line(option: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                   tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    code, err = _run(["batch", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "out"), "--no-config", *option],
                     capsys)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1, err


def test_progress_line_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from kepulint.batch.progress import Progress, wanted

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert wanted(Terminal(), None) and not wanted(io.StringIO(), None) and wanted(io.StringIO(), True)
    monkeypatch.setenv("CI", "true")
    assert not wanted(Terminal(), None)
    stream = Terminal()
    progress = Progress(2, stream, enabled=True)
    progress.update(1200)
    progress.update(34)
    progress.close()
    last = stream.getvalue().split("\r\x1b[K")[-1]
    assert last.startswith("2/2 partitions · 1,234 records · ") and "records/s · ETA 0:00:00" in last
    quiet = io.StringIO()
    Progress(1, quiet, enabled=False).update(5)
    assert quiet.getvalue() == ""
