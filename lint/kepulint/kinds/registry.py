"""``registry``: trial registry IDs that do not match their registry's format.

Registry definitions (what looks like an ID, what a valid one is) live in
``data/evidence.yaml``. params: none required; ``message`` may use {registry} and
{example}.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding
from ..reading.context import Context
from ..reading.evidence import evidence
from ..text.document import Document
from .base import Hits, Kind


class RegistryFormat(Kind):
    def check(self, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
        template = self.rule.message_for(doc.profile)
        for rid in evidence(doc).registry_ids:
            if rid.valid:
                continue
            message = template.replace("{registry}", rid.registry.name).replace("{example}", rid.registry.example)
            yield self.finding(doc, rid.start, rid.end, self.rule.severity, message=message)


KIND = RegistryFormat
