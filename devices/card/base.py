"""The card reader interface every backend implements, and the events it delivers.

Events are delivered to subscribers on the reader's own thread, never the caller's: the GUI must
turn them into Qt signals before touching widgets. ``read_identity`` blocks the calling thread
(bounded by its timeout), so the GUI calls it from a worker.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Callable

from devices._subscribers import Subscribers
from kiosk.identity import CitizenIdentity

__all__ = [
    "CardEvent",
    "CardInserted",
    "CardRead",
    "CardReader",
    "CardRemoved",
    "ReadProgress",
    "ReaderAdded",
    "ReaderRemoved",
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


@dataclasses.dataclass(frozen=True, slots=True)
class CardRead:
    """The result of a successful read: who the citizen is, their portrait (JPEG), how long it took."""

    identity: CitizenIdentity
    portrait: bytes | None
    read_ms: float

    def __repr__(self) -> str:  # the identity's repr is already masked; never show the portrait
        size = "none" if self.portrait is None else f"{len(self.portrait)} bytes"
        return f"CardRead({self.identity!r}, portrait={size}, read_ms={self.read_ms:.0f})"

    @property
    def portrait_jpeg(self) -> bytes | None:
        """Alias matching the name used in docs/architecture.md."""
        return self.portrait


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
    def read_identity(self, timeout: float = 10.0) -> CardRead:
        """Read the card's identity; raises a ``CardError`` subclass on any failure."""

    def __enter__(self) -> CardReader:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
