"""Driving-licence classes under the Law on Road Traffic Order and Safety (36/2024/QH15, in force
1 January 2025), and what a licence of an old class becomes when it is exchanged or renewed.

The law has 15 classes. Licences issued before 2025 stay valid to their printed date (Art. 89)
and, on exchange, an old class becomes a new one (Art. 89(3)); some old classes have two possible
new ones (B1 or B2 becomes B or C1, depending on the vehicles the holder drives), so the citizen
says which. Since 1 March 2025 licences are handled by the police (Circular 12/2025/TT-BCA).
Plain Python: the procedure's form lists the choices, the UI words them.
"""

from __future__ import annotations

import dataclasses

__all__ = ["CLASSES", "OLD_CLASSES", "OldClass", "exchange", "old_class", "validity_years"]

#: the 15 classes of Law 36/2024/QH15, in the law's order
CLASSES = ("A1", "A", "B1", "B", "C1", "C", "D1", "D2", "D", "BE", "C1E", "CE", "D1E", "D2E",
           "DE")

#: years a licence of each class is valid (None: no expiry); Law 36/2024/QH15 Art. 57
_VALIDITY = {"A1": None, "A": None, "B1": None, "B": 10, "C1": 10}


@dataclasses.dataclass(frozen=True)
class OldClass:
    """A class printed on a licence issued before 2025 (value ``old-<class>`` in a form)."""

    code: str                       # as printed: "B2", "FC", "B1 (automatic)" is "B1-AT"
    becomes: tuple[str, ...]        # the new classes it may be exchanged for
    limit: str = ""                 # a restriction carried over ("under 175 cm³")

    @property
    def value(self) -> str:
        return f"old-{self.code}"

    @property
    def choice_needed(self) -> bool:
        """More than one new class fits: the citizen says which."""
        return len(self.becomes) > 1


#: Law 36/2024/QH15 Art. 89(3): old class -> new class(es)
OLD_CLASSES = (
    OldClass("A1", ("A",), limit="175cc"),
    OldClass("A2", ("A",)),
    OldClass("A3", ("B1",)),
    OldClass("B1-AT", ("B",), limit="automatic"),
    OldClass("B1", ("B", "C1")),
    OldClass("B2", ("B", "C1")),
    OldClass("C", ("C",)),
    OldClass("D", ("D2",)),
    OldClass("E", ("D",)),
    OldClass("FB2", ("BE", "C1E")),
    OldClass("FC", ("CE",)),
    OldClass("FD", ("D2E",)),
    OldClass("FE", ("DE",)),
)
_OLD = {old.value: old for old in OLD_CLASSES}


def old_class(value: str) -> OldClass | None:
    """The old class a form answer names (``old-B2``), or None for a class of the 2024 law."""
    return _OLD.get(value)


def exchange(value: str) -> tuple[str, ...]:
    """The class(es) a licence of class ``value`` has after exchange: itself for a class of the
    2024 law, the new one(s) for an old class; () for a value that is neither."""
    if value in CLASSES:
        return (value,)
    old = old_class(value)
    return old.becomes if old is not None else ()


def validity_years(new_class: str) -> int | None:
    """Years a licence of ``new_class`` is valid: None (no expiry) for A1, A and B1; 10 for B and
    C1; 5 for the others."""
    if new_class not in CLASSES:
        raise ValueError(f"not a class of Law 36/2024/QH15: {new_class!r}")
    return _VALIDITY.get(new_class, 5)
