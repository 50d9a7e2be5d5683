"""report/ruletable.py and report/helpstore.py: rules looked up by code, help per profile, and
the Traditional help texts kept between runs (sealed JSON in the user cache folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kepulint import userkey
from kepulint.api import ruleset_for
from kepulint.check import advice
from kepulint.model import FileResult
from kepulint.report import RuleTable
from kepulint.report.helpstore import HelpStore
from kepulint.report.ruletable import file_profile

RULESET = ruleset_for(())


@pytest.fixture(autouse=True)
def _user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEPULINT_RULE_CACHE", str(tmp_path / "user-cache"))


def test_help_is_the_rule_files_for_cn_and_help_for_elsewhere() -> None:
    table = RuleTable(RULESET)
    rule = RULESET.by_code["CLM002"]
    assert table.help("CLM002", "cn") == rule.help == table.help("CLM002", "auto")
    assert table.help("CLM002", "tw") == advice.help_for(rule, "tw") != rule.help
    assert table.hint("CLM002", "hk") == advice.rewrite_hint(advice.help_for(rule, "hk"))
    assert table.help("NOPE001", "cn") == "" and table.get("NOPE001") is None and "CLM002" in table
    assert [r.code for r in table] == RULESET.codes and len(table) == len(RULESET)


def test_file_profile() -> None:
    assert file_profile(FileResult("a.md", profile="tw"), "auto") == "tw"
    assert file_profile(FileResult("a.md"), "hk") == "hk"
    assert file_profile(FileResult("a.md"), "auto") == "cn"


def test_kept_help_serves_the_next_run_without_rewriting(monkeypatch: pytest.MonkeyPatch) -> None:
    first = RuleTable(RULESET, HelpStore.for_rules(RULESET.digest))
    tw, hk = first.help("CLM002", "tw"), first.help("CIT001", "hk")
    first.save()
    calls: list[str] = []
    monkeypatch.setattr(advice, "help_for", lambda rule, profile: calls.append(rule.code) or "rewritten")
    second = RuleTable(RULESET, HelpStore.for_rules(RULESET.digest))
    assert (second.help("CLM002", "tw"), second.help("CIT001", "hk")) == (tw, hk) and calls == []
    assert second.help("CLM001", "tw") == "rewritten" and calls == ["CLM001"]  # not kept: worked out
    other = RuleTable(RULESET, HelpStore.for_rules("another rule set"))
    assert other.help("CLM002", "tw") == "rewritten"  # another rule set has a file of its own


@pytest.mark.parametrize("damage", ["unsealed", "garbage", "not a mapping", "not strings", "symlink"])
def test_a_damaged_or_planted_store_is_ignored(damage: str, tmp_path: Path) -> None:
    store = HelpStore.for_rules(RULESET.digest)
    assert store is not None
    store.put("CLM002", "tw", "kept")
    store.save()
    key = userkey.user_key() or b""
    label = f"helps/{store.path.name}".encode()
    payloads = {"not a mapping": b"[1, 2]", "not strings": json.dumps({"CLM002/tw": 3}).encode()}
    if damage == "unsealed":
        store.path.write_bytes(json.dumps({"CLM002/tw": "planted"}).encode())
    elif damage == "garbage":
        store.path.write_bytes(userkey.seal(key, label, b"\xff{"))
    elif damage == "symlink":
        target = tmp_path / "elsewhere.json"
        target.write_bytes(store.path.read_bytes())
        store.path.unlink()
        store.path.symlink_to(target)
    else:
        store.path.write_bytes(userkey.seal(key, label, payloads[damage]))
    fresh = HelpStore.for_rules(RULESET.digest)
    assert fresh is not None and fresh.get("CLM002", "tw") is None
    assert RuleTable(RULESET, fresh).help("CLM002", "tw") == advice.help_for(RULESET.by_code["CLM002"], "tw")


def test_no_user_key_no_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(userkey, "user_key", lambda: None)
    assert HelpStore.for_rules(RULESET.digest) is None
    RuleTable(RULESET, None).save()  # nothing to keep, nothing written
