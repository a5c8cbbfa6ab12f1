from __future__ import annotations

import json

import pytest

from kiosk.paths import PROCEDURES_DIR
from kiosk.procedures import Catalogue, CatalogueError, FieldType, fold_text


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(PROCEDURES_DIR)


def test_bundled_catalogue_loads(catalogue):
    assert len(catalogue.procedures) >= 3
    for procedure in catalogue.procedures:
        assert procedure.name.vi and procedure.name.en
        assert procedure.fields
        assert procedure.service_level in {"toan_trinh", "mot_phan"}


def test_search_ignores_diacritics_and_case(catalogue):
    assert [p.name.vi for p in catalogue.search("doi giay phep lai xe")] == ["Đổi giấy phép lái xe"]
    assert catalogue.search("KHAI SINH")[0].code == "1.001193"
    assert catalogue.search("driving")[0].code == "1.002809"
    assert catalogue.search("") == list(catalogue.procedures)
    assert catalogue.search("xyz không có") == []


def test_fold_text():
    assert fold_text("Đổi Giấy Phép") == "doi giay phep"


def _write(tmp_path, data, name="p.json"):
    (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")


def _minimal(**changes):
    data = {
        "code": "1.0", "name": {"vi": "A", "en": "A"}, "category": "c",
        "agency": {"vi": "B", "en": "B"}, "service_level": "mot_phan", "fee_vnd": 0,
        "processing_days": 1,
        "fields": [{"id": "n", "type": "number", "label": {"vi": "N", "en": "N"}, "min": 1}],
    }
    data.update(changes)
    return data


def test_minimal_file(tmp_path):
    _write(tmp_path, _minimal())
    field = Catalogue.load(tmp_path).get("1.0").field("n")
    assert field.type is FieldType.NUMBER and field.minimum == 1 and field.required


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": 5}, "key 'code' has the wrong type"),
        ({"name": {"vi": "A"}}, "missing key 'name.en'"),
        ({"fields": [{"id": "x", "type": "colour", "label": {"vi": "", "en": ""}}]},
         r"unknown field type at 'fields\[0\].type'"),
        ({"fields": [{"id": "x", "type": "choice", "label": {"vi": "", "en": ""}}]}, "has no choices"),
        ({"fee_vnd": True}, "key 'fee_vnd' has the wrong type"),
    ],
)
def test_broken_files_name_file_and_key(tmp_path, changes, message):
    _write(tmp_path, _minimal(**changes), "broken.json")
    with pytest.raises(CatalogueError, match=message) as info:
        Catalogue.load(tmp_path)
    assert "broken.json" in str(info.value)


def test_not_json_and_empty_folder(tmp_path):
    with pytest.raises(CatalogueError, match="no procedure files"):
        Catalogue.load(tmp_path)
    (tmp_path / "x.json").write_text("{nope")
    with pytest.raises(CatalogueError, match="x.json: cannot read it as JSON"):
        Catalogue.load(tmp_path)


def test_duplicate_codes(tmp_path):
    _write(tmp_path, _minimal(), "a.json")
    _write(tmp_path, _minimal(), "b.json")
    with pytest.raises(CatalogueError, match="share a procedure code"):
        Catalogue.load(tmp_path)
