"""What the text/ tests share: hypothesis settings and a strategy for texts made of given pieces."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def short(text: str) -> str:
    """A test id: the start of ``text``."""
    return repr(text[:12])


def texts_of(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts made of ``pieces`` and arbitrary characters (surrogates excluded)."""
    piece = st.one_of(st.sampled_from(pieces), st.characters(exclude_categories=("Cs",)))
    return st.lists(piece, max_size=40).map("".join)
