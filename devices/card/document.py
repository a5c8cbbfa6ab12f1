"""What a chip read produced: the files parsed into a document, and what the UI gets from it.

Parsing is forgiving where the citizen loses nothing by it: a DG2 that is not an image, a DG13
that does not decode (or one of its fields that does not pass ``kiosk.domain.clean_text``), even a
broken DG1 when DG13 has the ID, each leaves the rest usable and is listed in ``problems`` with
the reason. Verification stays strict: passive authentication hashes every file as read, so a
damaged group still fails its hash check if it was altered. The chip's two records of the ID
number (DG1's MRZ, DG13) must agree; when they do not, the read is shown as failed, with the
reason, never silently "fixed".
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from devices.card import errors
from devices.card.base import CardRead, ChipVerification, DataProblem
from devices.card.lds import active, com, dg1, dg2, dg13, passive

if TYPE_CHECKING:
    from devices.card.chip_auth import CaResult

__all__ = ["ChipDocument", "ConsistencyCheck", "assemble", "to_card_read"]

log = logging.getLogger(__name__)

#: DG13 field number -> the identity field it fills (for "what is missing")
_DG13_PARTS = {**dg13.FIELD_NAMES, 3: "date_of_birth", 4: "sex", 11: "issue_date",
               12: "expiry_date", 13: "parents", 14: "spouse_name"}


@dataclasses.dataclass(frozen=True, slots=True)
class ConsistencyCheck:
    name: str
    status: passive.Status
    reason: str


@dataclasses.dataclass(frozen=True)
class ChipDocument:
    """Everything read from the chip, parsed, with the verification results."""

    access: str  # "PACE" or "BAC"
    com: com.Com
    raw: dict[int, bytes]  # DG number -> file bytes as read
    sod: bytes
    dg1: dg1.Dg1 | None  # None: DG1 did not decode (see problems)
    dg13: dg13.Dg13Fields | None
    portrait: dg2.FaceImage | None
    passive: passive.PassiveReport
    active: active.AaResult | None  # None: the chip has no DG15 (no active authentication)
    not_read: tuple[int, ...]  # listed in EF.COM or the SOD but not read (DG3, DG4)
    read_ms: float
    chip_auth: CaResult | None = None  # None: no CA key in DG14
    problems: tuple[DataProblem, ...] = ()
    consistency: tuple[ConsistencyCheck, ...] = ()
    apdus: int = 0
    extended: bool = False

    def __repr__(self) -> str:
        size = "none" if self.portrait is None else f"{len(self.portrait.data)} bytes"
        return (f"ChipDocument(access={self.access}, dgs={sorted(self.raw)}, portrait={size}, "
                f"passive_ok={self.passive.ok}, problems={[p.part for p in self.problems]}, "
                f"read_ms={self.read_ms:.0f})")

    @property
    def verified(self) -> bool:
        """Passive authentication passed, no clone check failed, the records agree."""
        failed = passive.Status.FAILED
        clones_ok = all(r is None or r.status is not failed for r in (self.active, self.chip_auth))
        agree = all(c.status is not failed for c in self.consistency)
        return self.passive.ok and clones_ok and agree


def _parse_dg1(dgs: dict[int, bytes], problems: list[DataProblem]) -> dg1.Dg1 | None:
    if 1 not in dgs:
        return None
    try:
        return dg1.parse(dgs[1])
    except errors.MalformedData as exc:
        problems.append(DataProblem("DG1", str(exc)))
        return None


def _parse_dg13(dgs: dict[int, bytes], problems: list[DataProblem]) -> dg13.Dg13Fields | None:
    if 13 not in dgs:
        return None
    try:
        fields = dg13.parse(dgs[13])
    except errors.MalformedData as exc:
        problems.append(DataProblem("DG13", str(exc)))
        return None
    problems.extend(DataProblem(_DG13_PARTS.get(n, f"DG13 field {n}"), reason)
                    for n, reason in sorted(fields.rejected.items()))
    return fields


def _parse_portrait(dgs: dict[int, bytes], problems: list[DataProblem]) -> dg2.FaceImage | None:
    if 2 not in dgs:
        return None
    try:
        images = dg2.parse(dgs[2]).images
    except errors.MalformedData as exc:
        problems.append(DataProblem("portrait", str(exc)))
        return None
    return images[0] if images else None


def _consistency(first: dg1.Dg1 | None, fields: dg13.Dg13Fields | None
                 ) -> tuple[ConsistencyCheck, ...]:
    mrz_id = None if first is None else first.mrz.id_number
    chip_id = None if fields is None else fields.id_number
    if mrz_id is None or chip_id is None:
        return ()
    if mrz_id != chip_id:
        return (ConsistencyCheck("id_number_agreement", passive.Status.FAILED,
                                 "the machine-readable zone (DG1) and the citizen's details "
                                 "(DG13) give different ID numbers"),)
    return (ConsistencyCheck("id_number_agreement", passive.Status.PASSED,
                             "DG1 and DG13 give the same ID number"),)


def assemble(access: str, listing: com.Com, dgs: dict[int, bytes], sod_raw: bytes,
             report: passive.PassiveReport, aa: active.AaResult | None, chip_auth: CaResult | None,
             refused: tuple[int, ...], read_ms: float, *, apdus: int = 0,
             extended: bool = False) -> ChipDocument:
    """Parse what was read; ``MalformedData`` only when no ID number can be found at all."""
    problems: list[DataProblem] = []
    first = _parse_dg1(dgs, problems)
    fields = _parse_dg13(dgs, problems)
    if (first is None or first.mrz.id_number is None) and (fields is None or not fields.id_number):
        raise errors.MalformedData("The chip carries no readable ID number (DG1 and DG13).")
    portrait = _parse_portrait(dgs, problems)
    return ChipDocument(
        access=access, com=listing, raw=dgs, sod=sod_raw, dg1=first, dg13=fields,
        portrait=portrait, passive=report, active=aa, not_read=refused, read_ms=read_ms,
        chip_auth=chip_auth, problems=tuple(problems), consistency=_consistency(first, fields),
        apdus=apdus, extended=extended,
    )


def to_card_read(doc: ChipDocument) -> CardRead:
    """What a reader hands the UI: identity (DG13, DG1 filling gaps), portrait, verification,
    and what could not be used.

    The portrait is also decoded to PNG here, on the reading thread, so the GUI never decodes
    JPEG 2000; an undecodable portrait leaves ``portrait_png`` None and is listed as missing.
    """
    identity = dg13.to_identity(doc.dg13 or dg13.Dg13Fields(), doc.dg1)
    missing = list(doc.problems)
    png = None
    if doc.portrait is not None:
        try:
            png = dg2.to_png(doc.portrait)
        except errors.MalformedData as exc:
            log.warning("The chip's portrait (%s) could not be decoded", doc.portrait.mime)
            missing.append(DataProblem("portrait", str(exc)))
    return CardRead(
        identity=identity, portrait=None if doc.portrait is None else doc.portrait.data,
        read_ms=doc.read_ms, verification=ChipVerification.from_document(doc),
        portrait_mime=None if doc.portrait is None else doc.portrait.mime, portrait_png=png,
        missing=tuple(missing),
    )
