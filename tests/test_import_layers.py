"""kepulint's modules import one way: no cycles, and no module imports a higher layer.

Every module of ``lint/kepulint`` is parsed with :mod:`ast`; every import counts, at the top of
a module or inside a function, relative or absolute (``if TYPE_CHECKING:`` ones included). The
layers, lowest first (a module may import its own layer or a lower one)::

    model, fsutil, yamlsafe, userkey,       values, file and YAML helpers,
    stamp, pickles, data, schemas           cache keys and loader, packaged data
    < text        a file's bytes to text: decode, markup, normalise, segment, readers
    < rules       rule files, regex checks and prefilters
    < reading     what a text is: structure, genre, voice, region, context cues, evidence
    < kinds       the rule kinds
    < check       the engine: findings, advice, fixes, suppressions
    < report      output formats
    < api         one text to diagnostics (lint_source, Settings, ruleset_for)
    < run         many files: config, discovery, cache, parallel jobs, baselines, fixing
    < explain, cli, lsp, serve, batch, launch, __main__, the package's lazy facade

Two places where this differs from the order first proposed (``… < reading < rules < … < run <
report < api``), because the code is clearly so: ``reading`` builds on ``rules``' regex helpers
(the evidence vocabulary uses the literal prefilter), never the reverse; and ``run`` builds on
``api`` (the process pool, the fixer and the runner lint each text through ``api.lint_source``),
while ``api`` needs nothing of ``run`` (``check.chunks`` cuts one huge text for the pipeline).
``report`` needs neither.

Python loads the root package (``kepulint/__init__.py``) before any submodule, so reading one of
the constants it assigns (``from .. import __version__``) is no dependency; its lazily re-exported
API (``kepulint.lint_text``) is, and sits in the top layer.

There are no exemptions: a module's layer is its package's, and no cycle is tolerated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import kepulint

PACKAGE = Path(kepulint.__file__).resolve().parent
ROOT = "kepulint"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"model", "fsutil", "yamlsafe", "userkey", "stamp", "pickles", "data", "schemas"}),
    frozenset({"text"}),
    frozenset({"rules"}),
    frozenset({"reading"}),
    frozenset({"kinds"}),
    frozenset({"check"}),
    frozenset({"report"}),
    frozenset({"api"}),
    frozenset({"run"}),
    frozenset({"explain", "cli", "lsp", "serve", "batch", "launch", "__main__", ""}),
)


def modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package) for every module of kepulint."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [ROOT, *path.relative_to(PACKAGE).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def root_constants() -> set[str]:
    """Names the root package assigns at its top level (``__version__``…)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    return {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def imports(name: str, path: Path, is_package: bool, known: set[str], constants: set[str]) -> Iterator[str]:
    """The kepulint modules that module ``name`` imports, anywhere in it."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in known:
                    yield sub
                elif source in known and not (source == ROOT and alias.name in constants):
                    yield source


def graph() -> dict[str, set[str]]:
    found = modules()
    constants = root_constants()
    return {name: {target for target in imports(name, path, is_package, set(found), constants) if target != name}
            for name, (path, is_package) in found.items()}


def group_of(name: str) -> str:
    """The layer name of module ``name``: its first component below kepulint ("" for the root)."""
    if name == ROOT:
        return ""
    return name.split(".")[1]


def layer(name: str) -> int:
    return next(i for i, members in enumerate(LAYERS) if group_of(name) in members)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = [name for name in modules() if not any(group_of(name) in members for members in LAYERS)]
    assert not unplaced, f"modules in no layer (add them to LAYERS): {unplaced}"


def test_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_module_imports_a_higher_layer() -> None:
    upward = sorted(f"{name} (layer {layer(name)}) imports {target} (layer {layer(target)})"
                    for name, targets in graph().items() for target in targets
                    if layer(target) > layer(name))
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_the_graph_sees_function_level_and_relative_imports() -> None:
    """The parser itself: a function-level relative import (api's lazy engine) is an edge, and the
    root package's ``__version__`` is not."""
    edges = graph()
    assert "kepulint.check.engine" in edges["kepulint.api"]
    assert "kepulint.api" in edges[ROOT]  # the lazy facade
    assert ROOT not in edges["kepulint.stamp"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_test_files_have_unique_names() -> None:
    """pytest imports test files by their base name (no packages under tests/): two files of one
    name in different folders would stop the whole run at collection."""
    tests = Path(__file__).resolve().parent
    names = [p.name for p in tests.rglob("test_*.py") if "data" not in p.relative_to(tests).parts]
    assert sorted({n for n in names if names.count(n) > 1}) == []
