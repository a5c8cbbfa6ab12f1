"""Fonts, themes and translations: how the application looks and speaks, set on the QApplication.

Errors::

    LookError     a theme file is missing (IT: reinstall the assets or fix ``ui.theme``)
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.domain.paths import THEMES_DIR, TRANSLATIONS_DIR

__all__ = ["LookError", "Translations", "apply_font", "apply_theme", "theme_text"]

log = logging.getLogger(__name__)

FONT_FAMILIES = ("Noto Sans", "DejaVu Sans")
BODY_PIXELS = {"normal": 20, "large": 24, "contrast": 22}


class LookError(Exception):
    """The look cannot be applied; the message names the file."""


def apply_font(app: QApplication, theme: str = "normal") -> QFont:
    """A font that renders Vietnamese diacritics well, at a large body size."""
    available = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in available), app.font().family())
    font = QFont(family)
    font.setPixelSize(BODY_PIXELS.get(theme, 20))
    font.setHintingPreference(QFont.PreferNoHinting)
    app.setFont(font)
    return font


def theme_text(theme: str, themes_dir: Path = THEMES_DIR) -> str:
    path = themes_dir / f"{theme}.qss"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LookError(f"The theme file {path} cannot be read ({exc}). IT: check the kiosk's "
                        f"assets or choose another ui.theme.") from exc
    if theme != "normal":  # large and contrast refine the normal theme
        text = theme_text("normal", themes_dir) + "\n" + text
    return text


def apply_theme(app: QApplication, theme: str, themes_dir: Path = THEMES_DIR) -> None:
    apply_font(app, theme)
    app.setStyleSheet(theme_text(theme, themes_dir))


class Translations:
    """Switches the UI language: Vietnamese from ``motcua_vi.qm``; English is the source text."""

    def __init__(self, app: QCoreApplication, folder: Path = TRANSLATIONS_DIR) -> None:
        self._app = app
        self._folder = folder
        self._translator: QTranslator | None = None
        self.language = "en"

    def set_language(self, language: str) -> bool:
        """Install the translator for ``language``; False if its file is missing (English shown)."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.language = "en"
        QLocale.setDefault(QLocale(QLocale.English))
        if language.startswith("en"):
            return True
        translator = QTranslator(self._app)
        if not translator.load(f"motcua_{language}", str(self._folder)):
            log.warning("No translation file for language %r in %s; showing English",
                        language, self._folder)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        self.language = language
        QLocale.setDefault(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
        return True

    def close(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
