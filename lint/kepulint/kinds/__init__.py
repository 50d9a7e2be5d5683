"""Rule kinds: the few pieces of Python that all rules are made of.

A kind turns one rule's ``params`` into findings. It does no I/O and reads no
configuration; the engine gives it the document, the rule's lexicon hits and the shared
:class:`~kepulint.reading.context.Context`. Its params are what ``schemas/params-<kind>.schema.json``
allows, checked when the rule loads (:mod:`kepulint.rules.validation`); :mod:`.candidates`
builds every rule's kind and the one automaton over their lexicons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .base import Kind

KINDS = ("phrase", "document", "proximity", "cooccurrence", "registry", "tool")  # one module each


def kind_class(name: str) -> type[Kind]:
    """The class implementing kind ``name`` (imported on demand)."""
    import importlib

    if name not in KINDS:
        raise ValueError(f"unknown rule kind {name!r}")
    module = importlib.import_module(f"{__name__}.{name}")
    return module.KIND  # type: ignore[no-any-return]
