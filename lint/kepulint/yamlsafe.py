"""A YAML loader with limits, for files a contributor controls (configs, rule packs, front matter).

PyYAML's safe loader runs no code, but it lets 388 bytes of nested aliases (a "billion laughs")
stand for a billion nodes: whatever walks the result afterwards (schema validation, ``str()``)
then takes minutes and gigabytes. :class:`CappedLoader` is PyYAML's pure-Python safe loader
(libyaml overflows the C stack on deep nesting) that refuses

* a text over :data:`MAX_CHARS` characters,
* more than :data:`MAX_ALIASES` aliases (``*name``),
* a document that would count more than :data:`MAX_NODES` nodes with every alias expanded,
  or an alias that refers back into its own anchor (a cycle).

Each refusal is a :class:`YamlLimitError`, a ``yaml.YAMLError``, so the callers' handlers turn
it into their usual one-line "FILE: invalid YAML: …" error. The largest built-in rule file has
about 400 nodes and no alias. :func:`load` is the one entry: configs (``unique_keys``: a key given
twice is an error), rule packs and front matter that is not plain ``key: value`` lines.

kepulint's own packaged data (``kepulint.data.load_yaml``) is read with libyaml and no caps: it
is not a contributor's file, it ships with the code it belongs to (and is covered by the caches'
code stamp), and it is read on every start, where libyaml's speed counts.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_CHARS = 2_000_000
MAX_ALIASES = 100
MAX_NODES = 200_000


class YamlLimitError(yaml.YAMLError):
    """A YAML text refused by :class:`CappedLoader` (the message says which limit)."""


def load(text: str, *, unique_keys: bool = False) -> Any:
    """The document in ``text``, read with :class:`CappedLoader` (or :class:`UniqueKeyLoader`);
    raises ``yaml.YAMLError`` (:class:`YamlLimitError` past a limit)."""
    return yaml.load(text, Loader=UniqueKeyLoader if unique_keys else CappedLoader)


class CappedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with the limits of this module."""

    def __init__(self, stream: Any) -> None:
        size = len(stream) if isinstance(stream, (str, bytes)) else 0
        if size > MAX_CHARS:
            raise YamlLimitError(f"file too large for a YAML settings file ({size:,} characters; "
                                 f"limit {MAX_CHARS:,})")
        super().__init__(stream)
        self.alias_count = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise YamlLimitError(f"more than {MAX_ALIASES} aliases (*name); refused as a possible "
                                     "alias bomb")
        return super().compose_node(parent, index)

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None and self.alias_count:
            _check_expansion(node)
        return node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Raise when ``root`` expands (aliases copied out) to over :data:`MAX_NODES` nodes or
    holds a cycle. Iterative, with one count per distinct node, so the check itself is linear."""
    expanded: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(expanded[id(child)] for child in _children(node))
            if total > MAX_NODES:
                raise YamlLimitError(f"aliases expand to more than {MAX_NODES:,} nodes; refused as a possible "
                                     "alias bomb")
            expanded[key] = total
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise YamlLimitError("an alias refers back into its own anchor (a cycle)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in expanded)


class UniqueKeyLoader(CappedLoader):
    """:class:`CappedLoader` that refuses a mapping holding the same key twice (a config where the
    second ``select`` would silently win)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                ident = (key_node.tag, key_node.value)
                if ident in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark,
                        f"duplicate key {key_node.value!r}", key_node.start_mark,
                    )  # fmt: skip
                seen.add(ident)
        return super().construct_mapping(node, deep=deep)
