"""Looks and translations as files: every look (three text sizes, normal and high contrast) loads,
the larger sizes scale every size but borders, the high-contrast theme reaches 7:1, and the
Vietnamese translation is complete."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kiosk.domain.paths import THEMES_DIR, TRANSLATIONS_DIR
from ui.look import LOOKS, Look, LookError, look_sheet, scale_sheet, theme_text

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#([0-9A-Fa-f]{6})\b"


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_pairs(qss: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background colour) for every rule that declares both."""
    pairs = []
    for selector, body in RULE.findall(re.sub(r"/\*.*?\*/", "", qss, flags=re.S)):
        text = re.search(r"(?<![-\w])color\s*:\s*" + HEX, body)
        back = re.search(r"background(?:-color)?\s*:\s*" + HEX, body)
        if text and back:
            pairs.append((" ".join(selector.split()), text.group(1), back.group(1)))
    return pairs


def test_contrast_formula_matches_known_values():
    assert contrast("FFFFFF", "000000") == pytest.approx(21.0)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_high_contrast_theme_pairs_reach_7_to_1():
    own = (THEMES_DIR / "contrast.qss").read_text(encoding="utf-8")
    pairs = colour_pairs(own)
    assert len(pairs) >= 25  # the theme states colours in pairs; a lone colour would escape the check
    weak = [(s, c, b, round(contrast(c, b), 2)) for s, c, b in pairs if contrast(c, b) < 7.0]
    assert weak == []


def test_high_contrast_theme_states_every_text_colour_with_its_background():
    own = re.sub(r"/\*.*?\*/", "", (THEMES_DIR / "contrast.qss").read_text(encoding="utf-8"), flags=re.S)
    for selector, body in RULE.findall(own):
        has_text = re.search(r"(?<![-\w])color\s*:", body)
        has_back = re.search(r"background(?:-color)?\s*:", body)
        assert bool(has_text) == bool(has_back) or "::chunk" in selector or "#overlay" in selector \
            or "QProgressBar" in selector, selector


def test_normal_theme_main_text_pairs_reach_4_5_to_1():
    pairs = colour_pairs((THEMES_DIR / "normal.qss").read_text(encoding="utf-8"))
    weak = [(s, round(contrast(c, b), 2)) for s, c, b in pairs if contrast(c, b) < 4.5]
    assert weak == []


@pytest.mark.parametrize("look", LOOKS, ids=[look.name for look in LOOKS])
def test_every_look_is_the_normal_sheet_scaled_with_contrast_on_top(look):
    text = look_sheet(look)
    base = (THEMES_DIR / "normal.qss").read_text(encoding="utf-8")
    if look.contrast:
        base += "\n" + (THEMES_DIR / "contrast.qss").read_text(encoding="utf-8")
    assert text == scale_sheet(base, look.scale) and "QPushButton" in text


def test_it_themes_map_to_looks():
    assert Look.from_theme("normal") == Look()
    assert Look.from_theme("large") == Look("large")
    assert Look.from_theme("contrast") == Look(contrast=True)
    assert theme_text("large") == look_sheet(Look("large"))
    assert [look.name for look in LOOKS] == ["normal", "large", "largest", "contrast",
                                              "large-contrast", "largest-contrast"]
    assert Look().larger().larger().larger() == Look()  # one key cycles the three sizes


def test_scaling_grows_text_and_room_but_not_borders_or_fixed_lines():
    sheet = ("QLabel { font-size: 20px; padding: 10px 5px; border: 2px solid #000; "
             "min-height: 48px; border-radius: 12px; }\n"
             "QLabel#code { font-size: 50px; /* fixed */ }")
    scaled = scale_sheet(sheet, 1.4)
    assert "font-size: 28px" in scaled and "padding: 14px 7px" in scaled
    assert "border: 2px solid" in scaled and "min-height: 48px" in scaled  # borders, targets stay
    assert "border-radius: 17px" in scaled
    assert "font-size: 50px; /* fixed */" in scaled


def test_missing_theme_names_the_file(tmp_path):
    with pytest.raises(LookError, match="nothing.qss"):
        theme_text("nothing", tmp_path)


def test_vietnamese_translation_is_complete_and_compiled():
    ts = ET.parse(TRANSLATIONS_DIR / "motcua_vi.ts")
    messages = ts.getroot().findall("./context/message")
    assert len(messages) > 100
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") in ("unfinished", "obsolete")
                  or not (m.findtext("translation") or "").strip()]
    assert unfinished == []
    for message in messages:  # placeholders survive translation
        source, translation = message.findtext("source"), message.findtext("translation")
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", translation))


def test_applying_the_look_already_shown_does_not_restyle_every_widget(qapp):
    """Setting the application's style sheet again repolishes every widget (a visible pause on a
    full window); the same look applied twice leaves the widgets alone, a new one restyles them."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QPushButton

    from ui.look import apply_look

    class StyleChanges(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.StyleChange:
                self.count += 1
            return False

    button, changes = QPushButton("OK"), StyleChanges()
    button.installEventFilter(changes)
    apply_look(qapp, Look("large"))
    first = changes.count
    apply_look(qapp, Look("large"))
    assert changes.count == first
    apply_look(qapp, Look("large", contrast=True))
    assert changes.count > first
    button.removeEventFilter(changes)
