"""`kiosk doctor`'s read-aloud check: the Vietnamese voice is installed, Qt's speech plugin can
load and find it, and speaking finishes.

Why each step: without ``libspeechd.so.2`` Qt's speech plugin does not load and the kiosk's "Đọc
to" key simply stays hidden; without eSpeak NG's Vietnamese there is no voice to read with; and
speech-dispatcher's default PulseAudio output with no sound server never finishes speaking, so the
kiosk's reading would hang with it. The check speaks one silent word (volume -100) through
speech-dispatcher, as the kiosk would, with a deadline.
"""

from __future__ import annotations

import ctypes.util
import re
import shutil
import subprocess
from pathlib import Path

from kiosk.app.doctor import CheckResult, DoctorContext, Status, probe

__all__ = ["check_speech", "sound_cards", "speechd_output"]

PASS, WARN, FAIL = Status.PASS, Status.WARN, Status.FAIL
SPEECHD_CONF = Path("/etc/speech-dispatcher/speechd.conf")
SOUND_CARDS = Path("/proc/asound/cards")
SPEAK_TIMEOUT_S = 15.0
FIX = ("run scripts/system-deps.sh as root: it installs speech-dispatcher, "
       "speech-dispatcher-espeak-ng, espeak-ng and libspeechd2 and sets speech-dispatcher's sound "
       "output for this machine")

_PROBE = """
import json
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtTextToSpeech import QTextToSpeech
app = QCoreApplication([])
out = {"engines": list(QTextToSpeech.availableEngines())}
if "speechd" in out["engines"]:
    tts = QTextToSpeech("speechd")
    out["state"] = tts.state().name
    out["error"] = tts.errorString()
    out["vietnamese"] = [loc.name() for loc in tts.availableLocales()
                         if loc.language() == QLocale.Language.Vietnamese]
print(json.dumps(out))
"""


def sound_cards(path: Path | None = None) -> int:
    """How many sound cards ALSA lists (0 on a headless machine)."""
    path = SOUND_CARDS if path is None else path
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return len(re.findall(r"^\s*\d+\s+\[", text, flags=re.M))


def speechd_output(path: Path | None = None) -> tuple[str, str]:
    """(AudioOutputMethod, AudioALSADevice) in speech-dispatcher's configuration; its defaults
    ("pulse", "default") where the file does not set them."""
    path = SPEECHD_CONF if path is None else path
    method, device = "pulse", "default"
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return method, device
    for line in lines:
        found = re.match(r'\s*(AudioOutputMethod|AudioALSADevice)\s+"([^"]*)"', line)
        if found and found.group(1) == "AudioOutputMethod":
            method = found.group(2)
        elif found:
            device = found.group(2)
    return method, device


def check_speech(ctx: DoctorContext) -> CheckResult:
    missing = [name for name, found in (
        ("speech-dispatcher", shutil.which("speech-dispatcher")),
        ("espeak-ng", shutil.which("espeak-ng")),
        ("libspeechd.so.2 (libspeechd2)", ctypes.util.find_library("speechd")))
        if not found]
    if missing:
        return CheckResult("speech", FAIL, "read aloud is off: " + ", ".join(missing)
                           + " not installed", FIX)
    data, error = probe(ctx, _PROBE, timeout=20.0)
    if data is None:
        return CheckResult("speech", FAIL, f"Qt's speech plugin could not be asked: {error}", FIX)
    if "speechd" not in data["engines"]:
        return CheckResult("speech", FAIL, "Qt lists no speech-dispatcher engine (engines: "
                           f"{', '.join(data['engines']) or 'none'}): read aloud is off", FIX,
                           details=data)
    if not data.get("vietnamese"):
        return CheckResult("speech", FAIL, "speech-dispatcher has no Vietnamese voice: read "
                           "aloud would use another language's voice", FIX, details=data)
    method, device = speechd_output()
    cards = sound_cards()
    details = {**data, "audio_output": method, "alsa_device": device, "sound_cards": cards}
    if not cards and not (method.split(",")[0].strip() == "alsa" and device == "null"):
        return CheckResult("speech", FAIL, f"this machine has no sound card and speech-dispatcher "
                           f"plays through {method!r} (ALSA device {device!r}): speaking would "
                           "never finish", FIX, details)
    finished, why = _speaks(ctx)
    if not finished:
        return CheckResult("speech", FAIL, f"speaking did not finish: {why}", FIX, details)
    voice = f"Vietnamese voice ready ({', '.join(data['vietnamese'])}, through {method})"
    if not cards:
        return CheckResult("speech", WARN, voice + ", but this machine has no sound card: speech "
                           "goes to ALSA's null device and nobody hears it",
                           "connect speakers and run scripts/system-deps.sh again", details)
    if device == "null":
        return CheckResult("speech", WARN, voice + ", but ALSA's null device is set: nobody "
                           "hears it", "run scripts/system-deps.sh again", details)
    return CheckResult("speech", PASS, voice, details=details)


def _speaks(ctx: DoctorContext) -> tuple[bool, str]:
    """One silent word through speech-dispatcher, as the kiosk speaks, within the deadline."""
    argv = ["spd-say", "--wait", "--language", "vi", "--volume", "-100", "kiểm tra"]
    try:
        done = ctx.runner(argv, SPEAK_TIMEOUT_S, None)
    except subprocess.TimeoutExpired:
        return False, f"no end within {SPEAK_TIMEOUT_S:.0f} s (the sound output hangs)"
    except OSError as exc:
        return False, f"spd-say could not start ({exc.strerror})"
    if done.returncode != 0:
        return False, (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    return True, ""
