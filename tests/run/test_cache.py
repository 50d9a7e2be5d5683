"""The warm path: the run's pack of cache entries, lazy loading of the linting machinery and
the per-file shortcuts of discovery. Each fast path is checked against the plain one: same
results, same report, the same invalidation, corrupt data a silent miss that never runs code.

Correctness only: no timing assertions (see bench/ for speed).
"""

from __future__ import annotations

import fnmatch
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import check_report as check
from conftest import isolate_run, run_stats
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint import stamp, userkey
from kepulint.api import Settings, ruleset_for
from kepulint.kinds.candidates import CompiledRules
from kepulint.model import FileResult
from kepulint.rules import ruleset, ruleset_cache
from kepulint.run import cache, discover, parallel, runner
from kepulint.run.cache import ResultCache
from kepulint.run.config import Config

ROOT = Path(__file__).resolve().parents[2]
CURE = "# 标题\n\n干细胞可以根治糖尿病。\n"
OLD = 1_600_000_000  # a timestamp far from "now": signatures are not racy


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_run(tmp_path, monkeypatch)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # trust the signatures of files written just now
    monkeypatch.setattr(cache, "MIN_PACK_FILES", 1)  # packs for the few files of these tests


@pytest.fixture
def entry_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths whose own cache entry file was read (not served by the pack)."""
    seen: list[str] = []
    real = ResultCache._from_entry

    def counting(self: ResultCache, job: Any, fkey: str) -> Any:
        seen.append(job.path)
        return real(self, job, fkey)

    monkeypatch.setattr(ResultCache, "_from_entry", counting)
    return seen


def _docs(tmp_path: Path, n: int = 6) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = [CURE, "幹細胞可以根治糖尿病，一針見效。\n", "据统计，70%的患者有效。\n永不复发。\n"]
    for i in range(n):
        path = docs / f"d{i}.{'md' if i % 2 else 'txt'}"
        path.write_text(texts[i % len(texts)] + f"第{i}篇。\n", encoding="utf-8")
        os.utime(path, (OLD, OLD))
    return docs


def _packs() -> list[Path]:
    return sorted(Path(".kepulint_cache").rglob(f"*{cache.PACK_SUFFIX}"))


def _pack() -> Path:
    (pack,) = _packs()
    return pack


def _entries() -> list[Path]:
    return sorted(Path(".kepulint_cache").rglob("*.pickle"))


def _unsealed(data: bytes) -> bytes:
    """A cache file's payload, behind its tag (see kepulint.userkey)."""
    return data[userkey.TAG_BYTES:]


def _seal(path: Path, payload: bytes) -> None:
    """Write ``payload`` to the cache file ``path`` sealed with this user's key, as kepulint does."""
    key = userkey.user_key()
    assert key is not None
    path.write_bytes(cache.sealed(path, payload, key))


# -- the pack ------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_warm_run_is_served_by_the_pack(tmp_path: Path, jobs: int, calls: list[str], entry_reads: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """After a cold run (in this process or in workers) a re-run reads one pack and no entry."""
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 1)
    monkeypatch.setattr(parallel, "MIN_BATCH_BYTES", 1)
    docs = _docs(tmp_path)
    cold = check(docs, jobs=jobs)
    assert run_stats()["processes"] == jobs and run_stats()["writes"] == 6
    assert len(_entries()) == 6
    pack = cache._loads(_unsealed(_pack().read_bytes()))
    assert len(pack["entries"]) == 6
    calls.clear()
    entry_reads.clear()
    assert check(docs, jobs=jobs) == cold
    assert calls == [] and entry_reads == [] and run_stats()["hits"] == 6


def test_without_a_pack_the_entries_serve_and_the_pack_is_rebuilt(tmp_path: Path, calls: list[str],
                                                                  entry_reads: list[str]) -> None:
    docs = _docs(tmp_path)
    cold = check(docs)
    _pack().unlink()
    calls.clear()
    entry_reads.clear()
    assert check(docs) == cold and calls == [] and len(entry_reads) == 6
    entry_reads.clear()
    assert check(docs) == cold and calls == [] and entry_reads == []


