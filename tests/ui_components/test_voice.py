"""The real voice: eSpeak NG's Vietnamese renders what the kiosk reads to a WAV file (no sound
card needed), reads an ID number digit by digit once ``ui.spoken`` has spelled it, and the engine
the kiosk speaks through (Qt's speech-dispatcher plugin) finds the Vietnamese voice and finishes
speaking on this headless machine. scripts/system-deps.sh installs and configures all of it."""

from __future__ import annotations

import shutil
import subprocess
import wave

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from ui.speech import Narrator
from ui.spoken import spoken

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("pipewire")]

ESPEAK = shutil.which("espeak-ng")


def espeak(*args: str) -> str:
    if ESPEAK is None:
        pytest.fail("espeak-ng is missing: run scripts/system-deps.sh (it is the kiosk's voice)")
    done = subprocess.run([ESPEAK, "-v", "vi", *args], capture_output=True, text=True,
                          timeout=30, check=True)
    return done.stdout


def phonemes(text: str) -> list[str]:
    """What the voice will pronounce, one group per spoken word (its own notation)."""
    return [word for word in espeak("-q", "-x", text).replace("_|", " ").split() if word]


def test_a_receipt_is_rendered_to_a_wav_file_in_vietnamese(tmp_path):
    path = tmp_path / "receipt.wav"
    text = spoken("Hồ sơ của ông/bà đã được tiếp nhận. Mã hồ sơ: H12.22.10-261127-0002.", "vi")
    espeak("-w", str(path), text)
    with wave.open(str(path)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
        assert audio.getnchannels() == 1 and audio.getsampwidth() == 2
    assert seconds > 4.0  # the words and 17 characters spelled one by one take a while
    short = tmp_path / "short.wav"
    espeak("-w", str(short), "Xin chào")
    with wave.open(str(short)) as audio:
        assert audio.getnframes() / audio.getframerate() < seconds / 3


def test_the_voice_reads_an_id_number_digit_by_digit_once_spelled():
    number = "079195012345"
    assert len(phonemes(spoken(number, "vi"))) == len(number)  # one word per digit
    assert all(len(phonemes(digit)) == 1 for digit in set(number))
    # unspelled, it is read as one huge number ("… trăm … mươi …"): not twelve words
    assert len(phonemes(number)) != len(number)


def test_the_kiosk_engine_finds_the_vietnamese_voice_and_finishes_speaking(qtbot):
    if "speechd" not in QTextToSpeech.availableEngines():
        pytest.fail("Qt's speech-dispatcher plugin cannot load: run scripts/system-deps.sh "
                    "(libspeechd2, speech-dispatcher, speech-dispatcher-espeak-ng)")
    narrator = Narrator("speechd", "vi")
    try:
        assert narrator.available and narrator.speaks("vi") and narrator.set_language("vi")
        engine = narrator.engine
        assert "Vietnamese" in engine.voice().name()
        narrator.enabled = True
        with qtbot.waitSignal(engine.stateChanged, timeout=10_000,
                              check_params_cb=lambda s: s == QTextToSpeech.State.Speaking):
            assert narrator.say(spoken("Bước 1/8. Số định danh 079195012345.", "vi"))
        # with no sound server the default output never finishes: system-deps.sh set one that does
        qtbot.waitUntil(lambda: engine.state() == QTextToSpeech.State.Ready, timeout=30_000)
    finally:
        narrator.stop()
        narrator.deleteLater()
