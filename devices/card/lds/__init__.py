"""The Logical Data Structure of an eMRTD chip (ICAO Doc 9303 Part 10): parse, build, verify.

Modules: ``com`` (EF.COM), ``dg1`` (MRZ), ``dg2`` (face), ``dg13`` (Vietnam), ``dg14`` (security
infos), ``dg15`` (AA public key), ``sod`` (EF.SOD), ``passive`` (passive authentication),
``active`` (active authentication), ``pki`` (test PKI), ``build_chip_files`` (profile -> files).
Parsers raise only ``MalformedData``; see ``devices.card.errors`` for the error tree.
"""

from __future__ import annotations

#: Data-group number -> LDS tag of its file (ICAO 9303-10 table 34).
DG_TAGS: dict[int, int] = {
    1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68,
    9: 0x69, 10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70,
}
TAG_DGS: dict[int, int] = {tag: dg for dg, tag in DG_TAGS.items()}
#: Data-group number -> short file identifier's file id (0x0101..0x0110).
DG_FIDS: dict[int, int] = {dg: 0x0100 + dg for dg in DG_TAGS}
FID_COM = 0x011E
FID_SOD = 0x011D
FID_CARD_ACCESS = 0x011C

__all__ = ["DG_FIDS", "DG_TAGS", "FID_CARD_ACCESS", "FID_COM", "FID_SOD", "TAG_DGS"]
