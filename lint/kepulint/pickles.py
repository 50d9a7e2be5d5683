"""The one way kepulint reads its own pickles back (the result cache and the rule-set cache).

Both caches are sealed with the user's key (:mod:`kepulint.userkey`), so a file nobody with
the key wrote is never unpickled; this loader is the second wall: it admits only kepulint's own
classes (never a function, never an exception class) and the few callables a caller names, so
even a sealed file cannot make unpickling run anything else.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Collection
from typing import Any


class KepulintUnpickler(pickle.Unpickler):
    """Loads classes of kepulint's own modules that ``admit`` accepts (default: any that is not an
    exception), plus the ``(module, name)`` callables in ``functions``; refuses the rest."""

    def __init__(self, data: bytes | io.BytesIO, *, admit: Callable[[str, str, type], bool] | None = None,
                 functions: Collection[tuple[str, str]] = ()) -> None:
        super().__init__(io.BytesIO(data) if isinstance(data, bytes) else data)
        self.admit = admit
        self.functions = frozenset(functions)

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.functions:
            return super().find_class(module, name)
        if module == "kepulint" or module.startswith("kepulint."):
            found = super().find_class(module, name)
            if isinstance(found, type) and not issubclass(found, BaseException) and (
                    self.admit is None or self.admit(module, name, found)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kepulint's cache")


def only(names: Collection[tuple[str, str]]) -> Callable[[str, str, type], bool]:
    """An ``admit`` that accepts exactly the classes ``names`` (``(module, name)`` pairs)."""
    allowed = frozenset(names)
    return lambda module, name, _cls: (module, name) in allowed


__all__ = ["KepulintUnpickler", "only"]
