"""The house style of the Vietnamese copy (docs/vietnamese-style.md), for what a machine can check:
one form of address (ông/bà), requests with "vui lòng" (not "hãy") to citizens, one spelling of
"xóa"-type words and of "camera", and no translation left as its English source."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from kiosk.domain.paths import PROCEDURES_DIR, TRANSLATIONS_DIR

#: contexts whose text only staff read (they may be told "hãy", and they call the citizen
#: "người dân")
STAFF_CONTEXTS = {"StaffHints", "StaffDashboard", "StaffSignInPanel", "StaffMode",
                  "ManualEntryPanel", "App", "DemoPanel"}
#: loanwords that stay as they are (docs/vietnamese-style.md)
SAME_IN_BOTH = {"Camera"}
#: other ways of addressing the citizen than ông/bà
OTHER_ADDRESS = re.compile(r"\b(bạn|quý khách|anh/chị|anh chị)\b", re.IGNORECASE)
#: the new-style tone placement on an open syllable ending in oa/oe/uy (xoá, hoà, thuỷ): the kiosk
#: writes the old style everywhere (xóa, hòa, thủy), as in the place names it shows (Thanh Hóa)
NEW_STYLE_TONE = re.compile(r"(?<![\wđ])\w*(?:o[áàảãạ]|o[éèẻẽẹ]|(?<!q)u[ýỳỷỹỵ])(?![\wđ])",
                            re.IGNORECASE)


def translations() -> list[tuple[str, str, str]]:
    root = ET.parse(TRANSLATIONS_DIR / "motcua_vi.ts").getroot()
    return [(ctx.findtext("name"), m.findtext("source"), m.findtext("translation") or "")
            for ctx in root.findall("context") for m in ctx.findall("message")]


def procedure_texts() -> list[tuple[str, str]]:
    """(where, Vietnamese text) of every procedure's names, labels, helps, notes and choices."""
    found: list[tuple[str, str]] = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            if set(node) >= {"vi", "en"} and isinstance(node["vi"], str):
                found.append((where, node["vi"]))
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    for path in sorted(PROCEDURES_DIR.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    return found


def everything() -> list[tuple[str, str]]:
    return [(f"{ctx}: {src[:50]}", text) for ctx, src, text in translations()] + procedure_texts()


def test_the_citizen_is_always_ong_ba():
    wrong = [(where, text) for where, text in everything() if OTHER_ADDRESS.search(text)]
    assert wrong == []


def test_citizens_are_asked_with_vui_long_and_staff_may_be_told_hay():
    wrong = [(ctx, text) for ctx, _src, text in translations()
             if ctx not in STAFF_CONTEXTS and re.search(r"\bhãy\b", text, re.IGNORECASE)]
    wrong += [(where, text) for where, text in procedure_texts()
              if re.search(r"\bhãy\b", text, re.IGNORECASE)]
    assert wrong == []


def test_one_spelling_for_tone_placement_and_one_word_for_each_thing():
    wrong = [(where, match.group(0)) for where, text in everything()
             for match in NEW_STYLE_TONE.finditer(text)]
    # camera (not máy ảnh), bộ phận kỹ thuật for IT (not CNTT), cán bộ for staff (not nhân viên)
    wrong += [(where, text) for where, text in everything()
              if re.search(r"máy ảnh|\bCNTT\b|nhân viên", text, re.IGNORECASE)]
    assert wrong == []


@pytest.mark.parametrize("word, new_style", [("xoá", True), ("hoà", True), ("thuỷ", True),
                                             ("xóa", False), ("hoạt", False), ("quý", False),
                                             ("Thanh Hóa", False), ("khỏe", False)])
def test_the_tone_placement_rule_itself(word, new_style):
    assert bool(NEW_STYLE_TONE.search(word)) is new_style


def test_no_vietnamese_translation_is_left_as_its_english_source():
    same = [(ctx, src) for ctx, src, text in translations()
            if text.strip() == src.strip() and src.strip() not in SAME_IN_BOTH]
    assert same == []
