"""Current two-level units and the conversion of old three-level addresses (offline, vendored real data)."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain import address_data, addresses
from kiosk.domain.addresses import (
    AddressDataMissing,
    AddressError,
    CommuneNotInProvince,
    Confidence,
    UnknownCommune,
    UnknownProvince,
    convert_old_address,
    parse_answer,
    search_communes,
    validate_pair,
)


def test_current_units_are_the_2025_ones():
    provinces = addresses.provinces()
    assert len(provinces) == 34
    assert (1, "Thành phố Hà Nội") in provinces and (46, "Thành phố Huế") in provinces
    assert sum(len(addresses.communes(code)) for code, _ in provinces) == 3321
    assert not search_communes("Vân Nội")  # merged into Phúc Thịnh on 1 July 2025


def test_search_ignores_diacritics_and_case():
    found = search_communes("phuc thinh", province_code=1)
    assert [u.label for u in found] == ["Xã Phúc Thịnh, Thành phố Hà Nội"]
    assert all(u.province_code == 79 for u in search_communes("sai gon", province_code=79))
    assert search_communes("SÀI GÒN")[0].commune == "Phường Sài Gòn"  # starts-with first
    assert search_communes("   ") == []
    assert len(search_communes("a", limit=5)) == 5


def test_validate_pair_names_the_problem():
    assert validate_pair(1, 466).commune == "Xã Phúc Thịnh"
    with pytest.raises(UnknownProvince):
        validate_pair(2, 466)
    with pytest.raises(UnknownCommune):
        validate_pair(1, 999_999)
    with pytest.raises(CommuneNotInProvince):
        validate_pair(1, 26740)


def test_answer_round_trip():
    unit = validate_pair(79, 26740)
    assert parse_answer(unit.answer) == unit
    assert parse_answer(" 79 : 26740 ") == unit
    for bad in ("", "79", "79-26740", "a:b", "79:26740:1"):
        with pytest.raises(AddressError):
            parse_answer(bad)


@pytest.mark.parametrize(
    "text",
    ["Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội", "thon dong, xa van noi, huyen dong anh, ha noi",
     "Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Thành phố Hà Nội"],
)
def test_old_address_converts_exactly(text):
    found = convert_old_address(text)
    assert found.confidence is Confidence.EXACT
    assert found.unit == validate_pair(1, 466) and found.province_code == 1
    assert found.street.casefold() == "thôn đông" or found.street.casefold() == "thon dong"


def test_a_city_ward_converts_too():
    found = convert_old_address("Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh")
    assert found.confidence is Confidence.EXACT and found.unit.commune == "Phường Sài Gòn"


def test_split_commune_is_never_guessed():
    found = convert_old_address("Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert found.confidence is Confidence.AMBIGUOUS and found.unit is None
    assert {u.commune for u in found.candidates} == {"Xã Tân Thạnh", "Xã Trường Thành"}


def test_unknown_commune_keeps_only_the_province():
    found = convert_old_address("Xã Không Có, Huyện Đông Anh, Hà Nội")
    assert found.confidence is Confidence.PROVINCE_ONLY and found.province_code == 1 and found.unit is None


def test_current_address_reads_as_is_and_nonsense_is_not_found():
    assert convert_old_address("Xã Phúc Thịnh, Thành phố Hà Nội").unit == validate_pair(1, 466)
    assert convert_old_address("").confidence is Confidence.NOT_FOUND
    assert convert_old_address("xyz qwerty").confidence is Confidence.NOT_FOUND


def test_street_never_shows_in_repr():
    found = convert_old_address("Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh")
    assert repr(found) == "Conversion(confidence=<Confidence.EXACT: 'exact'>)"


def test_units_that_differ_only_by_their_marks_are_told_apart():
    for name in ("Xã Cẩm Giang", "Xã Cẩm Giàng"):
        found = convert_old_address(f"{name}, Thành phố Hải Phòng")
        assert found.confidence is Confidence.EXACT and found.unit.commune == name


def test_street_is_what_precedes_the_commune():
    found = convert_old_address("Số 12, ngõ 5 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh")
    assert found.street == "Số 12, Ngõ 5 Lê Lợi"
    assert convert_old_address("Thôn Đông Xã Vân Nội Huyện Đông Anh Hà Nội").street == "Thôn Đông"
    assert convert_old_address("Xã Phúc Thịnh, Thành phố Hà Nội").street == ""


def test_hue_city_wards_are_not_read_as_the_districts_they_are_spelt_like():
    # Phường Thủy Biều was in the old city of Huế, not in the old town of Hương Thủy
    found = convert_old_address("Số 1, Phường Thủy Biều, Thành phố Huế, Tỉnh Thừa Thiên Huế")
    assert found.confidence is Confidence.EXACT and found.unit.commune == "Phường Thủy Xuân"
    assert found.street == "Số 1"


_NO_GPL_PROBE = """
import json, sys
from kiosk.domain import address_data, addresses
assert address_data.table.cache_info().currsize == 0, "tables loaded at import time"
found = addresses.convert_old_address("Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội")
print(json.dumps({"confidence": found.confidence.value,
                  "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("unidecode", "vietnamadminunits"))}))
"""

# vietnamadminunits (and Unidecode) made unimportable, as on a kiosk that never installed them
_ABSENT_PROBE = """
import importlib, json, sys
sys.modules["vietnamadminunits"] = None
sys.modules["unidecode"] = None
for name in ("vietnamadminunits", "unidecode"):
    try:
        importlib.import_module(name)
        raise SystemExit(name + " is still importable: the probe proves nothing")
    except ImportError:
        pass
from kiosk.domain import addresses
texts = ["Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội",
         "Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ",
         "Xã Cẩm Giàng, Thành phố Hải Phòng",
         "Số 1, Phường Thủy Biều, Thành phố Huế, Tỉnh Thừa Thiên Huế"]
out = []
for text in texts:
    found = addresses.convert_old_address(text)
    out.append([found.confidence.value, found.unit.answer if found.unit else None,
                sorted(u.commune for u in found.candidates)])
print(json.dumps(out, ensure_ascii=False))
"""

_ROOT = Path(__file__).resolve().parents[2]


def _probe(code: str) -> object:
    done = subprocess.run([sys.executable, "-c", code], cwd=_ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_conversion_never_imports_unidecode():
    """Unidecode is GPL: neither it nor the package modules that import it may load (fresh interpreter)."""
    assert _probe(_NO_GPL_PROBE) == {"confidence": "exact", "modules": []}


def test_conversion_works_without_vietnamadminunits():
    """The package is no dependency: with it unimportable, the vendored tables give the same answers."""
    thuy_xuan = search_communes("Thủy Xuân", province_code=46)[0]
    assert _probe(_ABSENT_PROBE) == [
        ["exact", "1:466", []],
        ["ambiguous", None, ["Xã Trường Thành", "Xã Tân Thạnh"]],
        ["exact", convert_old_address("Xã Cẩm Giàng, Thành phố Hải Phòng").unit.answer, []],
        ["exact", thuy_xuan.answer, []],
    ]


def test_vendored_files_match_their_manifest_and_carry_the_licence():
    folder = address_data.ADDRESS_DATA_DIR
    manifest = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    assert manifest["package"] == "vietnamadminunits" and manifest["licence"] == "MIT"
    tables = (address_data.LEGACY, address_data.CURRENT, address_data.CONVERTER)
    assert [f["file"] for f in manifest["files"]] == [f"{name}.gz" for name in tables]
    for entry in manifest["files"]:
        assert hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], entry["file"]
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and manifest["copyright"] in licence and "Tran Ngoc Minh Hieu" in licence


@pytest.mark.skipif(importlib.util.find_spec("vietnamadminunits") is None, reason="vietnamadminunits not installed")
def test_vendored_data_matches_the_installed_package(tmp_path):
    """Regenerating from the installed package (without importing it) gives the committed bytes:
    the developers' tool is run as they run it, into a scratch folder."""
    script = _ROOT / "scripts" / "vendor_address_data.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, timeout=120,
                   capture_output=True)
    folder = address_data.ADDRESS_DATA_DIR
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in folder.iterdir())
    stale = [p.name for p in tmp_path.iterdir() if (folder / p.name).read_bytes() != p.read_bytes()]
    assert not stale, f"run scripts/vendor_address_data.py: {stale} differ from the installed package"


def test_vendoring_keeps_only_known_fields_in_order():
    prune = address_data.prune
    tree = {"b": {"x": {"ward": "Xã X", "wardKeywords": ["xax", "x"], "wardLat": 1.0}},
            "a": [{"newWardKey": "xay", "newWardLat": 2.0}]}
    assert prune(tree) == {"b": {"x": {"wardKeywords": ["xax", "x"]}}, "a": [{"newWardKey": "xay"}]}
    assert list(prune(tree)) == ["b", "a"]  # the first unit with a keyword wins: order is data
    with pytest.raises(ValueError, match="newField"):
        prune({"x": {"wardKeywords": [], "newField": 1}})


def test_missing_or_damaged_tables_are_an_installation_fault(tmp_path):
    with pytest.raises(AddressDataMissing, match="reinstall"):
        address_data.table(address_data.LEGACY, tmp_path)
    (tmp_path / f"{address_data.CURRENT}.gz").write_bytes(b"not gzip")
    with pytest.raises(AddressDataMissing, match="reinstall"):
        address_data.table(address_data.CURRENT, tmp_path)
    (tmp_path / f"{address_data.CONVERTER}.gz").write_bytes(gzip.compress(b"[1, 2]"))
    with pytest.raises(AddressDataMissing, match="damaged"):
        address_data.table(address_data.CONVERTER, tmp_path)


@given(st.text(max_size=120))
def test_conversion_never_raises_and_is_consistent(text):
    found = convert_old_address(text)
    if found.confidence is Confidence.EXACT:
        assert found.unit is not None and validate_pair(found.unit.province_code, found.unit.commune_code)
    else:
        assert found.unit is None
    if found.confidence is Confidence.AMBIGUOUS:
        assert found.candidates


@given(st.text(max_size=30))
def test_parse_answer_raises_only_address_errors(text):
    try:
        unit = parse_answer(text)
    except AddressError:
        return
    assert parse_answer(unit.answer) == unit
