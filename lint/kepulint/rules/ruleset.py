"""Rules as data: load ``rules/*.yaml``, validate them, and build their kinds.

A rule file is validated against ``kepulint schema rule`` (``schemas/rule.schema.json`` and
the params schema of its kind) and its regexes are checked (:mod:`kepulint.rules.validation`);
a broken one raises :class:`RuleError` naming the file and the key path. Codes must be
unique and equal to the file stem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..model import Severity

PROFILES = ("cn", "tw", "hk")
DOCS_URL = "https://github.com/kepulint/kepulint/blob/main/rules/{code}.yaml"


class RuleError(Exception):
    """A rule file or rule pack that cannot be loaded (exit code 2)."""


@dataclass(frozen=True)
class Rule:
    """One rule's metadata and parameters as its YAML file says them, except that the loader
    (:func:`rule_from_data`) upgrades deprecated param spellings (``notices`` says which) and
    puts each regex in the form the kinds search (:mod:`kepulint.rules.anchoring`)."""

    code: str
    name: str
    kind: str
    severity: Severity
    summary: str
    message: str
    help: str
    basis: dict[str, list[dict[str, str]]]
    jurisdictions: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    examples: dict[str, list[Any]] = field(default_factory=dict, hash=False, compare=False)
    message_by_profile: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    status: str = "stable"
    since: str = "0.1.0"
    source: str = ""
    notices: tuple[str, ...] = field(default=(), compare=False)  # deprecated spellings upgraded at load

    @property
    def help_uri(self) -> str:
        return DOCS_URL.format(code=self.code)

    def message_for(self, profile: str) -> str:
        return self.message_by_profile.get(profile, self.message)

    def basis_for(self, profile: str) -> list[dict[str, str]]:
        return list(self.basis.get(profile, [])) + list(self.basis.get("all", []))

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str = "") -> Rule:
        return cls(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            severity=Severity.parse(data["severity"]),
            summary=data["summary"].strip(),
            message=data["message"].strip(),
            help=data["help"].strip(),
            basis=data["basis"],
            jurisdictions=tuple(data["jurisdictions"]),
            params=data.get("params", {}),
            examples=data["examples"],
            message_by_profile=data.get("message_by_profile", {}),
            status=data.get("status", "stable"),
            since=str(data.get("since", "0.1.0")),
            source=source,
        )


def _yaml_loader() -> Any:
    from .. import yamlsafe

    return yamlsafe.CappedLoader  # pure Python (libyaml overflows the C stack), with alias and size limits


@dataclass
class RuleSet:
    """All loaded rules, in code order, with their compiled kinds."""

    rules: list[Rule]
    digest: str = ""
    #: builds the kinds and automaton from the rules (``kinds.candidates.CompiledRules``), given by
    #: the layer above kinds so that rules never import kinds; None: a rule set for reading only
    build: Callable[[list[Rule]], Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.rules.sort(key=lambda r: r.code)
        self.by_code = {r.code: r for r in self.rules}

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.rules]

    @property
    def notices(self) -> list[str]:
        """One line per deprecated spelling the rule files use (upgraded at load), to show the user."""
        return [n for r in self.rules for n in r.notices]

    def select(self, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Rule]:
        """Rules whose code starts with a selected prefix and with no ignored prefix."""
        sel = tuple(select) if select else ("",)
        ign = tuple(ignore)
        return [r for r in self.rules if r.code.startswith(sel) and not (ign and r.code.startswith(ign))]

    def __getstate__(self) -> dict[str, Any]:
        """The rules without their compiled kinds (:func:`_write_cached` stores those apart)."""
        state = dict(self.__dict__)
        state.pop("compiled", None)
        state.pop("_stored_compiled", None)
        state.pop("build", None)
        return state

    @cached_property
    def compiled(self) -> Any:
        """The kinds and automaton: read from the rule cache when it holds them (see
        :func:`_read_cached`), else built; a run whose files are all cached never needs them."""
        stored = self.__dict__.pop("_stored_compiled", None)
        if stored is not None:
            try:
                return stored()
            except Exception:  # truncated or stale: build them, and let the next run rewrite the file
                from . import ruleset_cache

                ruleset_cache.forget(self.digest)
        if self.build is None:
            raise RuleError("rule set loaded without its kinds: load it with build= (api.ruleset_for does)")
        return self.build(self.rules)


def builtin_rule_dir() -> Path:
    """The shipped rules: ``kepulint/builtin_rules`` when installed, ``rules/`` in a checkout."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("kepulint.builtin_rules")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[3] / "rules"


