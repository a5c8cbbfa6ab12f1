"""The card reader interface every backend implements, the events it delivers, and its result.

Events are delivered to subscribers on a device thread, never the GUI's: reader and card events
on the reader's own thread; ``ReadProgress`` on the thread doing the read (the virtual reader's
thread, or, for PC/SC, the worker that called ``read_identity``). The GUI must turn them into Qt
signals before touching widgets. ``read_identity`` blocks the calling thread (bounded by its
timeout), so the GUI calls it from a worker.

A ``CardRead`` carries the identity, the portrait (as the chip stores it, plus PNG for display)
and a ``ChipVerification``: what passive and active authentication found, in a form the UI can
show ("verified by chip", or a warning that says why). Reprs never show personal data.
"""

from __future__ import annotations

import abc
import dataclasses
import enum
from collections.abc import Callable
from typing import Any

from devices._subscribers import Subscribers
from devices.card.errors import AccessDenied
from kiosk.domain.identity import CitizenIdentity

__all__ = [
    "CardEvent",
    "CardInserted",
    "CardRead",
    "CardReader",
    "CardRemoved",
    "ChipVerification",
    "DataProblem",
    "KeyRequired",
    "ReadProgress",
    "ReaderAdded",
    "ReaderRemoved",
    "Verdict",
    "VerificationCheck",
]


@dataclasses.dataclass(frozen=True, slots=True)
class ReaderAdded:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class ReaderRemoved:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class CardInserted:
    reader: str


@dataclasses.dataclass(frozen=True, slots=True)
class CardRemoved:
    reader: str


@dataclasses.dataclass(frozen=True, slots=True)
class ReadProgress:
    """``done`` of ``total`` bytes of ``file`` (e.g. ``"DG2"``) have been read."""

    file: str
    done: int
    total: int


CardEvent = ReaderAdded | ReaderRemoved | CardInserted | CardRemoved | ReadProgress


class KeyRequired(AccessDenied):
    """The chip cannot be opened without its access key (the CAN: the ID number's last 6 digits).

    Raised before the card is touched, so the UI can ask for the ID number or the QR code and
    call ``read_identity`` again with the key."""

    default_message = (
        "To read the card's chip, the kiosk first needs the ID number printed on the card. "
        "Please type your 12-digit ID number, or show the QR code on your card to the camera."
    )


