"""kepulint batch on a real cluster: 2 worker processes over TCP on 127.0.0.1.

Every test ends by checking that each input record appears exactly once in the summary
table, that broken records are error rows, and that findings equal ``lint_text``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import ROOT, TODAY, Corpus, as_rows, findings_by_record, make_corpus, read_table

import kepulint
from kepulint.api import Settings
from kepulint.batch.inputs import plan
from kepulint.batch.outputs import prepare
from kepulint.batch.records import Fields, Linting
from kepulint.batch.run import run
from kepulint.batch.task import Job

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "lint"), "CI": "1"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real cluster: two worker processes over TCP on 127.0.0.1 (one thread each)."""
    import logging

    from dask.distributed import Client, LocalCluster

    from kepulint.batch.cluster import quiet_dask

    quiet_dask()
    local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", protocol="tcp",
                         dashboard_address=None, silence_logs=logging.CRITICAL)
    client = Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()


def assert_every_record_once(out: Path, corpus: Corpus) -> None:
    summary = read_table(out, "summary")
    keys = list(zip(summary.source, summary.position, strict=True))
    assert len(keys) == len(set(keys)), "a record appears twice in the summary"
    assert set(keys) == corpus.keys
    errors = read_table(out, "errors")
    assert dict(zip(zip(errors.source, errors.position, strict=True), errors.kind, strict=True)) == corpus.broken
    good = summary[summary.status == "ok"]
    assert dict(zip(zip(good.source, good.position, strict=True), good.record_id, strict=True)) == \
        {key: rid for key, (rid, _) in corpus.texts.items()}


def assert_findings_equal_lint_text(out: Path, corpus: Corpus, sample: int) -> None:
    got = findings_by_record(read_table(out, "findings"))
    for _, (rid, text) in random.Random(5).sample(sorted(corpus.texts.items()), sample):
        assert got.get(rid, []) == as_rows(kepulint.lint_text(text, rid, today=TODAY)), rid


@pytest.mark.slow
def test_20000_records_with_a_worker_killed_mid_run(tmp_path: Path, cluster: Any) -> None:
    corpus = make_corpus(tmp_path / "in", 20_000)
    assert len(corpus.keys) >= 20_000 and len(corpus.broken) >= 10
    partitions, problems = plan([str(f) for f in corpus.files], Fields(), blocksize=128 * 1024)
    assert not problems and len(partitions) >= 20
    out = tmp_path / "out"
    job = Job(Linting(Settings(today=TODAY)), str(out))
    pids = cluster.run(os.getpid)
    killed: list[int] = []

    def kill_a_worker(stats: dict[str, Any]) -> None:
        if not killed:  # after the first partition, while both workers are busy with others
            pid = sorted(pids.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    prepare(out, {"test": "kill"}, resume=False)
    outcome = run(cluster, partitions, job, on_done=kill_a_worker)
    assert killed and not outcome.failures
    assert len(outcome.stats) == len(partitions) and outcome.records == len(corpus.keys)
    assert_every_record_once(out, corpus)
    assert_findings_equal_lint_text(out, corpus, 300)
    cluster.wait_for_workers(2, timeout=60)  # the nanny replaced the killed worker
    assert killed[0] not in cluster.run(os.getpid).values()


def _cli(args: list[str], cwd: Path, **kwargs: Any) -> Any:
    return subprocess.Popen([sys.executable, "-m", "kepulint", "batch", *args], cwd=cwd, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


@pytest.mark.slow
def test_ctrl_c_then_resume_on_an_existing_scheduler(tmp_path: Path, cluster: Any) -> None:
    corpus = make_corpus(tmp_path / "in", 4000, seed=3)
    out = tmp_path / "out"
    args = [*(str(f) for f in corpus.files), "--out", str(out), "--scheduler", cluster.scheduler.address,
            "--blocksize", "16KB", "--today", TODAY, "--no-config"]
    proc = _cli(args, tmp_path)
    deadline = time.monotonic() + 90
    while len(list((out / "_done").glob("*.json"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    line = stderr.strip().splitlines()[-1]
    assert line.startswith("kepulint: interrupted; ") and line.endswith("run the same command with --resume to finish")
    partitions, _ = plan([str(f) for f in corpus.files], Fields(), blocksize=16 * 1024)
    before = len(list((out / "_done").glob("*.json")))
    assert 3 <= before < len(partitions), "the run was not interrupted mid-way"

    again = _cli(args, tmp_path)  # without --resume: refused, nothing touched
    _, err = again.communicate(timeout=60)
    assert again.returncode == 2 and err.strip().endswith("pass --resume to finish it, or choose another --out")

    resumed = _cli([*args, "--resume"], tmp_path)
    stdout, stderr = resumed.communicate(timeout=180)
    assert resumed.returncode == 2, stderr  # findings, and broken records (exit 2 wins, as for unreadable files)
    done = int(stdout.split("(")[1].split(" already complete")[0])
    assert done >= before
    assert f"Linted {len(corpus.keys):,} records in {len(partitions)} partitions" in stdout
    assert f"Errors: {len(corpus.broken)} records could not be linted" in stdout
    assert_every_record_once(out, corpus)
    assert_findings_equal_lint_text(out, corpus, 150)


@pytest.mark.slow
def test_the_command_on_a_local_cluster_with_drafts_and_a_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    drafts = [ROOT / "seeds", ROOT / "tests" / "drafts"]
    proc = _cli([*(str(d) for d in drafts), str(tmp_path / "missing.jsonl"), "--out", str(out), "-j", "2",
                 "--output-format", "jsonl", "--today", TODAY, "--no-config", "--files-per-partition", "3"], tmp_path)
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 2, stderr
    assert f"kepulint: error: {tmp_path}/missing.jsonl: no such file or directory" in stderr
    assert "kepulint: local Dask cluster, 2 workers; dashboard http://127.0.0.1:" in stderr
    rows = [json.loads(line) for path in sorted((out / "findings").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]
    files = sorted(p for d in drafts for p in d.iterdir() if p.suffix in (".md", ".txt"))
    assert f"Linted {len(files)} records in " in stdout
    for path in files:
        rid = path.as_posix()
        got = [(r["code"], r["severity"], r["line"], r["column"], r["end_line"], r["end_column"], r["match"],
                r["message"]) for r in rows if r["record_id"] == rid]
        assert got == as_rows(kepulint.lint_text(path.read_text(encoding="utf-8"), rid, today=TODAY)), rid
