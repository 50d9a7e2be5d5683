"""Static data shipped with kepulint: the Traditional→Simplified table, regional wording,
and the shared context and evidence vocabularies (``*.yaml``)."""

from __future__ import annotations

from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """The text of data file ``name``."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_yaml(name: str) -> Any:
    """Data file ``name`` parsed as YAML (our own files: the fast C loader is safe here)."""
    import yaml

    return yaml.load(read_text(name), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
