"""The virtual chip's files: which exist, who may read them, and READ BINARY's length rules.

Kept apart from the APDU dispatcher because these rules are what the reader's robustness depends
on (end of file, offsets beyond the end, DG3 refused) and they are easy to test on their own.
Access follows the CCCD (cccd.md section 4): EF.CardAccess (and EF.DIR/EF.ATR if present) sit in
the master file and are free; everything in the eMRTD application needs PACE or BAC first; DG3
and DG4 (biometrics) need Extended Access Control, which the kiosk never has, so they answer 6982.
"""

from __future__ import annotations

__all__ = [
    "EAC_PROTECTED",
    "EMRTD_AID",
    "EF_CARD_ACCESS",
    "EF_COM",
    "EF_SOD",
    "FREE_FILES",
    "ChipFiles",
    "access_status",
    "dg_fid",
    "fid_for_sfi",
    "file_label",
    "in_applet",
    "read_range",
]

ChipFiles = dict[int, bytes]  # file id (e.g. 0x0101 for DG1) -> file content

#: The eMRTD (LDS1) application identifier, ICAO 9303-10; the one definition of it, shared by the
#: reader session, the PC/SC reader and the virtual chip.
EMRTD_AID = bytes.fromhex("A0000002471001")

EF_CARD_ACCESS = 0x011C
EF_SOD = 0x011D
EF_COM = 0x011E
EF_DIR = 0x2F00
EF_ATR_INFO = 0x2F01
FREE_FILES = frozenset({EF_CARD_ACCESS, EF_DIR, EF_ATR_INFO})  # in the MF, no access control
EAC_PROTECTED = frozenset({0x0103, 0x0104})  # DG3 fingerprints, DG4 iris

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than asked: the end of the file was reached
SW_WRONG_LENGTH = 0x6700
SW_SECURITY = 0x6982
SW_NOT_FOUND = 0x6A82
SW_OFFSET_BEYOND_END = 0x6B00


def dg_fid(number: int) -> int:
    """File id of data group ``number`` (1..16): DG1 is 0x0101."""
    if not 1 <= number <= 16:
        raise ValueError("data groups are numbered 1 to 16")
    return 0x0100 + number


def fid_for_sfi(sfi: int) -> int:
    """LDS short file identifiers are the low byte of the file id (DG1: SFI 1, EF.COM: 0x1E)."""
    return 0x0100 | sfi


def file_label(fid: int) -> str:
    """``DG2``, ``EF.COM``... for logs and progress (never the content)."""
    names = {EF_CARD_ACCESS: "EF.CardAccess", EF_SOD: "EF.SOD", EF_COM: "EF.COM",
             EF_DIR: "EF.DIR", EF_ATR_INFO: "EF.ATR/INFO"}
    if fid in names:
        return names[fid]
    if 0x0101 <= fid <= 0x0110:
        return f"DG{fid - 0x0100}"
    return f"EF {fid:04X}"


def access_status(fid: int, *, authenticated: bool) -> int:
    """The status word a READ BINARY of ``fid`` gets before any length checks."""
    if fid in EAC_PROTECTED:
        return SW_SECURITY
    if fid not in FREE_FILES and not authenticated:
        return SW_SECURITY
    return SW_OK


def in_applet(fid: int) -> bool:
    """Whether ``fid`` lives in the eMRTD application (selectable only after selecting it)."""
    return fid not in FREE_FILES


def read_range(content: bytes, offset: int, ne: int) -> tuple[bytes, int]:
    """READ BINARY of up to ``ne`` bytes at ``offset``: data and status word, as ISO 7816-4 says.

    Offset at or past the end -> 6B00 (nothing returned); fewer than ``ne`` bytes left -> what
    remains with 6282 (end of file reached); otherwise exactly ``ne`` bytes with 9000.
    """
    if ne <= 0:
        return b"", SW_WRONG_LENGTH
    if offset >= len(content):
        return b"", SW_OFFSET_BEYOND_END
    chunk = content[offset : offset + ne]
    return chunk, (SW_END_OF_FILE if len(chunk) < ne else SW_OK)
