"""Configuration: find, read, validate and merge kepulint settings.

Files are ``[tool.kepulint]`` in ``pyproject.toml`` or ``.kepulint.yaml`` / ``.kepulint.yml``,
found by searching upward from the start directory (``.kepulint.yaml`` wins within a directory;
a pyproject.toml without the table is skipped). ``extends`` reads a base file first; command-line
values override files. Every effective key keeps its provenance. Each problem is a one-line
:class:`ConfigError` naming the file and the key.

TOML is read with the standard library's :mod:`tomllib`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .discover import DEFAULT_INCLUDE

__all__ = [
    "DEFAULT_INCLUDE",
    "DEFAULT_MAX_FILE_SIZE",
    "KEYS",
    "Config",
    "ConfigError",
    "find_config_file",
    "load_config",
    "parse_size",
]

YAML_NAMES = (".kepulint.yaml", ".kepulint.yml")
PYPROJECT = "pyproject.toml"
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024
DEFAULT = "default"
COMMAND_LINE = "command line"

#: Settings as written in files, in display order (``extends`` is read but is not a setting).
KEYS = (
    "select", "ignore", "extend-select", "severity", "fail-on", "profile", "include", "exclude",
    "per-file-ignores", "encoding", "max-file-size", "rule-paths", "cache-dir", "baseline", "jobs",
)  # fmt: skip
FILE_KEYS = (*KEYS, "extends")
_CODE_LISTS = ("select", "ignore", "extend-select")
_LISTS = (*_CODE_LISTS, "include", "exclude", "rule-paths")
_MAPPINGS = ("severity", "per-file-ignores")
_ADDITIVE_CLI = ("ignore", "extend-select")
_DEFAULTS: dict[str, Any] = {
    "select": None, "ignore": (), "extend-select": (), "severity": {}, "fail-on": "error",
    "profile": "auto", "include": DEFAULT_INCLUDE, "exclude": (), "per-file-ignores": {},
    "encoding": None, "max-file-size": DEFAULT_MAX_FILE_SIZE, "rule-paths": (), "cache-dir": None,
    "baseline": None, "jobs": None,
}  # fmt: skip
_SIZE_RE = re.compile(r"\s*([0-9]+)(?:\.([0-9]+))?\s*(?:([kmg])(?:i?b)?|b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class ConfigError(Exception):
    """A configuration that cannot be used (exit code 2); the message is one line."""


def parse_size(value: str | int) -> int:
    """Bytes from an int or a string such as ``"512KB"``, ``"20MB"`` or ``"1.5 GiB"`` (binary units)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{value!r} is not a size")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE_RE.fullmatch(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a size (a number of bytes, or a string like '512KB' or '20MB')"
            )
        whole, frac, unit = match.group(1), match.group(2) or "", (match.group(3) or "").lower()
        size = int(whole + frac) * _UNITS[unit] // 10 ** len(frac)
    if size < 1:
        raise ValueError(f"{value!r} is not a positive size")
    return size


def _format_size(size: int) -> str | int:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return size


# -- presentation ---------------------------------------------------------------------------