def test_a_warm_run_served_by_the_pack_does_not_rewrite_it(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    check(docs)
    pack = _pack()
    os.utime(pack, (OLD, OLD))
    check(docs)
    assert pack.stat().st_mtime == OLD


def test_changed_file_is_relinted_and_the_pack_updated(tmp_path: Path, calls: list[str],
                                                      entry_reads: list[str]) -> None:
    docs = _docs(tmp_path)
    check(docs)
    (docs / "d1.md").write_text(CURE.replace("根治", "治愈"), encoding="utf-8")  # same size
    os.utime(docs / "d1.md", (OLD + 5, OLD + 5))
    calls.clear()
    second = check(docs)
    assert calls == ["docs/d1.md"]
    assert [d["match"] for d in second["diagnostics"] if d["path"] == "docs/d1.md" and d["code"] == "CLM002"] \
        == ["治愈"]
    calls.clear()
    entry_reads.clear()
    assert check(docs) == second and calls == [] and entry_reads == []


def test_touched_file_is_a_hit_by_digest_then_by_the_refreshed_pack(tmp_path: Path, calls: list[str],
                                                                   entry_reads: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(tmp_path)
    cold = check(docs)
    os.utime(docs / "d2.txt", (OLD + 10, OLD + 10))  # same bytes, new timestamp
    calls.clear()
    entry_reads.clear()
    assert check(docs) == cold and calls == [] and entry_reads == ["docs/d2.txt"]
    entry_reads.clear()
    monkeypatch.setattr(cache, "file_signature", None)  # the pack's signature suffices: no file read
    assert check(docs) == cold and calls == [] and entry_reads == []


def test_racy_files_stay_out_of_the_pack(tmp_path: Path, calls: list[str], entry_reads: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 10**18)  # every signature is too recent to trust
    docs = _docs(tmp_path, n=2)
    cold = check(docs)
    assert not _packs()
    calls.clear()
    entry_reads.clear()
    assert check(docs) == cold and calls == [] and len(entry_reads) == 2  # hits by digest


def test_each_set_of_files_has_its_own_pack(tmp_path: Path, calls: list[str], entry_reads: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(tmp_path)
    whole = check(docs)
    part = check(docs / "d0.txt", docs / "d1.md")
    assert len(_packs()) == 2
    entry_reads.clear()
    assert check(docs / "d1.md", docs / "d0.txt") == part and entry_reads == []  # the same set
    assert check(docs) == whole and entry_reads == []
    monkeypatch.setattr(cache, "KEEP_PACKS", 2)
    for i in range(2, 5):
        check(docs / f"d{i}.{'md' if i % 2 else 'txt'}")
    assert len(_packs()) == 2  # the newest ones
    calls.clear()
    assert check(docs) == whole and calls == []  # the entries are still there


def test_small_runs_leave_no_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry_reads: list[str]) -> None:
    monkeypatch.setattr(cache, "MIN_PACK_FILES", 7)
    docs = _docs(tmp_path)
    cold = check(docs)
    entry_reads.clear()
    assert check(docs) == cold and not _packs() and len(entry_reads) == 6


def test_new_file_gets_a_new_pack(tmp_path: Path, calls: list[str], entry_reads: list[str]) -> None:
    docs = _docs(tmp_path)
    check(docs)
    (docs / "new.md").write_text(CURE, encoding="utf-8")
    calls.clear()
    entry_reads.clear()
    third = check(docs)
    assert calls == ["docs/new.md"] and len(entry_reads) == 7  # another set: no pack yet
    entry_reads.clear()
    assert check(docs) == third and entry_reads == [] and len(_packs()) == 2


CORRUPT = ["empty", "garbage", "truncated", "another format", "another run", "not a mapping", "bad entries",
           "evil", "unsealed"]


@pytest.mark.parametrize("kind", CORRUPT)
def test_corrupt_pack_is_a_silent_miss(kind: str, tmp_path: Path, calls: list[str]) -> None:
    docs = _docs(tmp_path)
    cold = check(docs)
    pack = _pack()
    data = pack.read_bytes()
    planted = tmp_path / "planted"

    class Evil:
        def __reduce__(self) -> Any:
            return (os.mkdir, (str(planted),))

    good = cache._loads(_unsealed(data))
    sealed = {
        "another format": pickle.dumps({**good, "format": 99}),
        "not a mapping": pickle.dumps([1, 2, 3]),
        "bad entries": pickle.dumps({**good, "entries": dict.fromkeys(good["entries"], ("x", None, 3))}),
        "evil": pickle.dumps({**good, "entries": {"k": Evil()}}),
    }
    raw = {
        "empty": b"", "garbage": b"\x80\x05garbage", "truncated": data[: len(data) // 2],
        "unsealed": _unsealed(data),  # a pack with no tag: written by someone without the key
        "another run": cache.sealed(pack.parent.with_name("0" * 32) / pack.name, _unsealed(data),
                                    userkey.user_key() or b""),
    }
    if kind in sealed:
        _seal(pack, sealed[kind])
    else:
        pack.write_bytes(raw[kind])
    calls.clear()
    assert check(docs) == cold and calls == []  # the entries serve
    assert not planted.exists(), "a pack must never run code"
    assert run_stats()["cache_errors"] == (0 if kind == "bad entries" else 1)


def test_pack_entry_of_another_file_is_not_reused(tmp_path: Path, calls: list[str],
                                                  entry_reads: list[str]) -> None:
    """Pack entries swapped between two files: their paths do not match, so each file is served
    by its own entry instead (and both entries were removed here: both files are linted)."""
    docs = _docs(tmp_path, n=2)
    cold = check(docs)
    pack = cache._loads(_unsealed(_pack().read_bytes()))
    (k1, e1), (k2, e2) = pack["entries"].items()
    pack["entries"] = {k1: e2, k2: e1}
    _seal(_pack(), cache._dumps(pack))
    for entry in _entries():
        entry.unlink()
    calls.clear()
    assert check(docs) == cold and sorted(calls) == ["docs/d0.txt", "docs/d1.md"]


@pytest.mark.parametrize("change", ["content", "today", "select", "version"])
def test_pack_follows_the_invalidation_of_entries(change: str, tmp_path: Path, calls: list[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(tmp_path, n=2)
    opts: dict[str, Any] = {}
    check(docs, **opts)
    if change == "content":
        (docs / "d0.txt").write_text(CURE + "一针见效。\n", encoding="utf-8")
    elif change == "today":
        opts["today"] = "2031-01-01"
    elif change == "select":
        opts["select"] = ("CLM",)
    else:
        import kepulint

        monkeypatch.setattr(kepulint, "__version__", "99.0.0")
    calls.clear()
    check(docs, **opts)
    assert sorted(calls) == (["docs/d0.txt"] if change == "content" else ["docs/d0.txt", "docs/d1.md"])


def test_workers_get_the_cache_without_its_pack(tmp_path: Path) -> None:
    docs = _docs(tmp_path, n=2)
    check(docs)
    settings = Settings(today="2025-11-25")
    ruleset = ruleset_for(())
    opened = ResultCache.for_run(Path(".kepulint_cache"), settings, ruleset.digest, encoding=None,
                                 max_bytes=20 * 1024 * 1024)
    jobs = [runner.Job(f"docs/{p.name}", p, tuple(ruleset.codes), True) for p in sorted(docs.iterdir())]
    assert all(isinstance(r, FileResult) for r in opened.lookup_all(jobs))
    assert opened._pack and opened._used
    copy = pickle.loads(pickle.dumps(opened))
    assert copy._pack == {} and copy._used == {} and copy._pack_path is None and copy.key == opened.key
    assert isinstance(copy.lookup(jobs[0]), FileResult)  # from its entry


# -- lazy loading --------------------------------------------------------------------------------


def test_a_warm_run_does_not_import_the_linting_machinery(tmp_path: Path) -> None:
    docs = _docs(tmp_path, n=2)
    script = (
        "import sys\n"
        "from kepulint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(docs)!r}, '--no-config', '--format', 'json', '-o', 'r.json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('kepulint'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lint")}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=tmp_path, env=env,
                           timeout=120, text=True) for _ in range(2)]
    cold, warm = (set(r.stdout.split()) for r in runs)
    machinery = {"kepulint.check.engine", "kepulint.text.document", "kepulint.reading.evidence", "kepulint.kinds",
                 "kepulint.check.suppress"}
    assert machinery <= cold, runs[0].stderr
    assert not machinery & warm, runs[1].stderr


def test_cached_rule_set_loads_its_kinds_on_first_use(tmp_path: Path) -> None:
    built = ruleset.load_rules(build=CompiledRules)  # writes the rule cache
    assert "compiled" in built.__dict__
    loaded = ruleset.load_rules(build=CompiledRules)
    assert loaded is not built and "compiled" not in loaded.__dict__
    assert loaded.rules == built.rules
    kinds = loaded.compiled.kinds
    assert set(kinds) == set(built.compiled.kinds)
    assert all(kind.rule is loaded.by_code[code] for code, kind in kinds.items()), \
        "the kinds must refer to the rule set's own Rule objects"


def test_rule_cache_without_its_kinds_builds_them(tmp_path: Path) -> None:
    built = ruleset.load_rules(build=CompiledRules)
    path = ruleset_cache.path_for(built.digest)
    head = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)  # the rules only: no second pickle
    assert b"CompiledRules" not in head
    path.write_bytes(userkey.seal(userkey.user_key() or b"", ruleset_cache._label(path), head))
    loaded = ruleset.load_rules(build=CompiledRules)
    assert loaded.rules == built.rules
    assert set(loaded.compiled.kinds) == set(built.compiled.kinds)
    assert not path.exists(), "the broken file goes, so that the next run writes it anew"
    ruleset.load_rules(build=CompiledRules)
    assert path.exists()
    assert set(ruleset.load_rules(build=CompiledRules).compiled.kinds) == set(built.compiled.kinds)


def test_pickled_rule_set_leaves_its_kinds_out() -> None:
    loaded = ruleset.load_rules(use_cache=False, build=CompiledRules)
    assert loaded.compiled is not None
    copy = pickle.loads(pickle.dumps(loaded))
    assert "compiled" not in copy.__dict__ and copy.rules == loaded.rules and copy.by_code == loaded.by_code


# -- per-file shortcuts -------------------------------------------------------------------------

NAMES = st.text(st.sampled_from("aB.*?[]!-_/\\ 根é"), min_size=0, max_size=8)


@settings(max_examples=300, deadline=None)
@given(patterns=st.lists(NAMES, max_size=4), name=NAMES)
def test_matcher_regex_equals_fnmatch(patterns: list[str], name: str) -> None:
    matcher = discover.PathMatcher(patterns, os.getcwd())
    base = os.path.basename(name)
    expected = bool(base) and any(fnmatch.fnmatchcase(base.lower(), p) for p in matcher.patterns)
    got = bool(base) and matcher._any is not None and matcher._any(base.lower())
    assert bool(got) == expected


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(["a", "b", ".", "..", "", "根", "x y", "c.md"]), min_size=1, max_size=5))
def test_relative_display_fast_path_equals_pathlib(parts: list[str]) -> None:
    raw = "/".join(parts)
    if not raw or os.path.isabs(raw):
        return
    rel = os.path.normpath(raw)
    got = discover.relative_display(Path(raw))
    if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
        assert got == Path(rel).as_posix()