class Verdict(enum.Enum):
    """The outcome of one check (same values as ``devices.card.lds.passive.Status``)."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_DONE = "not_done"


@dataclasses.dataclass(frozen=True, slots=True)
class VerificationCheck:
    name: str  # "dg_hash[2]", "sod_signature", "ds_certificate_chain", "active_authentication"...
    status: Verdict
    reason: str  # for staff; never personal data


@dataclasses.dataclass(frozen=True, slots=True)
class DataProblem:
    """A part of the chip's data that could not be used, and why (never the data itself).

    ``part``: "portrait", "DG13", "DG1", or an identity field ("full_name", "residence"...)."""

    part: str
    reason: str


@dataclasses.dataclass(frozen=True, slots=True)
class ChipVerification:
    """What the chip proved. ``verified``: every passive check passed, neither clone check
    (active or chip authentication) failed and the chip's records agree (as
    ``ChipDocument.verified`` and ``kiosk card read``'s exit status). ``outcome``: "verified",
    "unchecked" (nothing failed but a passive check could not be done, e.g. no trusted CSCA) or
    "failed" (forged or altered data, a clone, or records that contradict each other)."""

    access: str  # "PACE" or "BAC"
    passive: tuple[VerificationCheck, ...]
    active: VerificationCheck | None  # None: the chip has no DG15 (no AA)
    verified: bool
    outcome: str
    summary: str  # one plain sentence for staff
    chip_auth: VerificationCheck | None = None  # None: the chip has no DG14 key (no CA)
    consistency: tuple[VerificationCheck, ...] = ()  # e.g. DG1 and DG13 give the same ID

    @property
    def problems(self) -> tuple[VerificationCheck, ...]:
        """The checks that did not pass, passive first."""
        clone = tuple(c for c in (self.chip_auth, self.active) if c is not None)
        checks = self.passive + clone + self.consistency
        return tuple(c for c in checks if c.status is not Verdict.PASSED)

    @property
    def done(self) -> dict[str, Verdict | None]:
        """Which of passive (PA), active (AA) and chip (CA) authentication were done and how
        they ended (None: the chip does not offer it)."""
        passive = (Verdict.PASSED if self.passive and all(
            c.status is Verdict.PASSED for c in self.passive) else
            Verdict.FAILED if any(c.status is Verdict.FAILED for c in self.passive)
            else Verdict.NOT_DONE)
        return {"PA": passive, "AA": None if self.active is None else self.active.status,
                "CA": None if self.chip_auth is None else self.chip_auth.status}

    @classmethod
    def from_document(cls, doc: Any) -> ChipVerification:
        """From a ``document.ChipDocument`` (duck-typed: this module stays import-light)."""
        def check(name: str, result: Any) -> VerificationCheck | None:
            if result is None:
                return None
            return VerificationCheck(name, Verdict(result.status.value), result.reason)

        passive = tuple(VerificationCheck(c.name, Verdict(c.status.value), c.reason)
                        for c in doc.passive.checks)
        active = check("active_authentication", doc.active)
        chip_auth = check("chip_authentication", getattr(doc, "chip_auth", None))
        consistency = tuple(VerificationCheck(c.name, Verdict(c.status.value), c.reason)
                            for c in getattr(doc, "consistency", ()))
        outcome, summary = _summarise(passive, active, chip_auth, consistency)
        return cls(doc.access, passive, active, outcome == "verified", outcome, summary,
                   chip_auth, consistency)


def _summarise(passive: tuple[VerificationCheck, ...], active: VerificationCheck | None,
               chip_auth: VerificationCheck | None = None,
               consistency: tuple[VerificationCheck, ...] = ()) -> tuple[str, str]:
    failed = [c for c in passive if c.status is Verdict.FAILED]
    not_done = [c for c in passive if c.status is Verdict.NOT_DONE]
    clones = [c for c in (chip_auth, active) if c is not None and c.status is Verdict.FAILED]
    contradictions = [c for c in consistency if c.status is Verdict.FAILED]
    if not passive:
        return "failed", "Warning: the chip's data could not be checked at all. Check the card by eye."
    if failed:
        return "failed", ("Warning: the chip's data failed the authenticity check "
                          f"({failed[0].reason}). Check the card by eye and ask a supervisor "
                          "before using this data.")
    if clones:
        return "failed", ("Warning: this chip failed the clone check; it may be a copy of another "
                          f"card ({clones[0].reason}). Check the card by eye and ask a supervisor.")
    if contradictions:
        return "failed", ("Warning: the chip's records contradict each other "
                          f"({contradictions[0].reason}). Check the card by eye and ask a "
                          "supervisor.")
    if not_done:
        return "unchecked", ("The data was read from the chip but its issuer could not be "
                             f"checked ({not_done[0].reason}). Check the card by eye; IT: "
                             "configure the trusted CSCA certificates.")
    if chip_auth is not None and chip_auth.status is Verdict.PASSED:
        return "verified", ("Verified by the chip: the data is signed by a trusted issuer and the "
                            "chip is genuine.")
    if active is None:
        return "verified", ("Verified by the chip: the data is signed by a trusted issuer "
                            "(this card has no clone check).")
    if active.status is Verdict.NOT_DONE:  # as ChipDocument.verified: only a failure counts
        return "verified", ("Verified by the chip: the data is signed by a trusted issuer; the "
                            f"clone check could not be done ({active.reason}).")
    return "verified", ("Verified by the chip: the data is signed by a trusted issuer and the "
                        "chip is genuine.")


@dataclasses.dataclass(frozen=True, slots=True)
class CardRead:
    """The result of a successful read: who the citizen is, their portrait, how it was verified.

    ``portrait`` is the image as the chip stores it (JPEG or JPEG 2000, see ``portrait_mime``);
    ``portrait_png`` the same picture as PNG, decoded off the GUI thread, for any image widget
    (Qt cannot always show JPEG 2000). ``verification`` is None only for scripted test reads.
    """

    identity: CitizenIdentity
    portrait: bytes | None
    read_ms: float
    verification: ChipVerification | None = None
    portrait_mime: str | None = None
    portrait_png: bytes | None = None
    missing: tuple[DataProblem, ...] = ()  # parts of the chip's data that could not be used

    def __repr__(self) -> str:  # the identity's repr is already masked; never show the portrait
        size = "none" if self.portrait is None else f"{len(self.portrait)} bytes"
        check = "none" if self.verification is None else self.verification.outcome
        missing = f", missing={[m.part for m in self.missing]}" if self.missing else ""
        return (f"CardRead({self.identity!r}, portrait={size}, verification={check}, "
                f"read_ms={self.read_ms:.0f}{missing})")

    @property
    def portrait_jpeg(self) -> bytes | None:
        """Alias matching the name used in docs/architecture.md (may be JPEG 2000: see mime)."""
        return self.portrait

    @property
    def verified(self) -> bool:
        return self.verification is not None and self.verification.verified


class CardReader(abc.ABC):
    """A PC/SC-like reader. Before ``start()``: no readers, no card, reads raise ``NoReader``."""

    def __init__(self) -> None:
        self._subscribers: Subscribers[CardEvent] = Subscribers()

    def subscribe(self, callback: Callable[[CardEvent], object]) -> Callable[[], None]:
        """Call ``callback(event)`` on the reader thread for every event; returns an unsubscribe."""
        return self._subscribers.add(callback)

    def _emit(self, event: CardEvent) -> None:
        self._subscribers.emit(event)

    @abc.abstractmethod
    def start(self) -> None:
        """Begin monitoring readers and cards (starts the device thread)."""

    @abc.abstractmethod
    def stop(self, timeout: float = 2.0) -> None:
        """Stop monitoring and join the device thread; raises ``CardTimeout`` if it will not stop."""

    @abc.abstractmethod
    def readers(self) -> list[str]:
        """Names of the readers currently connected."""

    @abc.abstractmethod
    def card_present(self) -> bool:
        """Whether a card is on a reader right now."""

    @abc.abstractmethod
    def read_identity(self, timeout: float = 10.0, key: Any = None) -> CardRead:
        """Read and verify the chip; raises a ``CardError`` subclass on any failure.

        ``key`` is a ``devices.card.reader_session.AccessKey`` (from the typed ID or the QR code).
        A reader that has no other way to get it raises ``KeyRequired`` when it is None. A chip
        that reads but does not verify is not an error: see ``CardRead.verification``."""

    def __enter__(self) -> CardReader:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
