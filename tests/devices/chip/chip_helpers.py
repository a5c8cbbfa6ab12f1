"""Shared test data for the virtual chip tests (a helper module: conftest names collide)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pcsc_harness import VirtualReader

from devices.card.chip import VirtualChip
from devices.card.chip.files import EF_CARD_ACCESS, EF_COM, EF_SOD, dg_fid
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import mrz_key_seed
from devices.card.icao.card_access import PaceInfo, build_card_access
from devices.card.icao.sm import SecureMessaging
from kiosk.app.cli import card

ROOT = Path(__file__).resolve().parents[3]
PROFILE = ROOT / "assets" / "profiles" / "01-tran-thi-minh-anh.toml"
CSCA = ROOT / "assets" / "test-pki" / "csca"
CARD_CLI = [sys.executable, "-m", "kiosk.app.cli.card", "card"]

# CCCD: PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (cccd.md section 4)
CARD_ACCESS = build_card_access([PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)])
# cccd.md section 5's example card: document number = last 9 digits of the ID
BAC_SEED = mrz_key_seed("195012345", "950314", "350314")
CAN = "012345"
SELECT_AID = bytes.fromhex("00A4040C07A0000002471001")  # SELECT the eMRTD application


def plain_files() -> dict[int, bytes]:
    """Recognisable contents (not valid LDS: these tests are about access and lengths)."""
    return {
        EF_CARD_ACCESS: CARD_ACCESS,
        EF_COM: bytes.fromhex("60145F0104303130375F36063034303030305C02616D"),
        dg_fid(1): bytes(range(256)) * 2 + b"DG1-end",
        dg_fid(2): bytes((i * 7) & 0xFF for i in range(40_000)),
        dg_fid(3): b"fingerprints",
        EF_SOD: b"\x77" * 300,
    }



def run_terminal(chip: VirtualChip, terminal: Any) -> SecureMessaging:
    """Run a BAC or PACE terminal against the chip, in process, to its secure channel."""
    cmd = terminal.start()
    while cmd is not None:
        cmd = terminal.step(chip.process(cmd.to_bytes()))
    return terminal.result


def sm_send(chip: VirtualChip, sm: SecureMessaging, cmd: CommandApdu) -> ResponseApdu:
    return sm.unprotect(chip.process(sm.protect(cmd).to_bytes()))


@contextmanager
def emulated(reader: VirtualReader, *options: str) -> Iterator[subprocess.Popen[str]]:
    """`kiosk card emulate` serving PROFILE on the vpcd slot until SIGTERM, which it must obey
    (exit 0, card gone from pcscd); killed if the test fails first."""
    process = subprocess.Popen(
        [*CARD_CLI, "emulate", "--vpcd", f"127.0.0.1:{reader.port}", "--profile", str(PROFILE),
         *options], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        assert "Virtual card on" in process.stdout.readline()
        assert reader.wait_card(present=True, timeout=10), "pcscd did not see the emulated card"
        yield process
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == card.EXIT_OK
        assert reader.wait_card(present=False)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
