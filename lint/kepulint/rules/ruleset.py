"""Rules as data: load ``rules/*.yaml``, validate them, and build their kinds.

A rule file is validated against ``schemas/rule.schema.json``; a broken one raises
:class:`RuleError` naming the file and the key path. Codes must be unique and equal to
the file stem.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import Severity

PROFILES = ("cn", "tw", "hk")
DOCS_URL = "https://github.com/kepulint/kepulint/blob/main/rules/{code}.yaml"


class RuleError(Exception):
    """A rule file or rule pack that cannot be loaded (exit code 2)."""


@dataclass(frozen=True)
class Rule:
    """One rule's metadata and parameters, exactly as its YAML file says."""

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
        from ..kinds.candidates import CompiledRules

        return CompiledRules(self.rules)


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


def _schema_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.files("kepulint.schemas").joinpath("rule.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def _format_path(parts: Iterable[Any]) -> str:
    return "/" + "/".join(str(p) for p in parts) if parts else "/"


def parse_rule_file(path: Path, validator: Any = None) -> Rule:
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
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a rule file must be a mapping with code, name, kind, …")
    validator = validator or _schema_validator()
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        raise RuleError(f"{path}: {_format_path(err.absolute_path)}: {err.message}")
    if data["code"] != path.stem:
        raise RuleError(f"{path}: /code: '{data['code']}' must equal the file name '{path.stem}'")
    rule = Rule.from_data(data, source=str(path))
    from ..kinds import validate_params
    from . import regex_safety

    problem = validate_params(rule) or regex_safety.params_problem(rule.params)
    if problem:
        raise RuleError(f"{path}: /params{problem}")
    return rule


def load_rules(dirs: Iterable[Path] | None = None, *, use_cache: bool = True) -> RuleSet:
    """Load the built-in rules plus any extra rule directories (rule packs).

    Parsing YAML and validating against the schema happens only when the rule files (or
    kepulint) changed: the validated, compiled rule set is kept in the user cache folder,
    keyed by a digest of every rule file's content (see :mod:`kepulint.rules.ruleset_cache`).
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
            return cached
    ruleset = _parse_and_validate(files, key)
    if use_cache:
        from . import ruleset_cache

        ruleset_cache.write(key, ruleset)
    return ruleset


def _code_stamp() -> str:
    """kepulint's version and a digest of all its modules, data and schemas, so a cached rule
    set is never reused by different code (an upgrade or a local edit)."""
    from .. import __version__
    from ..run.cache import code_digest

    return f"{__version__}|{code_digest()}"


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
    validator = _schema_validator()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        rule = parse_rule_file(f, validator)
        if rule.code in seen:
            raise RuleError(f"{f}: /code: '{rule.code}' is already defined in {seen[rule.code]}")
        seen[rule.code] = str(f)
        rules.append(rule)
    return RuleSet(rules, digest=key)