def parse_rule_file(path: Path) -> Rule:
    """Parse and validate one rule file; raise :class:`RuleError` on any problem."""
    import yaml

    from ..fsutil import read_regular

    try:
        raw = read_regular(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    try:
        data = yaml.load(raw, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise RuleError(f"{path}{where}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: invalid YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. since: 2024-13-01
        problem = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise RuleError(f"{path}: invalid YAML value: {problem} (quote it to make it a string)") from None
    if isinstance(data, dict) and "code" in data and data["code"] != path.stem:
        raise RuleError(f"{path}: /code: '{data['code']}' must equal the file name '{path.stem}'")
    return rule_from_data(data, str(path))


def rule_from_data(data: Any, source: str = "<rule>") -> Rule:
    """A rule from its parsed YAML (a mapping), validated as a rule file is: the schema of its
    kind, its regexes, deprecated spellings upgraded (their notices kept on the rule) and each
    regex put in the form the kinds search. Raise :class:`RuleError` naming ``source`` and the
    key path."""
    from . import validation

    if not isinstance(data, dict):
        raise RuleError(f"{source}: a rule file must be a mapping with code, name, kind, …")
    problem = validation.schema_problem(data)
    if problem:
        raise RuleError(f"{source}: {problem}")
    params = data.get("params", {})
    problem = validation.regex_problem(params)
    if problem:
        raise RuleError(f"{source}: /params{problem}")
    try:
        params, notices = validation.upgraded(data["kind"], params)
    except ValueError as exc:
        raise RuleError(f"{source}: {exc}") from None
    rule = Rule.from_data({**data, "params": validation.searched_forms(params)}, source=source)
    if notices:
        rule = replace(rule, notices=tuple(f"{source}: {n}" for n in notices))
    return rule


def load_rules(dirs: Iterable[Path] | None = None, *, use_cache: bool = True,
               build: Callable[[list[Rule]], Any] | None = None) -> RuleSet:
    """Load the built-in rules plus any extra rule directories (rule packs).

    Parsing YAML and validating against the schema happens only when the rule files (or
    kepulint) changed: the validated, compiled rule set is kept in the user cache folder,
    keyed by a digest of every rule file's content (see :mod:`kepulint.rules.ruleset_cache`).
    ``build`` compiles the kinds (see :attr:`RuleSet.build`); without it nothing is cached.
    """
    paths = [builtin_rule_dir()] + [Path(d) for d in (dirs or [])]
    files: list[Path] = []
    for d in paths:
        if not d.is_dir():
            raise RuleError(f"{d}: rule directory not found")
        files.extend(sorted(d.glob("*.yaml")))
    from ..fsutil import read_regular

    digest = hashlib.sha256(_code_stamp().encode())
    for f in files:
        digest.update(f.name.encode())
        try:
            digest.update(read_regular(f))
        except OSError as exc:
            raise RuleError(f"{f}: cannot read rule file: {exc.strerror or exc}") from None
    key = digest.hexdigest()
    if use_cache:
        cached = _read_cached(key)
        if cached is not None:
            cached.build = build
            return cached
    ruleset = _parse_and_validate(files, key)
    ruleset.build = build
    if use_cache and build is not None:
        from . import ruleset_cache

        ruleset_cache.write(key, ruleset)
    return ruleset


def _code_stamp() -> str:
    """kepulint's version and a digest of all its modules, data and schemas, so a cached rule
    set is never reused by different code (an upgrade or a local edit)."""
    from ..stamp import code_stamp

    return code_stamp()


def _read_cached(key: str) -> RuleSet | None:
    """The cached rule set of ``key``, or None; its compiled kinds are read when
    :attr:`RuleSet.compiled` is first used (so their modules are imported only then)."""
    from . import ruleset_cache

    kept = ruleset_cache.read(key)
    if kept is None:
        return None
    ruleset, load_compiled = kept
    if not (isinstance(ruleset, RuleSet) and ruleset.digest == key):
        return None
    ruleset._stored_compiled = load_compiled  # type: ignore[attr-defined]
    return ruleset


def _parse_and_validate(files: list[Path], key: str) -> RuleSet:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        rule = parse_rule_file(f)
        if rule.code in seen:
            raise RuleError(f"{f}: /code: '{rule.code}' is already defined in {seen[rule.code]}")
        seen[rule.code] = str(f)
        rules.append(rule)
    return RuleSet(rules, digest=key)
