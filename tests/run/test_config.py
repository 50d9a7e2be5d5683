"""Configuration: discovery, formats, extends, validation, selection, overrides and provenance."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kepulint.run import config as config_module
from kepulint.run.config import (
    DEFAULT_INCLUDE,
    DEFAULT_MAX_FILE_SIZE,
    KEYS,
    Config,
    ConfigError,
    find_config_file,
    load_config,
    parse_size,
)

KNOWN = [
    "DSC001", "DSC002", "META001", "CLM001", "CLM002", "CLM003", "CLM004", "CLM005", "CLM006",
    "CIT001", "CIT002", "EVD001", "EVD002", "EVD003", "TRL001", "TRL002", "TRL003", "ADV001",
    "ADV002", "KPL001", "KPL002", "KPL003",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(text: str, name: str = ".kepulint.yaml", known: list[str] | None = None) -> str:
    path = write(Path.cwd() / name, text)
    with pytest.raises(ConfigError) as info:
        load_config(explicit=path, known_codes=KNOWN if known is None else known)
    message = str(info.value)
    assert "\n" not in message
    return message


# -- parse_size ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4096, 4096),
        ("100", 100),
        ("100B", 100),
        ("512KB", 512 * 1024),
        ("512kb", 512 * 1024),
        ("20MB", 20 * 1024**2),
        ("20 MiB", 20 * 1024**2),
        ("1.5KiB", 1536),
        ("2G", 2 * 1024**3),
        (" 3 k ", 3072),
    ],
)
def test_parse_size(value: str | int, expected: int) -> None:
    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["", "MB", "20XB", "1.5.2MB", "-1", "20 ib", 0, -5, "0KB", True, 1.5])
def test_parse_size_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_size(value)  # type: ignore[arg-type]


# -- defaults and discovery ------------------------------------------------------------------


def test_no_config_found_gives_defaults(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg.path is None
    assert cfg.root == tmp_path
    assert cfg.select is None
    assert cfg.include == DEFAULT_INCLUDE == ("*.md", "*.markdown", "*.txt", "*.html", "*.htm", "*.docx")
    assert cfg.fail_on == "error" and cfg.profile == "auto"
    assert cfg.max_file_size == DEFAULT_MAX_FILE_SIZE == 20 * 1024 * 1024
    assert cfg.encoding is None and cfg.jobs is None and cfg.cache_dir is None
    assert dict(cfg.sources) == dict.fromkeys(KEYS, "default")


def test_discovery_searches_upward(tmp_path: Path) -> None:
    top = write(tmp_path / ".kepulint.yaml", "profile: tw\n")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config_file(deep) == top
    cfg = load_config(deep)
    assert cfg.path == top and cfg.root == tmp_path and cfg.profile == "tw"
    assert cfg.sources["profile"] == str(top)


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "profile: tw\n")
    near = write(tmp_path / "a" / ".kepulint.yml", "profile: hk\n")
    (tmp_path / "a" / "b").mkdir()
    cfg = load_config(tmp_path / "a" / "b")
    assert cfg.path == near and cfg.profile == "hk" and cfg.root == tmp_path / "a"


def test_start_may_be_a_file(tmp_path: Path) -> None:
    found = write(tmp_path / "docs" / ".kepulint.yaml", "{}\n")
    draft = write(tmp_path / "docs" / "draft.md", "正文")
    assert find_config_file(draft) == found


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    top = write(tmp_path / ".kepulint.yaml", "fail-on: warning\n")
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["kepulint>=0.1"]\n')
    write(tmp_path / "pkg" / "sub" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert find_config_file(tmp_path / "pkg" / "sub") == top
    assert load_config(tmp_path / "pkg" / "sub").fail_on == "warning"


def test_pyproject_with_table(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.kepulint]\nselect = ["CLM"]\n'
    )
    (tmp_path / "docs").mkdir()
    cfg = load_config(tmp_path / "docs", known_codes=KNOWN)
    assert cfg.path == pyproject and cfg.select == ("CLM",) and cfg.root == tmp_path
    assert cfg.sources["select"] == str(pyproject) and cfg.sources["ignore"] == "default"


def test_kepulint_yaml_wins_in_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.kepulint]\nprofile = "tw"\n')
    write(tmp_path / ".kepulint.yml", "profile: hk\n")
    yaml_file = write(tmp_path / ".kepulint.yaml", "profile: cn\n")
    assert find_config_file(tmp_path) == yaml_file
    (tmp_path / ".kepulint.yaml").unlink()
    assert find_config_file(tmp_path) == tmp_path / ".kepulint.yml"
    (tmp_path / ".kepulint.yml").unlink()
    assert find_config_file(tmp_path) == tmp_path / "pyproject.toml"


def test_empty_yaml_is_an_empty_config(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "# nothing yet\n")
    cfg = load_config(tmp_path)
    assert cfg.path == tmp_path / ".kepulint.yaml" and cfg.select is None


# -- --config and --no-config ----------------------------------------------------------------


def test_explicit_config_yaml_and_toml(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "profile: hk\n")
    yml = write(tmp_path / "ci" / "strict.yml", "fail-on: info\n")
    cfg = load_config(tmp_path, explicit=Path("ci/strict.yml"))
    assert cfg.path == yml and cfg.fail_on == "info" and cfg.profile == "auto" and cfg.root == tmp_path / "ci"
    toml = write(tmp_path / "ci" / "kepulint.toml", 'fail-on = "warning"\njobs = 4\n')
    cfg = load_config(explicit=toml)
    assert cfg.fail_on == "warning" and cfg.jobs == 4 and cfg.sources["jobs"] == str(toml)
    pyproject = write(tmp_path / "ci" / "pyproject.toml", '[tool.kepulint]\nprofile = "tw"\n')
    assert load_config(explicit=pyproject).profile == "tw"


def test_explicit_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^missing.yaml: config file not found$"):
        load_config(explicit=Path("missing.yaml"))
    write(tmp_path / "conf.json", "{}")
    with pytest.raises(ConfigError, match=r"conf.json: --config needs a .toml, .yaml or .yml file"):
        load_config(explicit=Path("conf.json"))
    write(tmp_path / "pyproject.toml", "[tool.ruff]\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: no \[tool.kepulint\] table"):
        load_config(explicit=Path("pyproject.toml"))
    with pytest.raises(ConfigError, match="cannot be used together"):
        load_config(explicit=Path("pyproject.toml"), no_config=True)


def test_no_config_ignores_files(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "profile: hk\nselect: [NOPE]\n")
    cfg = load_config(tmp_path, no_config=True, known_codes=KNOWN)
    assert cfg.path is None and cfg.profile == "auto" and cfg.root == tmp_path
    assert set(cfg.sources.values()) == {"default"}


# -- extends ---------------------------------------------------------------------------------


def test_extends_two_levels(tmp_path: Path) -> None:
    (tmp_path / "shared" / "pack").mkdir(parents=True)
    base = write(
        tmp_path / "shared" / "base.yaml",
        "select: [CLM, EVD]\nseverity: {CLM001: warning, EVD: info}\nrule-paths: [pack]\nprofile: tw\n",
    )
    team = write(
        tmp_path / "proj" / "team.toml",
        'extends = "../shared/base.yaml"\nignore = ["CLM006"]\nprofile = "hk"\n[severity]\nEVD = "error"\n',
    )
    local = write(
        tmp_path / "proj" / "site" / ".kepulint.yaml",
        "extends: ../team.toml\nfail-on: warning\nseverity: {CLM002: info}\n",
    )
    cfg = load_config(tmp_path / "proj" / "site", known_codes=KNOWN)
    assert cfg.path == local and cfg.root == local.parent
    assert cfg.select == ("CLM", "EVD") and cfg.sources["select"] == str(base)
    assert cfg.ignore == ("CLM006",) and cfg.sources["ignore"] == str(team)
    assert cfg.profile == "hk" and cfg.sources["profile"] == str(team)
    assert cfg.fail_on == "warning" and cfg.sources["fail-on"] == str(local)
    assert dict(cfg.severity) == {"CLM001": "warning", "EVD": "error", "CLM002": "info"}
    assert cfg.sources["severity"] == f"{base} + {team} + {local}"
    assert cfg.rule_paths == (tmp_path / "shared" / "pack",)  # relative to the file that names it
    assert cfg.sources["jobs"] == "default"


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: sub/b.yaml\n")
    write(tmp_path / "sub" / "b.yaml", "extends: ../a.yaml\n")
    with pytest.raises(ConfigError, match=r"^sub/b.yaml: extends: cycle: a.yaml -> sub/b.yaml -> a.yaml$"):
        load_config(explicit=Path("a.yaml"))
    write(tmp_path / "self.yaml", "extends: self.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_config(explicit=Path("self.yaml"))


def test_extends_missing_or_wrong_type(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "extends: base.yaml\n")
    with pytest.raises(ConfigError, match=r"^.kepulint.yaml: extends: file not found: 'base.yaml'"):
        load_config(tmp_path)
    write(tmp_path / ".kepulint.yaml", "extends: base.ini\n")
    with pytest.raises(ConfigError, match=r"extends: 'base.ini' is not a .toml, .yaml or .yml file"):
        load_config(tmp_path)


def test_extended_file_errors_name_that_file(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", "jobs: many\n")
    write(tmp_path / ".kepulint.yaml", "extends: base.yaml\n")
    with pytest.raises(ConfigError, match=r"^base.yaml: jobs: expected an integer, got a string 'many'$"):
        load_config(tmp_path)


# -- validation ------------------------------------------------------------------------------


def test_unknown_key_in_pyproject_suggests() -> None:
    message = error_of('[tool.kepulint]\nselct = ["CLM"]\n', "pyproject.toml")
    assert message == "pyproject.toml: [tool.kepulint] unknown key 'selct' (did you mean 'select'?)"


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("per_file_ignores", "per-file-ignores"),
        ("failon", "fail-on"),
        ("extend", "extends"),
        ("excludes", "exclude"),
    ],
)
def test_unknown_key_suggestions(key: str, suggestion: str) -> None:
    assert error_of(f"{key}: x\n") == f".kepulint.yaml: unknown key '{key}' (did you mean '{suggestion}'?)"


def test_unknown_key_without_suggestion() -> None:
    assert error_of("colour: red\n") == ".kepulint.yaml: unknown key 'colour'"


def test_bad_severity_level() -> None:
    message = error_of("severity:\n  CLM002: fatal\n")
    assert message == ".kepulint.yaml: severity.CLM002: 'fatal' is not one of ['error', 'warning', 'info']"


def test_first_error_in_file_order() -> None:
    assert error_of("profile: xx\njobs: 0\n").startswith(".kepulint.yaml: profile:")
    assert error_of("jobs: 0\nprofile: xx\n").startswith(".kepulint.yaml: jobs:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("select: CLM\n", "select: expected a list, got a string 'CLM'"),
        ("select: [clm001]\n", "select[0]: 'clm001' is not a rule code or prefix (like 'CLM' or 'CLM001')"),
        ("ignore: [CLM, 7]\n", "ignore[1]: expected a string, got an integer 7"),
        ("extend-select: [CLM0001]\n", "extend-select[0]: 'CLM0001' is not a rule code or prefix"),
        ("severity: [CLM001]\n", "severity: expected a mapping, got a list"),
        ("severity: {clm: error}\n", "severity: key 'clm' is not a rule code or prefix"),
        ("severity: {1: error}\n", "severity: key 1 is not a string"),
        ("fail-on: fatal\n", "fail-on: 'fatal' is not one of ['error', 'warning', 'info', 'never']"),
        ("profile: us\n", "profile: 'us' is not one of ['auto', 'cn', 'tw', 'hk']"),
        ("include: '*.md'\n", "include: expected a list, got a string '*.md'"),
        ("exclude: ['']\n", "exclude[0]: '' should be non-empty"),
        (
            "per-file-ignores: {'docs/*.md': CLM}\n",
            'per-file-ignores."docs/*.md": expected a list, got a string',
        ),
        (
            "per-file-ignores: {'a.md': [x]}\n",
            "per-file-ignores.\"a.md\"[0]: 'x' is not a rule code or prefix",
        ),
        ("extends: 3\n", "extends: expected a string, got an integer 3"),
        ("encoding: utf-9\n", "encoding: unknown encoding 'utf-9'"),
        ("encoding: rot13\n", "encoding: 'rot13' is not a text encoding"),
        ("max-file-size: 20XB\n", "max-file-size: '20XB' is not a size (a number of bytes, or a string like"),
        ("max-file-size: 0\n", "max-file-size: 0 is not a size"),
        ("max-file-size: 0KB\n", "max-file-size: '0KB' is not a positive size"),
        ("rule-paths: [no/such/dir]\n", "rule-paths[0]: directory not found: "),
        ("cache-dir: [a]\n", "cache-dir: expected a string, got a list"),
        ("baseline: 2024-01-01\n", "baseline: expected a string, got a date"),
        ("jobs: 0\n", "jobs: 0 is less than the minimum of 1"),
        ("jobs: true\n", "jobs: expected an integer, got a boolean True"),
        ("jobs: 1.5\n", "jobs: expected an integer, got a number 1.5"),
    ],
)
def test_every_key_is_validated(text: str, expected: str) -> None:
    assert error_of(text).startswith(f".kepulint.yaml: {expected}")


def test_toml_values_are_validated_too() -> None:
    message = error_of('[tool.kepulint]\nseverity = { CLM001 = "fatal" }\n', "pyproject.toml")
    assert message == (
        "pyproject.toml: [tool.kepulint] severity.CLM001: 'fatal' is not one of ['error', 'warning', 'info']"
    )


def test_settings_must_be_a_mapping(tmp_path: Path) -> None:
    assert error_of("- select\n") == ".kepulint.yaml: expected a mapping of settings, got a list"
    message = error_of('[tool]\nkepulint = "CLM"\n', "pyproject.toml")
    assert message == "pyproject.toml: [tool.kepulint] expected a mapping of settings, got a string 'CLM'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("select: [CLM009]\n", ".kepulint.yaml: select: unknown rule code or prefix 'CLM009'"),
        ("ignore: [CLM01]\n", ".kepulint.yaml: ignore: unknown rule code or prefix 'CLM01'"),
        ("extend-select: [XYZ]\n", ".kepulint.yaml: extend-select: unknown rule code or prefix 'XYZ'"),
        (
            "severity: {CLN: info}\n",
            ".kepulint.yaml: severity: unknown rule code or prefix 'CLN' (did you mean 'CLM'?)",
        ),
        (
            "per-file-ignores: {'*.txt': [CLM, DSC003]}\n",
            ".kepulint.yaml: per-file-ignores.\"*.txt\": unknown rule code or prefix 'DSC003'",
        ),
    ],
)
def test_unknown_codes(text: str, expected: str) -> None:
    assert error_of(text).startswith(expected)


def test_unknown_code_suggestion() -> None:
    assert error_of("select: [CLM0012]\n").endswith("(like 'CLM' or 'CLM001')")
    assert error_of("select: [EVD01]\n").endswith(
        "unknown rule code or prefix 'EVD01' (did you mean 'EVD001'?)"
    )


def test_prefixes_are_known_codes(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "select: [CLM00, KPL, C]\nignore: [META001]\nseverity: {CIT: info}\n")
    assert load_config(tmp_path, known_codes=KNOWN).select == ("CLM00", "KPL", "C")


def test_codes_unchecked_without_known_codes(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "select: [ZZZ]\n")
    cfg = load_config(tmp_path)
    assert cfg.select == ("ZZZ",)
    with pytest.raises(ConfigError, match=r"^.kepulint.yaml: select: unknown rule code or prefix 'ZZZ'$"):
        cfg.check_codes(KNOWN)


def test_rule_pack_codes_count_as_known(tmp_path: Path) -> None:
    write(tmp_path / "pack" / "ORG001.yaml", "code: ORG001\n")
    write(tmp_path / ".kepulint.yaml", "rule-paths: [pack]\nextend-select: [ORG]\n")
    cfg = load_config(tmp_path, known_codes=KNOWN)
    assert cfg.rule_paths == (tmp_path / "pack",) and cfg.extend_select == ("ORG",)


def test_yaml_syntax_error_has_position() -> None:
    assert error_of("select: [CLM\nprofile: tw\n").startswith(".kepulint.yaml:2:")
    message = error_of("profile: cn\n  fail-on: error\n")
    assert message.startswith(".kepulint.yaml:2:10: invalid YAML: mapping values are not allowed")


def test_yaml_duplicate_key() -> None:
    assert (
        error_of("profile: cn\nprofile: tw\n") == ".kepulint.yaml:2:1: invalid YAML: duplicate key 'profile'"
    )


def test_toml_syntax_error_has_position() -> None:
    message = error_of('[tool.kepulint]\nselect = ["CLM"\nprofile = "tw"\n', "pyproject.toml")
    assert message.startswith("pyproject.toml:3:1: invalid TOML: ")
    assert error_of('profile = "cn"\nprofile = "tw"\n', "kepulint.toml").startswith("kepulint.toml:2:")
    assert error_of('profile = "cn"\njobs =', "kepulint.toml").startswith("kepulint.toml:2:7: invalid TOML")


def test_broken_pyproject_mentioning_kepulint_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.kepulint\nselect = []\n")
    with pytest.raises(ConfigError, match=r"^pyproject.toml:1:\d+: invalid TOML"):
        find_config_file(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".kepulint.yaml").write_bytes("profile: 臺灣\n".encode("big5"))
    with pytest.raises(ConfigError, match=r"^.kepulint.yaml: config file is not UTF-8"):
        load_config(tmp_path)


# -- values ----------------------------------------------------------------------------------


def test_values_are_normalised(tmp_path: Path) -> None:
    (tmp_path / "rules-extra").mkdir()
    write(
        tmp_path / ".kepulint.yaml",
        "encoding: gb18030\nmax-file-size: 512KB\nrule-paths: [rules-extra]\ncache-dir: .cache/kp\n"
        "baseline: ci/baseline.json\njobs: 3\nexclude: [vendor]\n",
    )
    cfg = load_config(tmp_path)
    assert cfg.encoding == "gb18030" and cfg.max_file_size == 512 * 1024 and cfg.jobs == 3
    assert cfg.rule_paths == (tmp_path / "rules-extra",)
    assert cfg.cache_dir == tmp_path / ".cache" / "kp" and cfg.baseline == tmp_path / "ci" / "baseline.json"
    write(tmp_path / ".kepulint.yaml", "encoding: AUTO\nmax-file-size: 1000\n")
    cfg = load_config(tmp_path)
    assert cfg.encoding == "auto" and cfg.max_file_size == 1000


def test_config_is_immutable(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "severity: {CLM: info}\n")
    cfg = load_config(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.profile = "tw"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.severity["CLM"] = "error"  # type: ignore[index]


# -- selection and paths ---------------------------------------------------------------------


def test_selected_codes_prefixes() -> None:
    assert Config().selected_codes(KNOWN) == KNOWN
    cfg = Config(select=("CLM", "EVD00"), extend_select=("TRL001",), ignore=("CLM00",))
    assert cfg.selected_codes(KNOWN) == ["EVD001", "EVD002", "EVD003", "TRL001"]
    cfg = Config(select=("CLM",), ignore=("CLM001", "CLM006"))
    assert cfg.selected_codes(KNOWN) == ["CLM002", "CLM003", "CLM004", "CLM005"]
    assert Config(select=(), extend_select=("KPL",)).selected_codes(KNOWN) == ["KPL001", "KPL002", "KPL003"]
    assert Config(ignore=("C", "E", "T", "A", "K", "D", "M")).selected_codes(KNOWN) == []


def test_per_file_ignores_globs(tmp_path: Path) -> None:
    write(
        tmp_path / ".kepulint.yaml",
        "per-file-ignores:\n"
        "  'docs/*.md': [CLM]\n"
        "  '*.txt': [DSC001]\n"
        "  '**/drafts/*': [EVD]\n"
        "  'README.md': [KPL001, KPL]\n",
    )
    cfg = load_config(tmp_path, known_codes=KNOWN)
    codes = ["CLM001", "CLM002", "DSC001", "EVD001", "KPL001"]
    assert cfg.selected_codes(codes, "docs/a.md") == ["DSC001", "EVD001", "KPL001"]
    assert cfg.selected_codes(codes, tmp_path / "docs" / "deep" / "b.md") == ["DSC001", "EVD001", "KPL001"]
    assert cfg.selected_codes(codes, "notes/x.txt") == ["CLM001", "CLM002", "EVD001", "KPL001"]
    assert cfg.selected_codes(codes, "drafts/y.md") == ["CLM001", "CLM002", "DSC001", "KPL001"]
    assert cfg.selected_codes(codes, "a/drafts/y.md") == ["CLM001", "CLM002", "DSC001", "KPL001"]
    assert cfg.selected_codes(codes, "sub/README.md") == ["CLM001", "CLM002", "DSC001", "EVD001"]
    assert cfg.selected_codes(codes, "other/a.md") == codes
    assert cfg.selected_codes(codes, "DOCS/a.md") == ["DSC001", "EVD001", "KPL001"]  # case ignored, as in include
    assert cfg.per_file_ignored("README.md") == ("KPL001", "KPL")


def test_paths_are_relative_to_root_not_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".kepulint.yaml", "per-file-ignores: {'docs/*.md': [CLM]}\nexclude: [docs/old]\n")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    cfg = load_config()
    assert cfg.root == tmp_path
    assert cfg.selected_codes(["CLM001", "EVD001"], "a.md") == ["EVD001"]  # cwd-relative input
    assert cfg.is_excluded(Path("old/x.md")) and not cfg.is_excluded(Path("new/x.md"))


def test_include_and_exclude(tmp_path: Path) -> None:
    write(
        tmp_path / ".kepulint.yaml",
        "include: ['*.md', 'notes/*.txt']\nexclude: [vendor, 'build/', '*.draft.md']\n",
    )
    cfg = load_config(tmp_path)
    assert cfg.is_included(Path("a/b.md")) and cfg.is_included(tmp_path / "notes" / "n.txt")
    assert not cfg.is_included(Path("x.txt")) and not cfg.is_included(Path("a.markdown"))
    assert cfg.is_excluded(Path("vendor/pkg/a.md")) and cfg.is_excluded(Path("src/vendor"))
    assert cfg.is_excluded(Path("build/out.md")) and cfg.is_excluded(Path("x/y.draft.md"))
    assert not cfg.is_excluded(Path("docs/vendors.md")) and not cfg.is_excluded(Path("docs/a.md"))
    assert Config(root=tmp_path).is_included(Path("a.markdown"))
    assert not Config(root=tmp_path).is_excluded(Path("a.md"))


def test_severity_for_longest_prefix() -> None:
    cfg = Config(severity={"CLM": "info", "CLM001": "error", "CLM00": "warning"})
    assert cfg.severity_for("CLM001") == "error"
    assert cfg.severity_for("CLM002") == "warning"
    assert cfg.severity_for("EVD001") is None
    expanded = cfg.severity_overrides(["CLM001", "CLM002", "CLM010", "EVD001"])
    assert expanded == {"CLM001": "error", "CLM002": "warning", "CLM010": "info"}


# -- command-line overrides ------------------------------------------------------------------


def test_with_overrides_provenance(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".kepulint.yaml",
        "select: [CLM]\nignore: [CLM006]\nseverity: {CLM001: info}\nfail-on: error\n",
    )
    cfg = load_config(tmp_path, known_codes=KNOWN)
    same = cfg.with_overrides(select=None, fail_on=None)
    assert same == cfg and same.sources == cfg.sources
    new = cfg.with_overrides(
        select=["CLM", "EVD"], ignore="CLM005, EVD003", severity={"EVD": "warning"}, fail_on="warning",
        max_file_size="1MB", jobs=2, baseline=Path("b.json"), profile=None,
    )  # fmt: skip
    assert new.select == ("CLM", "EVD") and new.sources["select"] == "command line"
    assert new.ignore == ("CLM006", "CLM005", "EVD003") and new.sources["ignore"] == f"{path} + command line"
    assert dict(new.severity) == {"CLM001": "info", "EVD": "warning"}
    assert new.sources["severity"] == f"{path} + command line"
    assert new.fail_on == "warning" and new.sources["fail-on"] == "command line"
    assert new.max_file_size == 1024**2 and new.jobs == 2 and new.baseline == tmp_path / "b.json"
    assert new.profile == "auto" and new.sources["profile"] == "default"
    assert new.path == cfg.path and new.root == cfg.root
    assert cfg.fail_on == "error"  # the original is untouched


def test_with_overrides_replaces_file_value_entirely(tmp_path: Path) -> None:
    write(tmp_path / ".kepulint.yaml", "severity: {CLM001: info}\nextend-select: [KPL]\n")
    new = load_config(tmp_path).with_overrides(severity={"CLM001": "error"}, extend_select=("KPL", "EVD"))
    assert new.sources["severity"] == "command line" and new.severity == {"CLM001": "error"}
    assert new.extend_select == ("KPL", "EVD")


def test_with_overrides_validates(tmp_path: Path) -> None:
    cfg = load_config(tmp_path, known_codes=KNOWN)
    with pytest.raises(ConfigError, match=r"^command line: --fail-on: 'fatal' is not one of"):
        cfg.with_overrides(fail_on="fatal")
    with pytest.raises(ConfigError, match=r"^command line: --severity.CLM001: 'x' is not one of"):
        cfg.with_overrides(severity={"CLM001": "x"})
    with pytest.raises(ConfigError, match=r"^command line: --jobs: 0 is less than the minimum of 1$"):
        cfg.with_overrides(jobs=0)
    with pytest.raises(ConfigError, match=r"^command line: --max-file-size: '20XB' is not a size"):
        cfg.with_overrides(max_file_size="20XB")
    with pytest.raises(ConfigError, match=r"^command line: --select: unknown rule code or prefix 'CLX'"):
        cfg.with_overrides(select="CLX")
    with pytest.raises(ConfigError, match=r"^command line: --rule-paths\[0\]: directory not found"):
        cfg.with_overrides(rule_paths=[Path("nope")])
    with pytest.raises(TypeError, match="colour"):
        cfg.with_overrides(colour="red")


# -- describe --------------------------------------------------------------------------------


def test_describe(tmp_path: Path) -> None:
    write(
        tmp_path / ".kepulint.yaml", "select: [CLM, EVD]\nseverity: {CLM001: warning}\nmax-file-size: 2MB\n"
    )
    text = load_config(tmp_path).with_overrides(fail_on="never", encoding="utf-8").describe()
    lines = text.splitlines()
    assert [line.split()[0] for line in lines] == list(KEYS)
    assert 'select           = ["CLM", "EVD"]  # .kepulint.yaml' in lines
    assert 'severity         = {"CLM001": "warning"}  # .kepulint.yaml' in lines
    assert 'fail-on          = "never"  # command line' in lines
    assert 'include          = ["*.md", "*.markdown", "*.txt", "*.html", "*.htm", "*.docx"]  # default' in lines
    assert 'encoding         = "utf-8"  # command line' in lines
    assert 'max-file-size    = "2MB"  # .kepulint.yaml' in lines
    assert "jobs             = null  # default" in lines
    defaults = Config().describe().splitlines()
    assert 'encoding         = "utf-8"  # default' in defaults
    assert "select           = null  # default" in defaults


# -- the fast validation path ------------------------------------------------------------------

_VALUE_POOL = [
    None, True, 0, 1, 4, -1, 2.5, "", " ", "CLM", "CLM001", "clm001", "CLM0001", "CLM001\n", "error", "warning",
    "info", "never", "off", "cn", "tw", "hk", "us", "10MB", "1.5 KiB", "ten", "drafts/**", "utf-8",
    [], ["CLM"], ["CLM001", "DSC"], ["CLM001", 3], ["bad code"], [""], ["docs/*.md"],
    {}, {"CLM001": "info"}, {"CLM001": "off"}, {"clm": "info"}, {"drafts/*.md": ["CLM002"]}, {"x": "CLM"},
]


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from([*sorted(config_module._schema()["properties"]), "unknown-key"]),
                       st.sampled_from(_VALUE_POOL), max_size=4))
def test_plain_validation_accepts_only_what_the_schema_accepts(data: dict) -> None:
    """The jsonschema-free fast path never lets through a value the schema would refuse."""
    if config_module._plainly_valid(data):
        assert list(config_module._validator().iter_errors(data)) == []


def test_plain_validation_covers_the_usual_command_line() -> None:
    assert config_module._plainly_valid({"jobs": 2, "cache-dir": "/tmp/c", "select": ["CLM"], "fail-on": "warning"})
    assert not config_module._plainly_valid({"jobs": 0})
    assert not config_module._plainly_valid({"jobs": True})


def test_the_fast_path_reads_the_schema_so_every_documented_default_is_plainly_valid() -> None:
    properties = config_module._schema()["properties"]
    for key, node in properties.items():
        if node.get("default") is not None:
            assert config_module._plainly_valid({key: node["default"]}), key
    assert not config_module._plainly_valid({"severity": {"CLM001": "loud"}})
