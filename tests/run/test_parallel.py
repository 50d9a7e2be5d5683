"""--jobs and the result cache: same output whatever the process count, no work on a warm re-run,
invalidation on everything that matters, resilience to corrupt entries and dying workers.

Correctness only: no timing assertions (see bench/ for speed).
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import check_report as check
from conftest import isolate_run, run_stats

from kepulint import userkey
from kepulint.api import Settings, ruleset_for
from kepulint.run import cache, parallel
from kepulint.run.cache import ResultCache
from kepulint.run.options import RunOptions
from kepulint.run.runner import Job, run_check

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import load_seeds, make_draft  # noqa: E402

NO_CACHE = RunOptions(cache=False)
CURE = "# 标题\n\n干细胞可以根治糖尿病。\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_run(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus 12 generated drafts (mixed scripts, .md and .txt, front matter)."""
    base = tmp_path_factory.mktemp("corpus")
    for seed in SEEDS.glob("*.txt"):
        (base / seed.name).write_bytes(seed.read_bytes())
    seeds = load_seeds()
    for i in range(12):
        name, text = make_draft(seeds, 7, i)
        (base / name).write_text(text, encoding="utf-8")
    return base


def _drafts(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(CURE, encoding="utf-8")
    (docs / "b.txt").write_text("幹細胞可以根治糖尿病，一針見效。\n据统计，70%的患者有效。\n", encoding="utf-8")
    return docs


# -- --jobs ---------------------------------------------------------------------------------------


def test_jobs_1_and_2_give_byte_identical_json(corpus: Path, tmp_path: Path) -> None:
    reports = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}.json"
        run = run_check([str(corpus)], RunOptions(no_config=True, fmt="json", output_file=out, jobs=jobs, cache=False,
                                                  today="2025-11-25"))
        assert run.exit_code == 1 and run.stats.processes == jobs  # the pool really ran
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    report = json.loads(reports[0])
    assert report["summary"]["files"] == 17 and report["diagnostics"]
    assert not (tmp_path / ".kepulint_cache").exists()


def test_pool_results_keep_input_order(corpus: Path) -> None:
    ruleset = ruleset_for(())
    files = sorted(corpus.iterdir(), key=lambda p: (-p.stat().st_size, p.name))[::-1]  # small first
    big = Path.cwd() / "big.md"
    big.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in files), encoding="utf-8")
    jobs = [Job(str(big), big, tuple(ruleset.codes))]  # finishes last
    jobs += [Job(p.name, p, tuple(ruleset.codes)) for p in files]
    settings = Settings(today="2025-11-25")
    config = _Config(jobs=2)
    pooled = parallel.lint_jobs(jobs, settings, config, NO_CACHE)
    assert pooled.stats.processes == 2
    alone = parallel.lint_jobs(jobs, settings, _Config(jobs=1), NO_CACHE)
    assert [r.path for r in pooled.results] == [j.path for j in jobs]
    assert pooled.results == alone.results