@pytest.mark.parametrize("per_file", [{}, {"docs/*.md": ("CLM",), "*.txt": ("DSC001",)}])
def test_codes_per_file_equal_selected_codes(per_file: dict[str, tuple[str, ...]]) -> None:
    from types import MappingProxyType

    config = Config(ignore=("META",), per_file_ignores=MappingProxyType(per_file))
    codes = ruleset_for(()).codes
    codes_for = runner._codes_for(config, codes)
    for display in ("docs/a.md", "docs/b.txt", "a.md", "x/y/z.markdown"):
        assert codes_for(display) == tuple(config.selected_codes(codes, display))


def test_code_digest_covers_every_module_and_data_file() -> None:
    root = Path(stamp.__file__).resolve().parent
    expected = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if p.is_file() and p.suffix in (".py", ".yaml", ".tsv", ".txt", ".json")
                      and "__pycache__" not in p.parts)
    names = stamp.code_files(str(root))
    assert sorted(names) == expected and "kinds/base.py" in names and "data/t2s.tsv" in names


# -- malformed entries found in review ---------------------------------------------------------


def test_a_pack_entry_whose_result_was_never_constructed_is_refused() -> None:
    blank = FileResult.__new__(FileResult)  # what a crafted pickle can build: no fields set
    assert not cache._pack_entry(("digest", (1, 2, 3, 4), blank))
    assert not cache._pack_entry(("digest", (1, 2, 3, "4"), FileResult(path="a.md")))
    assert cache._pack_entry(("digest", (1, 2, 3, 4), FileResult(path="a.md")))


