"""What a kind is given: one rule's lexicon hits by role, and the document's literal index."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..rules.prefilter import LiteralIndex

Hit = tuple[int, int, str]  # start, end (folded offsets), term


@dataclass(frozen=True)
class RuleHits(Mapping[str, list[Hit]]):
    """One rule's candidates: its lexicon hits by role (a mapping), and the document's literal index."""

    roles: Mapping[str, list[Hit]]
    literals: LiteralIndex
    pattern_hits: dict[str, list[Hit]] = field(default_factory=dict)  # regex source -> its matches (shared)

    def __getitem__(self, role: str) -> list[Hit]:
        return self.roles[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self.roles)

    def __len__(self) -> int:
        return len(self.roles)
