"""The rules a report refers to by code: name, default severity, basis and help per profile.

Diagnostics carry their rule's ``code``, not its help (a kilobyte of text, the same for every
finding of the rule); reporters look rules up here. A rule's help depends on the profile a
file was linted under (tw and hk: Traditional script, 为什么 naming that jurisdiction's law),
so it is asked for by ``(code, profile)`` and worked out once per pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FileResult
    from ..rules.ruleset import Rule
    from .helpstore import HelpStore

#: The jurisdictions a file can be linted under (``--profile auto`` picks one per file).
PROFILES = ("cn", "tw", "hk")


def file_profile(result: FileResult, run_profile: str) -> str:
    """The profile ``result`` was linted under: its own, else the run's, else ``cn``."""
    if result.profile:
        return result.profile
    return run_profile if run_profile in PROFILES else "cn"


class RuleTable:
    """Rules by code, in the order given (the order SARIF lists them in). ``store`` keeps the
    Traditional profiles' help texts between runs (see helpstore.py); :meth:`save` writes it."""

    __slots__ = ("_by_code", "_helps", "_hints", "_store")

    def __init__(self, rules: Iterable[Rule] = (), store: HelpStore | None = None) -> None:
        self._by_code: dict[str, Rule] = {rule.code: rule for rule in rules}
        self._helps: dict[tuple[str, str], str] = {}
        self._hints: dict[tuple[str, str], str] = {}
        self._store = store

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleTable:
        """The table of ``rules`` (a RuleTable is returned as it is)."""
        return rules if isinstance(rules, RuleTable) else cls(rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Rule | None:
        """The rule of ``code``; None for a code the table does not hold."""
        return self._by_code.get(code)

    def help(self, code: str, profile: str) -> str:
        """The rule's help (Markdown) in ``profile``; empty for an unknown code."""
        key = (code, profile)
        text = self._helps.get(key)
        if text is None:
            text = self._helps[key] = self._help(code, profile)
        return text

    def _help(self, code: str, profile: str) -> str:
        rule = self._by_code.get(code)
        if rule is None:
            return ""
        if profile not in ("tw", "hk"):  # as help_for: the rule file's own text (no import, no OpenCC)
            return rule.help
        text = self._store.get(code, profile) if self._store is not None else None
        if text is None:
            from ..check.advice import help_for  # OpenCC: not paid by a warm run whose texts are kept

            text = help_for(rule, profile)
            if self._store is not None:
                self._store.put(code, profile, text)
        return text

    def save(self) -> None:
        """Keep the Traditional help texts this table worked out for the next run."""
        if self._store is not None:
            self._store.save()

    def hint(self, code: str, profile: str) -> str:
        """The first item of the help's 怎么改 section: the advice of a finding that has none."""
        key = (code, profile)
        text = self._hints.get(key)
        if text is None:
            from ..check.advice import rewrite_hint

            text = self._hints[key] = rewrite_hint(self.help(code, profile))
        return text

    def entry(self, code: str, profiles: Iterable[str], name: str = "") -> dict[str, Any]:
        """The JSON report's ``rules[code]``: help and basis for each of ``profiles``. A code
        the table does not hold gets ``name`` (the diagnostic's) and empty help."""
        wanted = sorted(set(profiles))
        rule = self._by_code.get(code)
        if rule is None:
            return {"name": name, "help": {p: "" for p in wanted}}
        return {
            "name": rule.name,
            "severity": rule.severity.label,
            "summary": rule.summary,
            "help_uri": rule.help_uri,
            "basis": {p: [dict(b) for b in rule.basis_for(p)] for p in wanted},
            "help": {p: self.help(code, p) for p in wanted},
        }
