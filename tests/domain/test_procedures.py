from __future__ import annotations

import json

import pytest

from kiosk.domain.paths import PROCEDURES_DIR
from kiosk.domain.procedures import Catalogue, CatalogueError, FieldType, fold_text


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
    assert catalogue.search("driving")[0].code == "3.000347"
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
        ({"fields": [{"id": "x", "type": "text", "label": {"vi": "", "en": ""}, "group": 3}]},
         r"key 'fields\[0\].group' has the wrong type"),
        ({"fields": [{"id": "x", "type": "text", "label": {"vi": "", "en": ""}, "group": " "}]},
         r"key 'fields\[0\].group' must not be empty"),
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


REQUIRED_PROCEDURES = {
    "Đổi giấy phép lái xe", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Đăng ký khai sinh",
    "Đăng ký kết hôn", "Đăng ký thường trú", "Đăng ký tạm trú", "Đăng ký khai tử",
    "Chứng thực bản sao từ bản chính", "Cấp bản sao trích lục hộ tịch",
    "Cấp lại thẻ bảo hiểm y tế do mất, hỏng",
}


def test_the_ten_procedures_of_issue_6(catalogue):
    assert REQUIRED_PROCEDURES <= {p.name.vi for p in catalogue.procedures}


def test_every_procedure_says_where_its_facts_come_from(catalogue):
    for p in catalogue.procedures:
        assert p.source and p.source.startswith("https://"), p.code
        assert p.source_note and p.agency_note, p.code
        if p.code_verified:
            assert p.code in p.source, p.code  # a verified code points at its own official page
        assert p.documents and p.delivery, p.code
        assert p.processing_time is not None and p.fee_note is not None, p.code
        assert any(d.held_by_national_db for d in p.documents), p.code  # the card at least


def test_delivery_choices_match_the_declared_options(catalogue):
    for p in catalogue.procedures:
        delivery = p.field("delivery")
        assert {c.value for c in delivery.choices} <= set(p.delivery), p.code


def test_documents_keep_the_old_text_interface(catalogue):
    licence = catalogue.get("3.000347")
    first = licence.documents[0]
    assert first.get("vi") == first.vi and first.get("en") == first.en
    assert all(not d.held_by_national_db for d in licence.documents_to_bring)
    assert len(licence.documents_to_bring) < len(licence.documents)


def test_agencies_follow_the_2025_changes(catalogue):
    assert "Công an" in catalogue.get("3.000347").agency.vi  # driving licences: police since 1 March 2025
    assert "Công an" in catalogue.get("3.000333").agency.vi  # criminal records: police since 1 March 2025
    for code in ("1.001193", "1.000894", "1.000656"):
        assert "cấp xã" in catalogue.get(code).agency.vi
    assert not any("huyện" in fold_text(p.agency.vi).split() for p in catalogue.procedures)


def test_browse_by_category(catalogue):
    categories = catalogue.categories()
    assert {"civil_status", "residence", "transport", "justice"} <= set(categories)
    assert {p.code for p in catalogue.in_category("residence")} == {"1.004222", "1.004194"}
    assert sum(len(catalogue.in_category(c)) for c in categories) == len(catalogue.procedures)


def test_search_finds_new_procedures_without_accents(catalogue):
    assert [p.code for p in catalogue.search("dang ky tam tru")] == ["1.004194"]
    assert [p.code for p in catalogue.search("KẾT HÔN")] == ["1.000894"]
    assert [p.code for p in catalogue.search("bao hiem y te")] == ["BHXH-612"]


def _field(id, type, **more):
    return {"id": id, "type": type, "label": {"vi": id, "en": id}, **more}


def test_new_field_types_and_conditions_load(tmp_path):
    yes = _field("married", "yesno")
    proof = _field("proof", "attachment", visible_if={"field": "married", "equals": "yes"})
    _write(tmp_path, _minimal(fields=[yes, proof, _field("where", "address")], delivery=["post"]))
    procedure = Catalogue.load(tmp_path).get("1.0")
    assert procedure.field("proof").visible_if.field == "married"
    assert procedure.field("where").type is FieldType.ADDRESS
    assert procedure.delivery == ("post",) and procedure.source is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fields": [_field("a", "attachment", visible_if={"field": "later", "equals": "x"}),
                     _field("later", "text")]}, "unknown or later field 'later'"),
        ({"fields": [_field("a", "yesno"), _field("b", "text", visible_if={"field": "a", "equals": "có"})]},
         "not one of its values"),
        ({"fields": [_field("a", "text", visible_if={"field": "a", "equals": "x"})]}, "unknown or later"),
        ({"service_level": "full"}, "service_level"),
        ({"delivery": ["drone"]}, "delivery"),
        ({"delivery": []}, "delivery"),
        ({"documents": [{"name": {"vi": "A", "en": "A"}, "held_by_national_db": "yes"}]},
         r"documents\[0\].held_by_national_db' has the wrong type"),
    ],
)
def test_broken_conditions_and_metadata(tmp_path, changes, message):
    _write(tmp_path, _minimal(**changes), "broken.json")
    with pytest.raises(CatalogueError, match=message):
        Catalogue.load(tmp_path)


def test_the_reference_portal_serves_every_bundled_procedure(catalogue):
    from kiosk.portal.schema import load_procedures

    assert set(load_procedures(PROCEDURES_DIR)) == {p.code for p in catalogue.procedures}


def test_group_key_is_optional_and_loaded(tmp_path, catalogue):
    _write(tmp_path, _minimal())
    assert Catalogue.load(tmp_path).get("1.0").field("n").group is None
    licence = catalogue.get("3.000347")
    assert [f.id for f in licence.fields if f.group == "licence"] == [
        "licence_number", "licence_class", "new_class_b", "new_class_fb2"]


def test_a_condition_may_name_several_values(tmp_path):
    data = _minimal()
    data["fields"] = [
        {"id": "kind", "type": "choice", "label": {"vi": "Loại", "en": "Kind"},
         "choices": [{"value": v, "label": {"vi": v, "en": v}} for v in ("a", "b", "c")]},
        {"id": "more", "type": "text", "label": {"vi": "Thêm", "en": "More"},
         "visible_if": {"field": "kind", "in": ["a", "b"]}}]
    _write(tmp_path, data)
    procedure = Catalogue.load(tmp_path).get("1.0")
    assert procedure.field("more").visible_if.values == ("a", "b")
    data["fields"][1]["visible_if"]["in"] = ["a", "z"]
    _write(tmp_path, data)
    with pytest.raises(CatalogueError, match="'z', which is not one of its values"):
        Catalogue.load(tmp_path)
