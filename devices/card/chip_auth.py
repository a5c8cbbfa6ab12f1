"""Chip Authentication during a read: run it on the channel, and tell a genuine chip from a clone.

    DG14 read -> choose the variant -> MSE (+ GENERAL AUTHENTICATE) under the current channel
    -> secure messaging restarts with the new keys (``Channel.ca_pending``)
    -> the first answer that verifies under them: PASSED; the chip ending the channel instead
       (a bad MAC, 6987/6988): FAILED, a chip without DG14's private key, a clone

The verdict therefore comes from the APDU after CA, whichever it is (usually the next file's
read); ``confirm`` sends one harmless command when nothing else follows. After a failure the
reader opens the channel again (PACE or BAC) and reads on without CA: the data is still shown,
marked as coming from a chip that failed the clone check. The protocol itself is
``devices.card.icao.ca``.
"""

from __future__ import annotations

import dataclasses
import logging

from devices.card import errors
from devices.card.channel import Channel
from devices.card.chip.files import EMRTD_AID
from devices.card.icao.apdu import CommandApdu
from devices.card.icao.ca import CaTerminal, choose
from devices.card.lds import dg14
from devices.card.lds.passive import Status

__all__ = ["CaResult", "confirm", "failed", "run"]

log = logging.getLogger(__name__)

_CLONE = ("The chip could not prove it holds the key in its signed data (chip authentication "
          "failed): it may be a copy of a genuine card.")


@dataclasses.dataclass(frozen=True, slots=True)
class CaResult:
    status: Status
    reason: str
    variant: str = ""  # "ECDH-AES128", "DH-3DES"...

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED


def run(ch: Channel, dg14_raw: bytes) -> CaResult | None:
    """Start chip authentication with DG14's key. Returns a final result (NOT_DONE: DG14 offers
    nothing this kiosk runs; FAILED: the chip refused), or None: either DG14 has no CA key (the
    chip has no chip authentication), or the keys changed and the next verified answer decides
    (``ch.ca_pending``)."""
    ch.step = "chip authentication"
    try:
        choice = choose(dg14.parse(dg14_raw).infos)
        if choice is None:
            return None
    except errors.UnsupportedOperation as exc:
        return CaResult(Status.NOT_DONE, "The chip's chip-authentication key uses a method this "
                        f"kiosk does not support ({exc.detail}).")
    except errors.MalformedData:
        return CaResult(Status.FAILED, "The chip's chip-authentication data (DG14) is damaged.")
    terminal = CaTerminal(choice, ch.rng)
    for cmd in terminal.commands():
        resp = ch.send(cmd)
        if not resp.ok:
            return CaResult(Status.FAILED, f"The chip refused chip authentication "
                            f"({resp.sw:04X}): it may be a copy of a genuine card.", choice.label)
    ch.sm = terminal.finish()
    ch.ca_pending = True
    ch.ca_variant = choice.label
    return None


def passed(ch: Channel) -> CaResult:
    return CaResult(Status.PASSED, "The chip proved it holds the key in its signed data "
                    "(chip authentication).", ch.ca_variant)


def failed(ch: Channel) -> CaResult:
    ch.ca_pending = False
    return CaResult(Status.FAILED, _CLONE, ch.ca_variant)


def confirm(ch: Channel) -> CaResult:
    """One harmless command (SELECT of the application) when no other answer came under the new
    keys: a verified answer passes, anything else is a clone's."""
    try:
        ch.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID))
    except errors.SecureMessagingError:
        return failed(ch)
    return passed(ch) if not ch.ca_pending else failed(ch)
