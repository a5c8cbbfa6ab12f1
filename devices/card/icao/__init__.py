"""ICAO Doc 9303 Part 11 protocol layer, both the terminal's side and the card's side.

Pure functions and small step objects with no I/O: the reader session drives the terminal
objects over a transport, and the virtual chip drives the card objects from its APDU
dispatcher. Modules:

- ``tlv``: BER-TLV encode/decode (multi-byte tags, long-form lengths, strict).
- ``apdu``: ISO 7816-4 command and response APDUs, short and extended.
- ``sm``: secure messaging (3DES and AES) and the key derivation function.
- ``bac``: Basic Access Control (MRZ key seed, mutual authentication).
- ``pace``: PACE with ECDH generic mapping (standard curves, AES and 3DES).
- ``card_access``: EF.CardAccess SecurityInfos (parse and build).

Errors come from ``devices.card.errors``; parsers raise only ``MalformedData``.
"""

from __future__ import annotations
