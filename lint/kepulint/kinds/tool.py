"""``tool``: codes that kepulint itself reports about directives (KPL…).

They have no lexicon; :mod:`kepulint.check.suppress` emits them while applying inline
directives. The kind exists so that tool codes are ordinary rules: listed, documented,
selectable and configurable like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding
from ..reading.context import Context
from ..text.document import Document
from .base import Hits, Kind


class ToolRule(Kind):
    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        return iter(())


KIND = ToolRule
