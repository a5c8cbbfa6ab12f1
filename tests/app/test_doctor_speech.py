"""`kiosk doctor`'s read-aloud check: the real voice on this machine, and the headless trap (a
sound output that would never finish speaking) found before a citizen presses "Đọc to"."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

import pytest

from kiosk.domain.config import load_config
from kiosk.app import doctor_speech
from kiosk.app.doctor import DoctorContext, Status

NO_CARD = "--- no soundcards ---\n"
ONE_CARD = " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000 irq 32\n"


def ctx_with(spd_say) -> DoctorContext:
    """The Qt probe runs for real; ``spd-say`` is answered by ``spd_say(argv, timeout)``."""
    def run(argv: Sequence[str], timeout: float, env: dict | None):
        if argv[0] == "spd-say":
            return spd_say(argv, timeout)
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                              env=env, check=False)
    return DoctorContext(load_config(env={}), runner=run)


def finishes(argv, _timeout):
    return subprocess.CompletedProcess(argv, 0, "", "")


def hangs(argv, timeout):
    raise subprocess.TimeoutExpired(argv, timeout)


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A speech-dispatcher configuration and an ALSA card list of our own."""
    conf, cards = tmp_path / "speechd.conf", tmp_path / "cards"
    monkeypatch.setattr(doctor_speech, "SPEECHD_CONF", conf)
    monkeypatch.setattr(doctor_speech, "SOUND_CARDS", cards)

    def set_up(output: str, device: str, sound: str) -> None:
        conf.write_text(f'# comment\n#AudioOutputMethod "libao"\nAudioOutputMethod "{output}"\n'
                        f'AudioALSADevice "{device}" # set by hand\n', encoding="utf-8")
        cards.write_text(sound, encoding="utf-8")
    return set_up


def test_the_config_and_the_sound_cards_are_read_as_speech_dispatcher_and_alsa_do(tmp_path):
    conf = tmp_path / "speechd.conf"
    assert doctor_speech.speechd_output(conf) == ("pulse", "default")  # no file: its defaults
    conf.write_text('AudioOutputMethod "pulse,alsa"\n  AudioALSADevice "null"\n', encoding="utf-8")
    assert doctor_speech.speechd_output(conf) == ("pulse,alsa", "null")
    cards = tmp_path / "cards"
    cards.write_text(NO_CARD, encoding="utf-8")
    assert doctor_speech.sound_cards(cards) == 0
    cards.write_text(ONE_CARD, encoding="utf-8")
    assert doctor_speech.sound_cards(cards) == 1
    assert doctor_speech.sound_cards(tmp_path / "missing") == 0


def test_pulseaudio_without_a_sound_card_is_the_headless_trap(machine):
    machine("pulse", "default", NO_CARD)
    result = doctor_speech.check_speech(ctx_with(finishes))
    assert result.status is Status.FAIL and "never finish" in result.message
    assert "system-deps.sh" in result.fix


def test_speaking_that_never_ends_fails_with_the_deadline(machine):
    machine("pulse,alsa", "default", ONE_CARD)
    result = doctor_speech.check_speech(ctx_with(hangs))
    assert result.status is Status.FAIL and "no end within 15 s" in result.message


def test_a_machine_with_speakers_passes_and_a_silent_one_warns(machine):
    machine("pulse,alsa", "default", ONE_CARD)
    result = doctor_speech.check_speech(ctx_with(finishes))
    assert result.status is Status.PASS and "vi_VN" in result.message
    machine("alsa", "null", NO_CARD)
    result = doctor_speech.check_speech(ctx_with(finishes))
    assert result.status is Status.WARN and "nobody hears it" in result.message


def test_a_missing_package_names_itself(monkeypatch):
    monkeypatch.setattr(doctor_speech.shutil, "which",
                        lambda name: None if name == "espeak-ng" else f"/usr/bin/{name}")
    result = doctor_speech.check_speech(ctx_with(finishes))
    assert result.status is Status.FAIL and "espeak-ng not installed" in result.message


def test_this_machine_speaks_vietnamese_to_the_end():
    """scripts/system-deps.sh set this machine up: the voice is there and speaking finishes
    (WARN, not FAIL, on a build machine without speakers)."""
    result = doctor_speech.check_speech(DoctorContext(load_config(env={})))
    assert result.status is not Status.FAIL, result.message