def _show(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _where(path: Path | None) -> str:
    if path is None:
        return f"{COMMAND_LINE}:"
    return f"{_show(path)}: [tool.kepulint]" if path.name == PYPROJECT else f"{_show(path)}:"


def _keypath(parts: Iterable[Any], cli: bool = False) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = str(part)
        if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out += f".{text}" if out else text
    return f"--{out}" if cli and out else out


def _message(path: Path | None, keypath: str, text: str) -> str:
    return f"{_where(path)} {keypath}: {text}" if keypath else f"{_where(path)} {text}"


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a mapping", type(None): "nothing"}  # fmt: skip
    kind = names.get(type(value), f"a {type(value).__name__}")
    return f"{kind} {value!r}" if isinstance(value, (bool, int, float, str)) else kind


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    choices = list(choices)
    dashed = word.replace("_", "-").lower()
    if dashed in choices:
        return f" (did you mean '{dashed}'?)"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _render(value: object) -> str:
    import json

    if value is None:
        return "null"
    if isinstance(value, Path):
        value = value.as_posix()
    if isinstance(value, (bool, int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_render(k)}: {_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


# -- paths and globs ------------------------------------------------------------------------


def _absolute(path: Path | str, base: Path | None = None) -> Path:
    path = Path(path).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return Path(os.path.normpath(path))


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...], root: Path, folders: bool = False) -> Any:
    """The one matcher of include/exclude/per-file-ignores globs (:class:`~kepulint.run.discover.PathMatcher`)."""
    from .discover import PathMatcher

    return PathMatcher(patterns, root, folders=folders)


# -- the effective configuration ------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """Effective settings, their provenance (``sources``: key -> "default", file or "command line")."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    fail_on: str = "error"
    profile: str = "auto"
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    encoding: str | None = None  # None = UTF-8 (or UTF-16/32 with a BOM); "auto" = detect
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rule_paths: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    baseline: Path | None = None
    jobs: int | None = None
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(dict.fromkeys(KEYS, DEFAULT)))
    known_codes: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    code_refs: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def values(self) -> dict[str, Any]:
        """Effective values keyed by their file names (kebab-case), in :data:`KEYS` order."""
        return {key: getattr(self, key.replace("-", "_")) for key in KEYS}

    def per_file_ignored(self, path: str | os.PathLike[str]) -> tuple[str, ...]:
        """Codes and prefixes that ``per-file-ignores`` disables for ``path``."""
        if not self.per_file_ignores:  # the common case: no path arithmetic per file
            return ()
        found = [
            code
            for glob, codes in self.per_file_ignores.items()
            if _matcher((glob,), self.root)(path)
            for code in codes
        ]
        return tuple(dict.fromkeys(found))

    def selected_codes(
        self, all_codes: Sequence[str], path: str | os.PathLike[str] | None = None
    ) -> list[str]:
        """Codes enabled for a file: select (or all) + extend-select - ignore - matching per-file-ignores."""
        chosen = ("",) if self.select is None else tuple(self.select)
        chosen += self.extend_select
        ignored = self.ignore + (self.per_file_ignored(path) if path is not None else ())
        return [c for c in all_codes if c.startswith(chosen) and not (ignored and c.startswith(ignored))]

    def severity_for(self, code: str) -> str | None:
        """The ``severity`` override for ``code`` (longest matching prefix), or None."""
        best = max((p for p in self.severity if code.startswith(p)), key=len, default=None)
        return None if best is None else self.severity[best]

    def severity_overrides(self, all_codes: Iterable[str]) -> dict[str, str]:
        """``severity`` with prefixes expanded to the concrete codes they match (longest prefix wins)."""
        found = {code: self.severity_for(code) for code in all_codes}
        return {code: level for code, level in found.items() if level is not None}

    def is_excluded(self, path: str | os.PathLike[str]) -> bool:
        """True when ``exclude`` matches the path, its file name or any folder above it (below
        root): the very test ``kepulint check`` applies (:class:`~kepulint.run.discover.PathMatcher`)."""
        return _matcher(self.exclude, self.root, folders=True)(path)

    def is_included(self, path: str | os.PathLike[str]) -> bool:
        """True when ``include`` matches the path relative to root or its file name, ignoring case."""
        return _matcher(self.include, self.root)(path)

    def with_overrides(self, **cli: object) -> Config:
        """Apply command-line values (snake_case names; ``None`` = not given).

        As in Ruff, ``ignore`` and ``extend_select`` add to the file's lists and ``severity`` and
        ``per_file_ignores`` merge per key; every other value replaces the file's. A string given
        for a list setting is split on commas. Relative paths are taken from the working directory.
        """
        unknown = sorted(k for k in cli if k.replace("_", "-") not in KEYS)
        if unknown:
            raise TypeError(f"with_overrides() got unknown settings: {', '.join(unknown)}")
        raw = {k.replace("_", "-"): _to_raw(k.replace("_", "-"), v) for k, v in cli.items() if v is not None}
        if not raw:
            return self
        _validate(raw, None)
        layer = _normalize(raw, None, Path.cwd())
        values, sources = self.values(), dict(self.sources)
        _apply(values, sources, layer, COMMAND_LINE, additive=_ADDITIVE_CLI)
        cfg = replace(
            self, **_fields(values), sources=MappingProxyType(sources), code_refs=self.code_refs + layer.refs
        )
        if cfg.known_codes:
            cfg.check_codes(cfg.known_codes)
        return cfg

    def check_codes(self, known_codes: Collection[str]) -> None:
        """Raise :class:`ConfigError` for the first code or prefix that matches no known rule.

        Codes of rule packs in ``rule-paths`` (the ``*.yaml`` file stems) count as known.
        """
        known = set(known_codes)
        for directory in self.rule_paths:
            known.update(p.stem for p in directory.glob("*.yaml"))
        for where, code in self.code_refs:
            if not any(k.startswith(code) for k in known):
                prefixes = {m.group() for k in known if (m := re.match(r"[A-Z]+", k))}
                hint = _suggest(code, sorted(known | prefixes))
                raise ConfigError(f"{where}: unknown rule code or prefix {code!r}{hint}")

    def describe(self) -> str:
        """One line per key, ``key = value  # source``, for ``kepulint config``."""
        values = self.values()
        if values["encoding"] is None:
            values["encoding"] = "utf-8"
        values["max-file-size"] = _format_size(values["max-file-size"])
        width = max(map(len, KEYS))
        lines = []
        for key in KEYS:
            source = " + ".join(_show_source(s) for s in self.sources.get(key, DEFAULT).split(" + "))
            lines.append(f"{key:<{width}} = {_render(values[key])}  # {source}")
        return "\n".join(lines)


