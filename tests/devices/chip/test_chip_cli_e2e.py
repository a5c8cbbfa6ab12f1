"""`kiosk card read` (a process) against `kiosk card emulate` (another process) through pcscd + vpcd.

Nothing in process: the emulator serves the virtual CCCD to vsmartcard's driver in the real pcscd,
and the reader is the command a technician runs. Exit codes are the ones kiosk/app/cli/card.py
documents: 0 verified, 1 read but not verified, 4 card error (wrong CAN).
"""

from __future__ import annotations

import json
import subprocess

import pytest
from chip_helpers import CARD_CLI, CSCA, PROFILE, ROOT, emulated
from pcsc_harness import VirtualReader

from devices.card.profiles import load_profile
from kiosk.app.cli import card


def read(reader: VirtualReader, *key: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CARD_CLI, "read", "--reader", reader.name, "--csca", str(CSCA), "--json",
                           *key], cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def id_number() -> str:
    return load_profile(PROFILE).id_number


def test_pace_read_verifies(virtual_reader: VirtualReader, id_number: str) -> None:
    with emulated(virtual_reader):
        result = read(virtual_reader, "--can", id_number[-6:])
    assert result.returncode == card.EXIT_OK, result.stderr
    report = json.loads(result.stdout)
    assert report["access"] == "PACE" and report["verified"]
    assert report["active_authentication"]["status"] == "passed"


def test_bac_read_verifies(virtual_reader: VirtualReader, id_number: str) -> None:
    dob = load_profile(PROFILE).date_of_birth.strftime("%y%m%d")
    with emulated(virtual_reader, "--bac-only"):
        result = read(virtual_reader, "--id", id_number, "--dob", dob)
    assert result.returncode == card.EXIT_OK, result.stderr
    assert json.loads(result.stdout)["access"] == "BAC"


def test_wrong_can_fails_with_a_clear_message(virtual_reader: VirtualReader) -> None:
    with emulated(virtual_reader):
        result = read(virtual_reader, "--can", "000000")
    assert result.returncode == card.EXIT_CARD_ERROR
    assert "refused" in result.stderr and "ID number" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("options", "failed_check"), [
    (["--forgery", "bad_signature"], "sod_signature"),
    (["--forgery", "tampered_dg"], "dg_hash[13]"),
    (["--forgery", "untrusted_signer"], "ds_certificate_chain"),
])
def test_forged_sod_is_read_but_not_verified(virtual_reader: VirtualReader, id_number: str,
                                             options: list[str], failed_check: str) -> None:
    with emulated(virtual_reader, *options):
        result = read(virtual_reader, "--can", id_number[-6:])
    assert result.returncode == card.EXIT_NOT_VERIFIED, result.stderr
    report = json.loads(result.stdout)
    failed = [c for c in report["passive_authentication"] if c["status"] == "failed"]
    assert failed_check in [c["name"] for c in failed] and all(c["reason"] for c in failed)
    assert not report["verified"]


def test_clone_fails_active_authentication(virtual_reader: VirtualReader, id_number: str) -> None:
    with emulated(virtual_reader, "--clone"):
        result = read(virtual_reader, "--can", id_number[-6:])
    assert result.returncode == card.EXIT_NOT_VERIFIED, result.stderr
    report = json.loads(result.stdout)
    assert report["active_authentication"]["status"] == "failed"
    assert all(c["status"] == "passed" for c in report["passive_authentication"])


def test_verbose_prints_the_failing_step_status_word_and_detail(virtual_reader: VirtualReader
                                                                ) -> None:
    with emulated(virtual_reader):
        result = read(virtual_reader, "--can", "000000", "-v")
    assert result.returncode == card.EXIT_CARD_ERROR
    assert "step: PACE" in result.stderr and "status word: 6300" in result.stderr
    assert "detail: GENERAL AUTHENTICATE (token) answered 6300" in result.stderr


def test_a_clone_that_passes_passive_authentication_fails_chip_authentication(
        virtual_reader: VirtualReader, id_number: str) -> None:
    with emulated(virtual_reader, "--ca-clone", "--no-sfi", "6A82"):
        result = read(virtual_reader, "--id", id_number)
    assert result.returncode == card.EXIT_NOT_VERIFIED, result.stderr
    report = json.loads(result.stdout)
    assert all(c["status"] == "passed" for c in report["passive_authentication"])
    assert report["chip_authentication"]["status"] == "failed"
    assert report["authentications"] == {"PA": "passed", "AA": "passed", "CA": "failed"}


def test_the_report_shows_what_could_not_be_used(virtual_reader: VirtualReader,
                                                 id_number: str) -> None:
    with emulated(virtual_reader, "--broken", "dg2", "--broken", "dg13", "--extended-length"):
        result = read(virtual_reader, "--id", id_number, "--extended", "on")
    assert result.returncode == card.EXIT_OK, result.stderr
    report = json.loads(result.stdout)
    assert {m["part"] for m in report["missing"]} == {"portrait", "residence", "issue_date"}
    assert report["extended_length"] and report["apdus"] < 30
    assert report["authentications"]["CA"] == "passed"


def test_a_signed_master_list_is_a_csca_store_and_a_forged_one_is_refused(
        virtual_reader: VirtualReader, id_number: str, tmp_path) -> None:
    from devices.card.lds import pki
    from devices.card.lds.csca import build_master_list

    signing = pki.load()
    good = tmp_path / "good.ml"
    good.write_bytes(build_master_list([signing.csca_cert], signing.csca_key, signing.csca_cert))
    forged = tmp_path / "forged.ml"
    der = good.read_bytes()
    at = len(der) // 3  # inside the signed list of certificates
    forged.write_bytes(der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1:])
    with emulated(virtual_reader):
        ok = subprocess.run([*CARD_CLI, "read", "--reader", virtual_reader.name, "--csca",
                             str(good), "--id", id_number], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
        refused = subprocess.run([*CARD_CLI, "read", "--reader", virtual_reader.name, "--csca",
                                  str(forged), "--id", id_number], cwd=ROOT, capture_output=True,
                                 text=True, timeout=60)
    assert ok.returncode == card.EXIT_OK, ok.stderr
    assert "VERIFIED" in ok.stdout and "CA passed" in ok.stdout
    assert refused.returncode == card.EXIT_USAGE
    assert "master list" in refused.stderr