@pytest.mark.parametrize("stat", [5, "abcd", (1, 2, 3), [1, 2, 3, "4"]])
def test_an_entry_with_a_malformed_stat_is_a_silent_miss(tmp_path: Path, stat: Any) -> None:
    draft = tmp_path / "a.md"
    draft.write_text(CURE, encoding="utf-8")
    store = ResultCache(tmp_path / "c", "k" * 64)
    job = runner.Job("a.md", draft, ("CLM002",), False)
    fkey = store.file_key(job)
    data = cache.sealed(store._entry(fkey), cache._dumps({"format": cache.FORMAT, "key": fkey, "digest": "0" * 40,
                                                         "result": FileResult(path="a.md"), "stat": stat}),
                        store.secret)
    assert store._check(job, fkey, data) is None
    assert store.stats.errors == 1



# -- one design for both caches -----------------------------------------------------------------


def test_both_caches_key_on_the_one_code_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """The result cache's run key and the rule-set cache's key both change with the code stamp
    (version + digest of kepulint's modules, data and schemas)."""
    settings = Settings(today="2025-11-25")
    before = (cache.run_key(settings, "rules", None, 1), ruleset._code_stamp())
    assert before[1] == stamp.code_stamp()
    monkeypatch.setattr(stamp, "code_digest", lambda: "another build")
    after = (cache.run_key(settings, "rules", None, 1), ruleset._code_stamp())
    assert after[0] != before[0] and after[1] != before[1] and after[1].endswith("|another build")


@pytest.mark.parametrize("load", [
    pytest.param(lambda data: cache._loads(data), id="result cache"),
    pytest.param(lambda data: ruleset_cache._loader(io.BytesIO(data)).load(), id="rule-set cache"),
])
def test_both_caches_load_with_the_one_loader_that_admits_only_kepulint_types(load: Any) -> None:
    from kepulint import fsutil, pickles
    from kepulint.model import InputError

    assert isinstance(cache._SafeUnpickler(b""), pickles.KepulintUnpickler)
    assert isinstance(ruleset_cache._loader(io.BytesIO(b"")), pickles.KepulintUnpickler)
    for forbidden in (os.system, eval, fsutil.write_atomic, InputError, pickle.Unpickler):
        with pytest.raises(pickle.UnpicklingError):
            load(pickle.dumps(forbidden))
    result = FileResult(path="a.md")
    assert load(pickle.dumps(result)) == result