def _show_source(source: str) -> str:
    return _show(Path(source)) if os.path.isabs(source) else source


def _fields(values: Mapping[str, Any]) -> dict[str, Any]:
    kwargs = {key.replace("-", "_"): value for key, value in values.items()}
    kwargs["severity"] = MappingProxyType(dict(values["severity"]))
    kwargs["per_file_ignores"] = MappingProxyType(dict(values["per-file-ignores"]))
    return kwargs


def _to_raw(key: str, value: object) -> object:
    """A command-line value in the shape a config file would hold."""
    if isinstance(value, str) and key in _LISTS:
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {k: _to_raw("", v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_raw("", v) for v in value]
    return value


# -- validation and normalisation -----------------------------------------------------------


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    import json
    from importlib import resources

    return json.loads(resources.files("kepulint.schemas").joinpath("config.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema())


_WANT = {"array": "a list", "object": "a mapping", "string": "a string", "integer": "an integer",
         "number": "a number", "boolean": "true or false"}  # fmt: skip


def _plainly(node: dict[str, Any], value: object, root: dict[str, Any]) -> bool:
    """True when ``value`` plainly satisfies the schema ``node``: a fast reading of the few
    keywords the config schema uses (a keyword it does not know makes it answer False, and
    jsonschema decides). Never True where jsonschema would refuse (tested)."""
    for key, want in node.items():
        if key in ("description", "default", "errorMessage", "title", "$schema", "$id", "$defs"):
            continue
        if key == "$ref" and want.startswith("#/$defs/"):
            ok = _plainly(root["$defs"][want.removeprefix("#/$defs/")], value, root)
        elif key == "type":
            ok = {"string": type(value) is str, "integer": type(value) is int, "array": type(value) is list,
                  "object": type(value) is dict}.get(want, False)
        elif key == "enum":
            ok = type(value) is str and value in want
        elif key == "minLength":
            ok = type(value) is str and len(value) >= want
        elif key == "minimum":
            ok = type(value) is int and value >= want
        elif key == "pattern":
            ok = type(value) is str and re.search(want, value) is not None
        elif key == "items":
            ok = type(value) is list and all(_plainly(want, item, root) for item in value)
        elif key == "propertyNames":
            ok = type(value) is dict and all(_plainly(want, name, root) for name in value)
        elif key == "additionalProperties" and isinstance(want, dict) and "properties" not in node:
            ok = type(value) is dict and all(_plainly(want, item, root) for item in value.values())
        elif key == "anyOf":
            ok = any(_plainly(option, value, root) for option in want)
        else:
            ok = False
        if not ok:
            return False
    return True


def _plainly_valid(data: dict[Any, Any]) -> bool:
    """True when every key is known and every value plainly valid by the schema's own properties
    (:func:`_plainly`): the usual case needs no jsonschema import (60 ms to a few hundred a run)."""
    root = _schema()
    properties = root["properties"]
    return all(type(key) is str and key in properties and _plainly(properties[key], value, root)
               for key, value in data.items())


def _validate(data: dict[Any, Any], path: Path | None) -> None:
    """Check ``data`` against the schema; raise the first error (in file order) as one line."""
    if _plainly_valid(data):
        return
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    order = {key: i for i, key in enumerate(data)}
    unknown = [key for key in data if key not in FILE_KEYS]

    def rank(err: Any) -> tuple[int, list[str]]:
        top = err.absolute_path[0] if err.absolute_path else (unknown[0] if unknown else None)
        return order.get(top, -1), [str(p) for p in err.absolute_path]

    err = min(errors, key=rank)
    if err.validator == "additionalProperties" and not err.absolute_path and unknown:
        key = unknown[0]
        raise ConfigError(_message(path, "", f"unknown key {str(key)!r}{_suggest(str(key), FILE_KEYS)}"))
    instance, custom = err.instance, err.schema.get("errorMessage") if isinstance(err.schema, dict) else None
    naming = "propertyNames" in err.schema_path
    if err.validator == "type":
        text = (
            f"{instance!r} is not a string"
            if naming
            else f"expected {_WANT.get(err.validator_value)}, got {_kind(instance)}"
        )
    elif custom and err.validator in ("pattern", "anyOf"):
        text = f"{instance!r} {custom}"
    else:
        text = err.message
    raise ConfigError(
        _message(path, _keypath(err.absolute_path, path is None), f"key {text}" if naming else text)
    )


@dataclass
class _Layer:
    """One source's normalised values and the codes it names (location prefix, code)."""

    values: dict[str, Any]
    refs: tuple[tuple[str, str], ...]


def _normalize(raw: Mapping[str, Any], path: Path | None, base: Path) -> _Layer:
    """Turn validated raw values into effective ones; paths are made absolute from ``base``."""
    cli = path is None
    values: dict[str, Any] = {}
    refs: list[tuple[str, str]] = []

    def where(*parts: Any) -> str:
        return f"{_where(path)} {_keypath(parts, cli)}"

    for key, value in raw.items():
        if key == "extends":
            continue
        if key in _CODE_LISTS:
            values[key] = tuple(value)
            refs += [(where(key), code) for code in value]
        elif key == "severity":
            values[key] = dict(value)
            refs += [(where(key), code) for code in value]
        elif key == "per-file-ignores":
            values[key] = {glob: tuple(codes) for glob, codes in value.items()}
            refs += [(where(key, glob), code) for glob, codes in value.items() for code in codes]
        elif key in ("include", "exclude"):
            values[key] = tuple(value)
        elif key == "encoding":
            values[key] = _encoding(value, path)
        elif key == "max-file-size":
            try:
                values[key] = parse_size(int(value) if isinstance(value, float) else value)
            except ValueError as exc:
                raise ConfigError(_message(path, _keypath([key], cli), str(exc))) from None
        elif key == "rule-paths":
            values[key] = tuple(_absolute(p, base) for p in value)
            for i, directory in enumerate(values[key]):
                if not directory.is_dir():
                    raise ConfigError(
                        _message(path, _keypath([key, i], cli), f"directory not found: {directory}")
                    )
        elif key in ("cache-dir", "baseline"):
            values[key] = _absolute(value, base)
        elif key == "jobs":
            values[key] = int(value)
        else:
            values[key] = value
    return _Layer(values, tuple(refs))


def _encoding(name: str, path: Path | None) -> str | None:
    import codecs

    if name.lower() == "auto":
        return "auto"
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ConfigError(
            _message(path, _keypath(["encoding"], path is None), f"unknown encoding {name!r}")
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(
            _message(path, _keypath(["encoding"], path is None), f"{name!r} is not a text encoding")
        )
    return name


def _apply(
    values: dict[str, Any],
    sources: dict[str, str],
    layer: _Layer,
    source: str,
    additive: Collection[str] = (),
) -> None:
    """Lay ``layer`` over ``values``: mappings merge per key, ``additive`` lists extend, the rest replace."""
    for key, new in layer.values.items():
        old, old_source = values[key], sources[key]
        if key in _MAPPINGS:
            values[key] = {**old, **new}
            kept = any(k not in new for k in old)
        elif key in additive:
            values[key] = tuple(dict.fromkeys((*old, *new)))
            kept = bool(old)
        else:
            values[key], kept = new, False
        sources[key] = f"{old_source} + {source}" if kept and old_source != DEFAULT else source


# -- reading files --------------------------------------------------------------------------


def _suffix_kind(path: Path) -> str | None:
    return {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}.get(path.suffix.lower())


def _read_text(path: Path, data: bytes | None = None) -> str:
    from ..fsutil import read_regular

    try:
        raw = read_regular(path) if data is None else data
        return raw.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{_show(path)}: cannot read config file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_show(path)}: config file is not UTF-8 (byte {exc.start})") from None


def _toml_position(exc: Exception, text: str) -> tuple[int, int, str]:
    message = str(exc)
    if match := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        return int(match.group(1)), int(match.group(2)), message[: match.start()]
    if match := re.search(r"\s*\(at end of document\)$", message):
        lines = text.splitlines() or [""]
        return len(lines), len(lines[-1]) + 1, message[: match.start()]
    return 1, 1, message


def _load_toml(text: str, path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column, problem = _toml_position(exc, text)
        raise ConfigError(f"{_show(path)}:{line}:{column}: invalid TOML: {problem}") from None
    except RecursionError:  # arrays or inline tables nested hundreds deep
        raise ConfigError(f"{_show(path)}: invalid TOML: nested too deeply") from None


def _load_yaml(text: str, path: Path) -> Any:
    import yaml

    from .. import yamlsafe

    try:
        return yamlsafe.load(text, unique_keys=True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{_show(path)}{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{_show(path)}: invalid YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. 2024-13-01: month must be …
        problem = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ConfigError(f"{_show(path)}: invalid YAML value: {problem} (quote it to make it a string)") from None


def _read_raw(path: Path) -> dict[str, Any]:
    """The settings mapping a file holds (``[tool.kepulint]`` for pyproject.toml)."""
    text = _read_text(path)
    if _suffix_kind(path) == "yaml":
        data = _load_yaml(text, path)
        data = {} if data is None else data
    else:
        data = _load_toml(text, path)
        if path.name == PYPROJECT:
            tool = data.get("tool")
            if not isinstance(tool, dict) or "kepulint" not in tool:
                raise ConfigError(f"{_show(path)}: no [tool.kepulint] table")
            data = tool["kepulint"]
    if not isinstance(data, dict):
        raise ConfigError(_message(path, "", f"expected a mapping of settings, got {_kind(data)}"))
    return data


def _read_settings(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], dict[str, str], tuple]:
    """Values, sources and code references of ``path`` with its ``extends`` chain applied first."""
    raw = _read_raw(path)
    _validate(raw, path)
    layer = _normalize(raw, path, path.parent)
    values, sources, refs = dict(_DEFAULTS), dict.fromkeys(KEYS, DEFAULT), ()
    if "extends" in raw:
        base = _absolute(raw["extends"], path.parent)
        seen = (*chain, path.resolve())
        if base.resolve() in seen:
            cycle = " -> ".join(_show(p) for p in (*seen, base.resolve()))
            raise ConfigError(_message(path, "extends", f"cycle: {cycle}"))
        if _suffix_kind(base) is None:
            raise ConfigError(
                _message(path, "extends", f"{raw['extends']!r} is not a .toml, .yaml or .yml file")
            )
        if not base.is_file():
            raise ConfigError(_message(path, "extends", f"file not found: {raw['extends']!r} ({base})"))
        values, sources, refs = _read_settings(base, seen)
    _apply(values, sources, layer, str(path))
    return values, sources, (*refs, *layer.refs)


def _declares_kepulint(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a ``[tool.kepulint]`` table (cheap byte check first)."""
    from ..fsutil import read_regular

    try:
        data = read_regular(pyproject)
    except OSError:
        return False
    if b"kepulint" not in data:
        return False
    tool = _load_toml(_read_text(pyproject, data), pyproject).get("tool")
    return isinstance(tool, dict) and "kepulint" in tool


def find_config_file(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a directory or a file in one), or None."""
    here = _absolute(start)
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _declares_kepulint(pyproject):
            return pyproject
    return None


def load_config(
    start: Path | None = None,
    *,
    explicit: Path | None = None,
    no_config: bool = False,
    known_codes: Collection[str] = (),
) -> Config:
    """Effective configuration: ``--config`` file, else the nearest one above ``start`` (default cwd).

    With ``known_codes``, a code or prefix matching none of them (nor a rule-pack file stem) is an
    error; the codes are kept so that :meth:`Config.with_overrides` checks command-line codes too.
    """
    if explicit is not None and no_config:
        raise ConfigError("--config and --no-config cannot be used together")
    path: Path | None = None
    if explicit is not None:
        path = _absolute(explicit)
        if _suffix_kind(path) is None:
            raise ConfigError(f"{_show(path)}: --config needs a .toml, .yaml or .yml file")
        if not path.is_file():
            raise ConfigError(f"{_show(path)}: config file not found")
    elif not no_config:
        path = find_config_file(Path.cwd() if start is None else Path(start))
    if path is None:
        cfg = Config(root=_absolute(Path.cwd()))
    else:
        values, sources, refs = _read_settings(path)
        cfg = Config(**_fields(values), path=path, root=path.parent, sources=MappingProxyType(sources),
                     code_refs=tuple(refs))  # fmt: skip
    cfg = replace(cfg, known_codes=frozenset(known_codes))
    if known_codes:
        cfg.check_codes(known_codes)
    return cfg
