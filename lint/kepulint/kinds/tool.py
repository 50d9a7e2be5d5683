"""``tool``: codes that kepulint itself reports about directives (KPL…).

They have no lexicon; :mod:`kepulint.suppress` emits them while applying inline
directives. The kind exists so that tool codes are ordinary rules: listed, documented,
selectable and configurable like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..document import Document
from ..model import Finding
from .base import Hits, Kind


class ToolRule(Kind):
    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        return iter(())


KIND = ToolRule
