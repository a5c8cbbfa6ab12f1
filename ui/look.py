"""Fonts, looks and translations: how the application looks and speaks, set on the QApplication.

A look is a text size (normal, large, largest) and a contrast (normal or high). IT chooses the
kiosk's default (``ui.theme``: normal, large or contrast); a citizen can change both for their own
session from the header ("Aa" and the contrast key), and the main window puts the default back
when the session ends. The larger sizes scale every size in the style sheets (fonts,
paddings, radii: header, tags, keyboard and dialogs alike), so there is one set of QSS
files, not one per size: ``normal.qss`` and, for high contrast, ``contrast.qss`` on top of it.

Errors::

    LookError     a theme file is missing (IT: reinstall the assets or fix ``ui.theme``)
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.paths import THEMES_DIR, TRANSLATIONS_DIR

__all__ = ["LOOKS", "Look", "LookError", "TEXT_SIZES", "Translations", "apply_look",
           "apply_theme", "look_sheet", "scaled", "scaled_width", "theme_text"]

log = logging.getLogger(__name__)

FONT_FAMILIES = ("Noto Sans", "DejaVu Sans")
BODY_PIXELS = 20
#: the text sizes a citizen can choose, smallest first, and how much each scales the normal one
TEXT_SIZES = ("normal", "large", "largest")
_SCALES = {"normal": 1.0, "large": 1.2, "largest": 1.4}
#: declarations whose pixel values grow with the text; minimum heights stay (a touch target is
#: already big enough, and grows with its text anyway), as do borders and letter spacing
_SCALED = re.compile(r"(?P<prop>font-size|padding(?:-\w+)?|border(?:-\w+)*-radius)\s*:\s*"
                     r"(?P<values>[^;}]*)")
_PIXELS = re.compile(r"(\d+(?:\.\d+)?)px")


class LookError(Exception):
    """The look cannot be applied; the message names the file."""


@dataclasses.dataclass(frozen=True)
class Look:
    """One text size and one contrast."""

    size: str = "normal"
    contrast: bool = False

    def __post_init__(self) -> None:
        if self.size not in _SCALES:
            raise ValueError(f"unknown text size {self.size!r}; one of {', '.join(TEXT_SIZES)}")

    @classmethod
    def from_theme(cls, theme: str) -> Look:
        """IT's ``ui.theme``: ``normal``, ``large`` (text) or ``contrast`` (high contrast)."""
        if theme == "contrast":
            return cls(contrast=True)
        return cls(size=theme if theme in _SCALES else "normal")

    @property
    def scale(self) -> float:
        return _SCALES[self.size]

    @property
    def name(self) -> str:
        """``normal``, ``large``, ``largest``, ``contrast``, ``large-contrast``..."""
        if not self.contrast:
            return self.size
        return "contrast" if self.size == "normal" else f"{self.size}-contrast"

    def larger(self) -> Look:
        """The next text size, back to normal after the largest (one key cycles through them)."""
        index = (TEXT_SIZES.index(self.size) + 1) % len(TEXT_SIZES)
        return dataclasses.replace(self, size=TEXT_SIZES[index])

    def with_contrast(self, on: bool) -> Look:
        return dataclasses.replace(self, contrast=on)


#: every look, in the order the screenshots and the fit test go through them
LOOKS = tuple(Look(size, contrast) for contrast in (False, True) for size in TEXT_SIZES)


def scaled(pixels: int) -> int:
    """``pixels`` at the text size shown now: a panel of fixed width grows with its text."""
    app = QApplication.instance()
    size = app.font().pixelSize() if app is not None else BODY_PIXELS
    return round(pixels * max(size, BODY_PIXELS) / BODY_PIXELS)


class _Width(QObject):
    """Keeps a widget's width at ``scaled(pixels)`` as the text size changes."""

    _EVENTS = (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange, QEvent.Type.StyleChange)

    def __init__(self, widget: QWidget, pixels: int, minimum: bool) -> None:
        super().__init__(widget)
        self._pixels, self._minimum = pixels, minimum
        widget.installEventFilter(self)
        self.apply(widget)

    def apply(self, widget: QWidget) -> None:
        width = scaled(self._pixels)
        if self._minimum:
            widget.setMinimumWidth(width)
        else:
            widget.setFixedWidth(width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in self._EVENTS and isinstance(watched, QWidget):
            self.apply(watched)
        return False


def scaled_width(widget: QWidget, pixels: int, *, minimum: bool = False) -> None:
    """Give ``widget`` a fixed (or ``minimum``) width of ``pixels`` at the normal text size,
    grown in proportion at the larger ones, now and whenever the text size changes."""
    _Width(widget, pixels, minimum)


def look_font(app: QApplication, look: Look = Look()) -> QFont:
    """A font that renders Vietnamese diacritics well, at the look's body size."""
    available = set(QFontDatabase.families())
    family = next((f for f in FONT_FAMILIES if f in available), app.font().family())
    font = QFont(family)
    font.setPixelSize(round(BODY_PIXELS * look.scale))
    font.setHintingPreference(QFont.PreferNoHinting)
    return font


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LookError(f"The theme file {path} cannot be read ({exc}). IT: check the kiosk's "
                        f"assets or choose another ui.theme.") from exc


def scale_sheet(text: str, scale: float) -> str:
    """Every size of a style sheet times ``scale`` (rounded to whole pixels). Comments stay, and a
    declaration on a line marked ``/* fixed */`` keeps its size."""
    if scale == 1.0:
        return text

    def values(match: re.Match[str]) -> str:
        scaled = _PIXELS.sub(lambda px: f"{round(float(px.group(1)) * scale)}px",
                             match.group("values"))
        return f"{match.group('prop')}: {scaled}"

    return "\n".join(line if "/* fixed */" in line else _SCALED.sub(values, line)
                     for line in text.splitlines())


def look_sheet(look: Look, themes_dir: Path = THEMES_DIR) -> str:
    """The style sheet of ``look``: normal.qss, contrast.qss on top for high contrast, scaled."""
    text = _read(themes_dir / "normal.qss")
    if look.contrast:
        text += "\n" + _read(themes_dir / "contrast.qss")
    return scale_sheet(text, look.scale)


def theme_text(theme: str, themes_dir: Path = THEMES_DIR) -> str:
    """The style sheet of IT's ``ui.theme`` (see ``Look.from_theme``); a name with no file of its
    own and no size of that name is refused, naming the file."""
    if theme not in _SCALES and theme != "contrast":
        _read(themes_dir / f"{theme}.qss")  # raises LookError naming the file
    return look_sheet(Look.from_theme(theme), themes_dir)


def apply_look(app: QApplication, look: Look, themes_dir: Path = THEMES_DIR) -> None:
    sheet = look_sheet(look, themes_dir)  # read first: a missing file changes nothing
    font = look_font(app, look)
    if app.styleSheet() == sheet and app.font() == font:
        return  # already so: setting them again restyles every widget (a visible pause)
    app.setFont(font)
    app.setStyleSheet(sheet)


def apply_theme(app: QApplication, theme: str, themes_dir: Path = THEMES_DIR) -> None:
    apply_look(app, Look.from_theme(theme), themes_dir)


class Translations:
    """Switches the UI language: Vietnamese from ``motcua_vi.qm``; English is the source text."""

    def __init__(self, app: QCoreApplication | None, folder: Path = TRANSLATIONS_DIR) -> None:
        if app is None:
            raise RuntimeError("translations need the QApplication: create it first")
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
