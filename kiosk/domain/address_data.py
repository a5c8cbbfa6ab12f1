"""The vendored address tables (MIT, from ``vietnamadminunits``), loaded lazily and cached.

The old-to-new mapping and the keyword tables come from the ``vietnamadminunits`` package, whose parser
imports the GPL ``unidecode``. So the package is not a dependency: ``scripts/vendor_address_data.py``
copies the fields we read into ``assets/address-data/`` (gzipped JSON, with the package's licence and a
SOURCE.json naming the version and the file each came from); ``prune`` and ``encode`` below are that
format's writing half, beside the reading half. Nothing is loaded at import time; each
table is read once, on first use (see docs/address-data.md).

Errors::

    AddressDataMissing (RuntimeError)  a vendored table is missing or unreadable: an installation fault
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from typing import Any

from kiosk.domain.paths import ADDRESS_DATA_DIR

__all__ = ["ADDRESS_DATA_DIR", "AddressDataMissing", "CONVERTER", "CURRENT", "DROP", "KEEP", "LEGACY", "encode",
           "index", "node", "prune", "table"]

LEGACY, CURRENT, CONVERTER = "parser_legacy.json", "parser_from_2025.json", "converter_2025.json"


#: the fields the matcher reads, kept
KEEP = frozenset({
    "provinceKeywords", "districtKeywords", "wardKeywords", "dividedDistrictKeywords",
    "wardShort", "provinceKey", "newWardKey", "districts", "districtDefault",
})
#: the fields it does not read, dropped (anything else is unknown: vendoring stops for a review)
DROP = frozenset({
    "province", "provinceCode", "provinceShort", "provinceLat", "provinceLon",
    "district", "districtCode", "districtShort", "districtType", "districtLat", "districtLon",
    "ward", "wardCode", "wardType", "wardLat", "wardLon",
    "isDefaultNewWard", "newWardAreaKm2", "newWardLat", "newWardLon",
})


def prune(node: Any, where: str = "") -> Any:
    """The same tree with only the ``KEEP`` fields in each unit entry (unit keys are never fields)."""
    if isinstance(node, list):
        return [prune(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    if any(key in KEEP or key in DROP for key in node):  # a unit's entry, not a dict of units
        unknown = sorted(set(node) - KEEP - DROP)
        if unknown:
            raise ValueError(f"{where}: unknown fields {unknown}: decide whether the matcher needs them")
        return {key: prune(value, f"{where}/{key}") for key, value in node.items() if key in KEEP}
    return {key: prune(value, f"{where}/{key}") for key, value in node.items()}


def encode(tree: Any) -> bytes:
    """Compact UTF-8 JSON, gzipped without a timestamp so the bytes depend only on the data."""
    text = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


class AddressDataMissing(RuntimeError):
    """The address tables are not where the kiosk was installed: IT reinstalls the kiosk."""


@functools.cache
def table(name: str, folder: Path = ADDRESS_DATA_DIR) -> dict[str, Any]:
    """One vendored table (``LEGACY``, ``CURRENT`` or ``CONVERTER``), read once."""
    path = folder / f"{name}.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            loaded = json.load(file)
    except (OSError, EOFError, ValueError) as exc:
        raise AddressDataMissing(
            f"the address table {path.name} cannot be read from {folder}: reinstall the kiosk "
            "(developers: scripts/vendor_address_data.py regenerates it)"
        ) from exc
    if not isinstance(loaded, dict):
        raise AddressDataMissing(f"the address table {path.name} is damaged: reinstall the kiosk")
    return loaded


def node(name: str, path: tuple[str, ...]) -> Any:
    """The part of a table at ``path``, or ``None`` when any step is missing."""
    found: Any = table(name)
    for step in path:
        found = found.get(step) if isinstance(found, dict) else None
    return found


@functools.lru_cache(maxsize=4096)
def index(name: str, path: tuple[str, ...], field: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One table's keywords, longest first (as alternatives), and the unit each names (the first wins)."""
    units = node(name, path)
    if not units:
        return None
    owner: dict[str, str] = {}
    for unit_key, entry in units.items():
        for word in entry.get(field, ()):
            owner.setdefault(word.casefold(), unit_key)
    if not owner:
        return None
    words = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE), owner
