"""Read-aloud's engine: speaks text through QtTextToSpeech, or stays quiet safely (what is read
and when is ``ui.reading``'s).

The engine is chosen by name (``"speechd"`` on the kiosk, ``"mock"`` in tests); by default
speech-dispatcher when Qt lists it, else none. With no engine, or one that fails to start (no
speech-dispatcher daemon, no voices), the narrator is disabled and says why once in the log;
``say()`` then does nothing, so a missing voice never stops a citizen. Spoken text is never
logged: it can hold a citizen's name.

Starting an engine can take seconds (speech-dispatcher's daemon may have to be spawned), so the
kiosk passes ``deferred=True`` and calls ``start()`` once the first screen is painted: the citizen
sees the welcome screen at once, and ``available_changed`` makes the read-aloud button appear
when the engine is ready. (The engine is a GUI-thread object: Qt's own engines start timers in the
thread that owns them.)

Errors: none raised. Engine problems become ``available == False`` plus a log line for IT.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

__all__ = ["AUTO", "Narrator"]

log = logging.getLogger(__name__)

AUTO = "auto"
_LANGUAGES = {"vi": QLocale.Language.Vietnamese, "en": QLocale.Language.English}
SLOWER = -0.15  # a little slower than the engine's default, for older listeners


def _pick_engine(engine: str | None) -> str | None:
    if engine != AUTO:
        return engine
    return "speechd" if "speechd" in QTextToSpeech.availableEngines() else None


class Narrator(QObject):
    said = Signal(str)  # the text handed to the engine (for tests and a caption strip)
    stopped = Signal()
    enabled_changed = Signal(bool)
    available_changed = Signal(bool)  # an engine started in the background is ready (or failed)

    def __init__(self, engine: str | None = AUTO, language: str = "vi",
                 parent: QObject | None = None, *, rate: float = SLOWER, deferred: bool = False) -> None:
        super().__init__(parent)
        self._enabled = True
        self.language = language
        self._rate = rate
        self._tts: QTextToSpeech | None = None
        self._pending = False  # a deferred engine not started yet
        self.engine_name = _pick_engine(engine)
        if self.engine_name is None:
            log.info("Read-aloud is off: no text-to-speech engine is installed "
                     "(IT: install speech-dispatcher with a Vietnamese voice).")
            return
        if self.engine_name not in QTextToSpeech.availableEngines():
            log.warning("Read-aloud is off: the text-to-speech engine %r is not installed "
                        "(available: %s).", self.engine_name,
                        ", ".join(QTextToSpeech.availableEngines()) or "none")
            return
        self._pending = deferred
        if not deferred:
            self._adopt(QTextToSpeech(self.engine_name, self))

    def start(self) -> None:
        """Start a deferred engine now (once; nothing to do otherwise)."""
        if self._pending:
            self._pending = False
            assert self.engine_name is not None
            self._adopt(QTextToSpeech(self.engine_name, self))

    def _adopt(self, tts: QTextToSpeech) -> None:
        if tts.state() == QTextToSpeech.State.Error:
            log.warning("Read-aloud is off: the text-to-speech engine %r did not start (%s). "
                        "IT: check that its service is running.", self.engine_name, tts.errorString())
            tts.deleteLater()
            self.available_changed.emit(False)
            return
        tts.errorOccurred.connect(self.on_error_occurred)
        tts.setRate(self._rate)
        self._tts = tts
        self.set_language(self.language)
        self.available_changed.emit(True)

    @property
    def available(self) -> bool:
        """An engine is working (whether or not the citizen turned reading on)."""
        return self._tts is not None

    @property
    def engine(self) -> QTextToSpeech | None:
        return self._tts

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if value == self._enabled:
            return
        self._enabled = value
        if not value:
            self.stop()
        self.enabled_changed.emit(value)

    def speaks(self, language: str) -> bool:
        """The engine has a voice for ``language`` ("vi", "en")."""
        wanted = _LANGUAGES.get(language)
        return self._tts is not None and any(
            loc.language() == wanted for loc in self._tts.availableLocales())

    def set_language(self, language: str) -> bool:
        """Use a ``vi``/``en`` voice; False (and the engine's default voice) when there is none."""
        self.language = language
        if self._tts is None:
            return False
        wanted = _LANGUAGES.get(language)
        locales = [loc for loc in self._tts.availableLocales() if loc.language() == wanted]
        if not locales:
            log.info("Read-aloud has no %r voice in engine %r; using its default voice.",
                     language, self.engine_name)
            return False
        self._tts.setLocale(locales[0])
        voices = self._tts.availableVoices()
        if voices:
            self._tts.setVoice(voices[0])
        return True

    def announce(self, text: str) -> bool:
        """Say ``text`` whether or not the citizen turned reading on: what the kiosk must say
        aloud to everyone (take your card); False with no engine."""
        text = " ".join(text.split())
        if self._tts is None or not text:
            return False
        self._tts.say(text)
        self.said.emit(text)
        return True

    def say(self, text: str) -> bool:
        """Speak ``text`` (interrupting what is being said); False when reading is off."""
        text = " ".join(text.split())
        if self._tts is None or not self._enabled or not text:
            return False
        self._tts.say(text)
        self.said.emit(text)
        return True

    def stop(self) -> None:
        if self._tts is not None and self._tts.state() in (
                QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing,
                QTextToSpeech.State.Paused):
            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)
            self.stopped.emit()

    def on_error_occurred(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        log.warning("Read-aloud failed in engine %r (%s: %s); it stays available for the next "
                    "screen.", self.engine_name, reason.name, message)