def test_spawn_start_method_gives_the_same_results(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES_SPAWN", 1)
    codes = tuple(ruleset_for(()).codes)
    jobs = [Job(p.name, p, codes) for p in sorted(corpus.iterdir())[:6]]
    settings = Settings(today="2025-11-25")
    spawned = parallel.lint_jobs(jobs, settings, _Config(jobs=2), RunOptions(cache=False, start_method="spawn"))
    assert spawned.stats.processes == 2
    assert spawned.results == parallel.lint_jobs(jobs, settings, _Config(jobs=1), NO_CACHE).results


def test_jobs_option_beats_config_beats_cores() -> None:
    assert parallel.resolve_jobs(_Config(jobs=3), RunOptions(jobs=1)) == 1
    assert parallel.resolve_jobs(_Config(jobs=3), RunOptions(jobs=None)) == 3
    assert parallel.resolve_jobs(_Config(jobs=None), RunOptions()) == parallel.default_jobs() >= 1


def test_small_work_stays_in_process(tmp_path: Path, calls: list[str]) -> None:
    docs = _drafts(tmp_path)
    check(docs, jobs=8, cache=False)
    assert run_stats()["processes"] == 1 and sorted(calls) == ["docs/a.md", "docs/b.txt"]


def test_a_dying_worker_is_an_internal_error_not_a_hang(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = parallel.lint_one

    def lint_one(job: Job, *args: Any) -> Any:
        if job.path == "crash.md" and os.getpid() != parent:
            os._exit(7)  # the worker process dies (like a segfault)
        return real(job, *args)

    monkeypatch.setattr(parallel, "lint_one", lint_one)  # forked workers inherit it
    codes = tuple(ruleset_for(()).codes)
    files = sorted(corpus.iterdir())
    jobs = [Job(p.name, p, codes) for p in files]
    jobs.insert(3, Job("crash.md", files[0], codes))
    linted = parallel.lint_jobs(jobs, Settings(today="2025-11-25"), _Config(jobs=2), NO_CACHE)
    assert linted.stats.processes == 2
    assert [r.path for r in linted.results][3] == "crash.md"
    crashed = [r for r in linted.results if r.error is not None]
    assert [r.path for r in crashed] == ["crash.md"]
    assert crashed[0].error.kind == "error" and crashed[0].error.message.startswith("internal error")
    seeds = {p.name for p in SEEDS.iterdir()}
    assert all(r.diagnostics for r in linted.results if r.path in seeds)


def test_workers_that_cannot_start_fall_back_to_this_process(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dead_on_arrival(*args: Any) -> None:
        os._exit(3)

    monkeypatch.setattr(parallel, "_worker_init", dead_on_arrival)
    codes = tuple(ruleset_for(()).codes)
    jobs = [Job(p.name, p, codes) for p in sorted(corpus.iterdir())[:8]]
    settings = Settings(today="2025-11-25")
    linted = parallel.lint_jobs(jobs, settings, _Config(jobs=2), NO_CACHE)
    assert linted.stats.processes == 2
    assert linted.results == parallel.lint_jobs(jobs, settings, _Config(jobs=1), NO_CACHE).results
    assert all(r.error is None for r in linted.results)


def test_an_exception_in_one_file_is_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _drafts(tmp_path)
    real = parallel.lint_source

    def boom(text: str, path: str, *args: Any, **kwargs: Any) -> Any:
        if path.endswith("a.md"):
            raise RuntimeError("kaput")
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr(parallel, "lint_source", boom)
    report = check(docs, cache=True)
    assert "internal error: RuntimeError: kaput" in json.dumps(report, ensure_ascii=False)
    assert any(d["path"] == "docs/b.txt" for d in report["diagnostics"])
    monkeypatch.setattr(parallel, "lint_source", real)
    again = check(docs, cache=True)  # the internal error was not cached
    assert any(d["path"] == "docs/a.md" for d in again["diagnostics"])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_ctrl_c_stops_the_pool(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    before = _running_children()
    monkeypatch.setattr(concurrent.futures, "wait", interrupted)
    codes = tuple(ruleset_for(()).codes)
    jobs = [Job(p.name, p, codes) for p in sorted(corpus.iterdir())]
    with pytest.raises(KeyboardInterrupt):
        parallel.lint_jobs(jobs, Settings(today="2025-11-25"), _Config(jobs=2), NO_CACHE)
    deadline = time.monotonic() + 10
    while _running_children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running_children() - before


def _running_children() -> set[int]:
    """Live (not zombie) child processes of this process, from /proc."""
    me, out = os.getpid(), set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] != "Z":
                out.add(int(entry.name))
    return out


# -- the cache --------------------------------------------------------------------------------------


def test_warm_rerun_lints_nothing_and_reports_the_same(corpus: Path, calls: list[str]) -> None:
    cold = check(corpus)
    assert len(calls) == 17
    calls.clear()
    warm = check(corpus)
    assert calls == [] and run_stats()["hits"] == 17 and run_stats()["linted"] == 0
    assert warm == cold
    tag = Path(".kepulint_cache/CACHEDIR.TAG").read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert Path(".kepulint_cache/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_pool_results_are_cached_too(corpus: Path, calls: list[str]) -> None:
    cold = check(corpus, jobs=2)
    assert run_stats()["processes"] == 2 and run_stats()["writes"] == 17
    calls.clear()  # (the parent warms up the rules with one tiny lint before forking)
    warm = check(corpus, jobs=2)
    assert calls == [] and run_stats()["linted"] == 0 and warm == cold


def test_cache_dir_option_moves_the_cache(tmp_path: Path) -> None:
    docs = _drafts(tmp_path)
    check(docs, cache_dir=tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / ".kepulint_cache").exists()


def test_no_cache_writes_nothing(tmp_path: Path, calls: list[str]) -> None:
    docs = _drafts(tmp_path)
    check(docs, cache=False)
    check(docs, cache=False)
    assert len(calls) == 4
    assert not (tmp_path / ".kepulint_cache").exists()


def test_stdin_is_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    import io

    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CURE.encode("utf-8"))))
        report = check("-", stdin_filename="draft.md")
        assert report["diagnostics"]
    assert len(calls) == 2
    assert not (tmp_path / ".kepulint_cache").exists()


def _rule_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    text = (ROOT / "rules" / "CLM002.yaml").read_text(encoding="utf-8")
    (pack / "ZZZ001.yaml").write_text(text.replace("code: CLM002", "code: ZZZ001", 1), encoding="utf-8")
    return pack


CHANGES = ["content", "same-size content", "select", "severity", "profile", "today", "rule file", "version",
           "encoding"]


@pytest.mark.parametrize("change", CHANGES)
def test_cache_invalidation(change: str, tmp_path: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _drafts(tmp_path)
    pack = _rule_pack(tmp_path)
    opts: dict[str, Any] = {"rule_paths": (pack,)}
    ruleset_for.cache_clear()
    first = check(docs, **opts)
    calls.clear()
    check(docs, **opts)
    assert calls == [], "the unchanged re-run must be a hit"
    if change == "content":
        (docs / "a.md").write_text(CURE + "一针见效。\n", encoding="utf-8")
    elif change == "same-size content":  # same size, same second: the content digest decides
        (docs / "a.md").write_text(CURE.replace("根治", "治愈"), encoding="utf-8")
    elif change == "select":
        opts["select"] = ("CLM",)
    elif change == "severity":
        Path(".kepulint.yaml").write_text("severity: {CLM002: info}\n", encoding="utf-8")
        opts["no_config"] = False
    elif change == "profile":
        opts["profile"] = "tw"
    elif change == "today":
        opts["today"] = "2031-01-01"
    elif change == "rule file":
        rule = pack / "ZZZ001.yaml"
        rule.write_text(rule.read_text(encoding="utf-8").replace("治愈或疗效保证", "疗效保证或治愈", 1),
                        encoding="utf-8")
        ruleset_for.cache_clear()
    elif change == "version":
        import kepulint

        monkeypatch.setattr(kepulint, "__version__", "99.0.0")
    elif change == "encoding":
        opts["encoding"] = "utf-8"
    second = check(docs, **opts)
    ruleset_for.cache_clear()
    expected = ["docs/a.md"] if "content" in change else ["docs/a.md", "docs/b.txt"]
    assert sorted(calls) == expected
    if change == "severity":
        assert {d["severity"] for d in second["diagnostics"] if d["code"] == "CLM002"} == {"info"}
        assert {d["severity"] for d in first["diagnostics"] if d["code"] == "CLM002"} != {"info"}
    if change == "same-size content":
        assert [d["match"] for d in second["diagnostics"] if d["path"] == "docs/a.md" and d["code"] == "CLM002"] \
            == ["治愈"]


def test_corrupt_and_foreign_entries_are_ignored(corpus: Path, calls: list[str]) -> None:
    cold = check(corpus)
    entries = sorted(Path(".kepulint_cache").rglob("*.pickle"))
    assert len(entries) == 17
    planted = Path("planted")

    class Evil:
        def __reduce__(self) -> Any:
            return (os.mkdir, (str(planted.resolve()),))

    payloads = [b"", b"garbage", entries[0].read_bytes()[:40], pickle.dumps({"format": 1}),
                pickle.dumps(Evil()), pickle.dumps([1, 2, 3])]
    for n, entry in enumerate(entries):
        entry.write_bytes(payloads[n % len(payloads)])
    calls.clear()
    again = check(corpus)
    assert len(calls) == 17 and again == cold
    assert not planted.exists(), "a cache entry must never run code"
    assert run_stats()["cache_errors"] == 17
    calls.clear()
    assert check(corpus) == cold and calls == []  # rewritten good entries


def test_entry_of_another_file_is_not_reused(tmp_path: Path, calls: list[str]) -> None:
    docs = _drafts(tmp_path)
    check(docs)
    entries = {p.read_bytes() for p in Path(".kepulint_cache").rglob("*.pickle")}
    assert len(entries) == 2
    for p in Path(".kepulint_cache").rglob("*.pickle"):  # swap the two entries
        other = next(e for e in entries if e != p.read_bytes())
        p.write_bytes(other)
    calls.clear()
    check(docs)
    assert sorted(calls) == ["docs/a.md", "docs/b.txt"]


def test_unwritable_cache_dir_is_silently_skipped(tmp_path: Path, calls: list[str]) -> None:
    docs = _drafts(tmp_path)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    report = check(docs, cache_dir=blocker / "cache")
    assert report["diagnostics"] and len(calls) == 2


def test_stat_fast_path_and_digest_fallback(tmp_path: Path, calls: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _drafts(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # trust timestamps of files written just now
    old = 1_600_000_000
    for p in docs.iterdir():
        os.utime(p, (old, old))
    check(docs, profile="cn")
    data = next(Path(".kepulint_cache").rglob("*.pickle")).read_bytes()
    entry = cache._loads(data[userkey.TAG_BYTES:])
    assert entry["stat"] is not None and entry["result"].diagnostics
    # diagnostics do not carry their rule's help (reporters look it up): entries hold none
    assert all(rule.help.encode("utf-8") not in data for rule in ruleset_for(()).rules)
    os.utime(docs / "a.md", (old + 10, old + 10))  # touched, same bytes: a hit via the digest
    calls.clear()
    check(docs, profile="cn")
    assert calls == []
    monkeypatch.setattr(cache, "file_signature", None)  # the fast path reads no file at all
    check(docs, profile="cn")
    assert calls == [] and run_stats()["hits"] == 2


def test_racy_signature_is_not_trusted(tmp_path: Path) -> None:
    docs = _drafts(tmp_path)
    sig = cache.file_signature(docs / "a.md")  # written just now: same-tick edits are possible
    assert sig is not None and sig.stat is None
    assert cache.file_signature(docs / "missing.md") is None


class _Config:
    def __init__(self, jobs: int | None) -> None:
        self.jobs = jobs
        self.encoding = None
        self.max_file_size = 20 * 1024 * 1024
        self.cache_dir = None


def test_cache_key_covers_settings_fields() -> None:
    base = Settings(today="2025-11-25")
    keys = {ResultCache.for_run(Path("c"), s, "d", encoding=None, max_bytes=1).key for s in (
        base, Settings(today="2025-11-26"), Settings(today="2025-11-25", profile="hk"),
        Settings(today="2025-11-25", severity=(("CLM002", "info"),)),
        Settings(today="2025-11-25", rule_paths=("x",)), Settings(today="2025-11-25", select=("CLM",)))}
    keys |= {ResultCache.for_run(Path("c"), base, "e", encoding=None, max_bytes=1).key,
             ResultCache.for_run(Path("c"), base, "d", encoding="gb18030", max_bytes=1).key,
             ResultCache.for_run(Path("c"), base, "d", encoding=None, max_bytes=2).key}
    assert len(keys) == 9


def test_diagnostic_pickles_every_field_in_order() -> None:
    """Diagnostic.__reduce__ lists the fields by hand (fast bulk loading): keep it complete."""
    import dataclasses

    from kepulint.model import Diagnostic, Severity, Suppression

    values = {f.name: f"v{i}" for i, f in enumerate(dataclasses.fields(Diagnostic))}
    values.update(severity=Severity.INFO, line=1, column=2, end_line=3, end_column=4,
                  suppression=Suppression("disable", "why", 7), notes=("a",))
    diag = Diagnostic(**values)
    assert pickle.loads(pickle.dumps(diag)) == diag
    assert len(diag.__reduce__()[1]) == len(dataclasses.fields(Diagnostic))


def test_file_result_pickles_every_field_in_order() -> None:
    import dataclasses

    from kepulint.model import FileError, FileResult

    result = FileResult("a.md", [], [], FileError("a.md", "x"), "decoded as gb18030", {3: "line"})
    assert pickle.loads(pickle.dumps(result)) == result
    assert len(result.__reduce__()[1]) == len(dataclasses.fields(FileResult))


def test_a_walked_file_that_turns_binary_is_skipped_and_counted(tmp_path: Path, calls: list[str]) -> None:
    """A cache hit opens nothing but the cache; a walked file that became binary is read once
    (a miss), skipped with a note and counted, not linted and not an error."""
    docs = _drafts(tmp_path)
    first = check(docs)
    assert first["summary"]["files"] == 2 and sorted(calls) == ["docs/a.md", "docs/b.txt"]
    calls.clear()
    assert check(docs) == first and calls == []
    (docs / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64) + b"\xff")
    third = check(docs)
    assert calls == [] and {d["path"] for d in third["diagnostics"]} == {"docs/a.md"}
    assert third["errors"] == [{"path": "docs/b.txt", "message": "binary file (PNG image), skipped",
                                "kind": "skipped"}]
    assert check(docs / "b.txt")["errors"][0]["kind"] == "error"  # named: an error, not its cached skip


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_before_a_worker_set_its_handlers_waits_for_them(corpus: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGINT that reaches a new worker before its initializer set SIG_IGN (a Ctrl-C to the
    process group in that window) must not run the parent's handler in the copy of the parent's
    stack: SIGINT and SIGTERM are blocked from fork until the worker's handlers are in place,
    then the pending SIGINT is ignored. Each worker here sends itself SIGINT in that window."""
    marks = tmp_path / "marks"
    marks.mkdir()
    real = parallel._worker_init

    def interrupted_init() -> None:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives before the worker's own handlers
        real()
        now = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        ignores = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        (marks / str(os.getpid())).write_text(json.dumps({"held": sorted(held), "now": sorted(now),
                                                          "ignores_ctrl_c": ignores}))

    monkeypatch.setattr(parallel, "_worker_init", interrupted_init)
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 1)
    codes = tuple(ruleset_for(()).codes)
    jobs = [Job(p.name, p, codes) for p in sorted(corpus.iterdir())[:8]]
    settings = Settings(today="2025-11-25")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    linted = parallel.lint_jobs(jobs, settings, _Config(jobs=2), NO_CACHE)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask  # the parent's mask is back
    workers = [json.loads(m.read_text()) for m in marks.iterdir()]
    assert linted.stats.processes == 2 and len(workers) == 2  # both workers lived through it
    for worker in workers:
        assert {int(signal.SIGINT), int(signal.SIGTERM)} <= set(worker["held"])
        assert int(signal.SIGINT) not in worker["now"] and int(signal.SIGTERM) not in worker["now"]
        assert worker["ignores_ctrl_c"]
    assert linted.results == parallel.lint_jobs(jobs, settings, _Config(jobs=1), NO_CACHE).results
