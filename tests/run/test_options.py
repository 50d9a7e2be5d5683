"""RunOptions: what the command line asks of a run, typed, frozen, and the only way it travels;
``--debug`` rides in it (and in click's context object), never in ``os.environ``."""

from __future__ import annotations

import dataclasses
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kepulint.cli import check, main
from kepulint.run.options import RunOptions, RunStats
from kepulint.run.runner import UsageError


def test_options_are_frozen_and_typed_by_name() -> None:
    options = RunOptions(jobs=2, select=("CLM",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.jobs = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        RunOptions(no_cache=True)  # type: ignore[call-arg]  # a misspelt option is an error, not ignored
    assert RunOptions.from_mapping({"host": "127.0.0.1", "no_config": True, "rule_paths": ()}) == RunOptions(
        no_config=True)


def test_every_check_option_is_a_run_option() -> None:
    names = {p.name for p in check.params if p.name != "paths"}
    assert names <= {f.name for f in dataclasses.fields(RunOptions)}


def test_stats_leave_out_what_a_run_without_cache_did_not_count() -> None:
    assert RunStats(files=2, linted=2, processes=1).as_dict() == {"files": 2, "linted": 2, "processes": 1}
    assert RunStats(files=1, hits=1, cache_dir="c").as_dict()["hits"] == 1


def test_debug_shows_the_traceback_without_touching_the_environment(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEPULINT_DEBUG", raising=False)
    (tmp_path / ".kepulint.yaml").write_text("selct: [CLM]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("干细胞可以根治糖尿病。\n", encoding="utf-8")
    sigterm = signal.getsignal(signal.SIGTERM)  # main() installs the CLI's handler
    try:
        with CliRunner().isolation() as (_, err, _):
            with pytest.raises(SystemExit) as plain:
                main(["check", "a.md"])
            assert plain.value.code == 2 and "selct" in err.getvalue().decode()
            with pytest.raises(UsageError, match="selct"):  # --debug: the exception itself, for its traceback
                main(["--debug", "check", "a.md"])
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    assert "KEPULINT_DEBUG" not in os.environ
    assert RunOptions(debug=True).tracebacks and not RunOptions().tracebacks
    monkeypatch.setenv("KEPULINT_DEBUG", "1")
    assert RunOptions().tracebacks
