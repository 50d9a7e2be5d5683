"""A committed cache cannot open the gate or run code: entries, packs and the rule-set cache are
believed only when the user's own key vouches for them.

The attacker here is strong: they run kepulint themselves (their own key), forge entries
and packs that say "no findings" (or two hundred thousand fake ones) for the victim's draft,
and commit them both where their own run put them and where the victim's run looks.
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from attack_kit import CLAIM, check, last_stats, victim

from kepulint import stamp, userkey
from kepulint.kinds.candidates import CompiledRules
from kepulint.model import Diagnostic, FileResult, Severity
from kepulint.rules import ruleset, ruleset_cache
from kepulint.run import cache


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = victim(tmp_path, monkeypatch, name="attacker")
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text(CLAIM, encoding="utf-8")
    return repo


def _forge(repo: Path, result_for: Any) -> None:
    """Rewrite every entry and pack under the checkout's cache with ``result_for(old)``, sealed
    with the attacker's key (the current user's), as a contributor would commit them."""
    key = userkey.user_key()
    assert key is not None
    for path in (repo / ".kepulint_cache").rglob("*"):
        if path.suffix not in (".pickle", cache.PACK_SUFFIX):
            continue
        data = cache._loads(path.read_bytes()[userkey.TAG_BYTES:])
        if "entries" in data:
            data["entries"] = {k: (d, s, result_for(r)) for k, (d, s, r) in data["entries"].items()}
        else:
            data["result"] = result_for(data["result"])
        path.write_bytes(cache.sealed(path, cache._dumps(data), key))


def _plant_in_victims_run_folder(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Become the victim (another key), let their run make its cache, then overwrite each of
    their entries and packs with the forged one of the same kind, under the victim's own file
    names (more than an attacker can know): only the seals stand in the way."""
    base = repo / ".kepulint_cache" / f"v{cache.FORMAT}"
    (forged,) = list(base.iterdir())
    stash = tmp_path / "forged"
    shutil.copytree(forged, stash)
    shutil.rmtree(repo / ".kepulint_cache")
    victim(tmp_path, monkeypatch)
    check("docs")
    (mine,) = list(base.iterdir())
    for suffix in (".pickle", cache.PACK_SUFFIX):
        (theirs,) = stash.glob(f"*{suffix}")
        (own,) = mine.glob(f"*{suffix}")
        own.write_bytes(theirs.read_bytes())


@pytest.mark.parametrize("where", ["attacker's run folder", "victim's run folder"])
def test_a_forged_empty_result_does_not_pass_a_draft_with_findings(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setattr(cache, "MIN_PACK_FILES", 1)  # a pack too
    code, honest = check("docs")
    assert code == 1 and len(honest["diagnostics"]) == 3
    _forge(repo, lambda r: FileResult(path=r.path))
    code, _ = check("docs")
    assert code == 0, "the forgery works for the attacker's own key (the test's premise)"
    if where == "victim's run folder":
        _plant_in_victims_run_folder(repo, tmp_path, monkeypatch)
    else:
        victim(tmp_path, monkeypatch)
    code, report = check("docs")
    assert code == 1 and report["diagnostics"] == honest["diagnostics"]


def test_forged_findings_are_not_injected(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setattr(cache, "MIN_PACK_FILES", 1)
    code, honest = check("docs")
    fake = Diagnostic(path="docs/a.md", name="cure-claim", line=1, column=1, end_line=1, end_column=2, code="CLM002",
                      severity=Severity.ERROR, message="fake", match="#")
    _forge(repo, lambda r: FileResult(path=r.path, diagnostics=[fake] * 200_000))
    victim(tmp_path, monkeypatch)
    code, report = check("docs")
    assert code == 1 and report["diagnostics"] == honest["diagnostics"]


def test_a_pack_never_holds_the_run_key(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_PACK_FILES", 1)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    keys: list[str] = []
    real = cache.run_key
    monkeypatch.setattr(cache, "run_key", lambda *a, **k: keys.append(real(*a, **k)) or keys[-1])
    check("docs")
    check("docs")
    (pack,) = (repo / ".kepulint_cache").rglob(f"*{cache.PACK_SUFFIX}")
    data = pack.read_bytes()
    run_dir = pack.parent.name
    assert keys and all(k.encode() not in data and k[:32] != run_dir for k in keys)
    assert all(k[:32].encode() not in data for k in keys)


def test_without_a_usable_key_there_is_no_cache(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A key another user can read (or a link to one) is not used: the run lints everything."""
    check("docs")
    home = tmp_path / "attacker-home"
    os.chmod(home / userkey.KEY_NAME, 0o644)
    userkey.user_key.cache_clear()
    assert userkey.user_key() is None
    code, report = check("docs")
    assert code == 1 and len(report["diagnostics"]) == 3 and last_stats().get("hits") is None
    (home / userkey.KEY_NAME).unlink()
    (home / "elsewhere").write_bytes(os.urandom(userkey.KEY_BYTES))
    os.chmod(home / "elsewhere", 0o600)
    (home / userkey.KEY_NAME).symlink_to(home / "elsewhere")
    userkey.user_key.cache_clear()
    assert userkey.user_key() is None
    assert capsys.readouterr().err == ""  # no key is no error


def test_a_new_key_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim(tmp_path, monkeypatch, name="fresh")
    key = userkey.user_key()
    path = tmp_path / "fresh-home" / userkey.KEY_NAME
    assert key is not None and len(key) == userkey.KEY_BYTES and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "fresh-home").stat().st_mode) & 0o077 == 0


# -- the rule-set cache ---------------------------------------------------------------------------


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.mkdir, (str(self.marker),))


def test_a_replaced_rule_cache_runs_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim(tmp_path, monkeypatch)
    built = ruleset.load_rules(build=CompiledRules)
    path = ruleset_cache.path_for(built.digest)
    assert path.exists()
    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_Evil(marker)))  # a plain pickle, as the old cache was
    loaded = ruleset.load_rules(build=CompiledRules)
    assert not marker.exists() and loaded.rules == built.rules
    sealed = userkey.seal(userkey.user_key() or b"", ruleset_cache._label(path), pickle.dumps(_Evil(marker)))
    path.write_bytes(sealed)  # even sealed with the right key: only kepulint's classes load
    loaded = ruleset.load_rules(build=CompiledRules)
    assert not marker.exists() and loaded.rules == built.rules


def test_the_rule_cache_loader_admits_only_kepulint_classes() -> None:
    import io

    for module, name in (("os", "system"), ("builtins", "eval"), ("kepulint.fsutil", "write_atomic"),
                         ("kepulint.cli", "Terminated")):
        payload = pickle.dumps(getattr(__import__(module, fromlist=[name]), name))
        with pytest.raises(pickle.UnpicklingError):
            ruleset_cache._loader(io.BytesIO(payload)).load()


def test_the_rule_cache_key_covers_code_data_and_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(ruleset.__file__).resolve().parents[1]
    names = stamp.code_files(str(root))
    assert {"schemas/rule.schema.json", "data/t2s.tsv", "kinds/phrase.py", "rules/ruleset.py"} <= set(names)
    before = ruleset._code_stamp()
    stamp.code_digest.cache_clear()
    monkeypatch.setattr(stamp, "code_files", lambda r: [*names[:-1]])  # one file fewer: another digest
    try:
        assert ruleset._code_stamp() != before
    finally:
        stamp.code_digest.cache_clear()
