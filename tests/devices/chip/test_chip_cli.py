"""`kiosk card readers|emulate|read` against the real pcscd + vpcd stack."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from chip_helpers import CARD_CLI, CSCA, PROFILE, ROOT, emulated
from pcsc_harness import VirtualReader

from devices.card.chip.builder import chip_from_profile
from devices.card.profiles import CardProfile, load_profile
from kiosk.app.cli import card


@pytest.fixture(scope="module")
def profile() -> CardProfile:
    return load_profile(PROFILE)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    return subprocess.run([*CARD_CLI, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def test_readers_lists_the_virtual_readers(virtual_reader: VirtualReader, capsys) -> None:
    assert card.main(["card", "readers"]) == card.EXIT_OK
    assert virtual_reader.name in capsys.readouterr().out


def test_readers_without_pcscd_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("readers", env={"PCSCLITE_CSOCK_NAME": str(tmp_path / "none.comm")})
    assert result.returncode == card.EXIT_NO_READER
    assert "pcscd" in result.stderr


def test_read_verifies_and_prints_identity(virtual_reader: VirtualReader, profile: CardProfile,
                                           capsys) -> None:
    with virtual_reader.inserted(chip_from_profile(profile)):
        code = card.main(["card", "read", "--reader", virtual_reader.name, "--id",
                          profile.id_number, "--csca", str(CSCA), "--json",
                          "--show-personal-data"])
        report = json.loads(capsys.readouterr().out)
        assert code == card.EXIT_OK
        assert report["verified"] and report["access"] == "PACE"
        assert report["identity"]["full_name"] == profile.full_name
        assert report["personal_data"] == "shown"
        assert report["portrait"]["bytes"] == len(profile.portrait_bytes())
        assert "data" not in report["portrait"]
        # no trust anchors: read fine, but not verified -> exit 1
        assert card.main(["card", "read", "--reader", virtual_reader.name,
                          "--can", profile.id_number[-6:]]) == card.EXIT_NOT_VERIFIED
        assert "NOT VERIFIED" in capsys.readouterr().out
        assert card.main(["card", "read", "--reader", virtual_reader.name,
                          "--can", "000000"]) == card.EXIT_CARD_ERROR
        assert "refused" in capsys.readouterr().err


@pytest.mark.parametrize("as_json", [False, True])
def test_read_masks_personal_data_by_default(virtual_reader: VirtualReader, profile: CardProfile,
                                            capsys, as_json: bool) -> None:
    """Under systemd stdout goes to journald: initials, ***345, birth year, no address."""
    with virtual_reader.inserted(chip_from_profile(profile)):
        code = card.main(["card", "read", "--reader", virtual_reader.name, "--id",
                          profile.id_number, "--csca", str(CSCA), *(["--json"] if as_json else [])])
    out = capsys.readouterr().out
    assert code == card.EXIT_OK
    secrets = [profile.full_name, profile.id_number, profile.id_number[3:],
               profile.date_of_birth.strftime("%d/%m/%Y"), profile.date_of_birth.strftime("%y%m%d")]
    assert profile.residence
    secrets += [part for part in profile.residence.split(", ") if len(part) > 3]
    for secret in secrets:
        assert secret not in out
    initials = " ".join(f"{word[0]}." for word in profile.full_name.split())
    assert initials in out and f"***{profile.id_number[-3:]}" in out
    if as_json:
        report = json.loads(out)
        assert report["personal_data"] == "masked"
        assert "residence" not in report["identity"] and "place_of_origin" not in report["identity"]
        assert report["identity"]["date_of_birth_text"] == str(profile.date_of_birth.year)
        assert report["mrz"]["birth"] == profile.date_of_birth.strftime("%y") + "****"
    else:
        assert "--show-personal-data" in out and "VERIFIED" in out


def test_mask_personal_keeps_what_is_not_personal() -> None:
    masked = card.mask_personal({
        "full_name": "Nguyễn  Văn A", "name": "TRAN<<THI<MINH", "id_number": "079195012345",
        "document_number": "12", "date_of_birth_text": "14/03/1995", "birth": "950314",
        "residence": "12 Lê Lợi", "religion": "Không", "sex_text": "Nam", "expiry": "350314",
        "raw": "abc", "chip_id": None})
    assert masked == {"full_name": "N. V. A.", "name": "T. T. M.", "id_number": "***345",
                      "document_number": "***", "date_of_birth_text": "1995", "birth": "95****",
                      "sex_text": "Nam", "expiry": "350314",
                      "raw": "(3 characters; --show-personal-data prints them)"}


@pytest.mark.parametrize("args", [["--can", "12"], ["--id", "0791", "--dob", "950314"],
                                  ["--id", "079195012345", "--dob", "1995-03-14"], []])
def test_read_usage_errors(args: list[str], capsys) -> None:
    assert card.main(["card", "read", *args]) == card.EXIT_USAGE
    assert "card read:" in capsys.readouterr().err


def test_emulate_serves_until_sigterm(virtual_reader: VirtualReader) -> None:
    with emulated(virtual_reader):  # asserts the card appears, then leaves on SIGTERM (exit 0)
        pass


def test_emulate_rejects_bad_arguments() -> None:
    result = run_cli("emulate", "--vpcd", "localhost:x", "--profile", str(PROFILE))
    assert result.returncode == card.EXIT_USAGE
    result = run_cli("emulate", "--profile", str(PROFILE), "--hostile", "explode")
    assert result.returncode == card.EXIT_USAGE and "unknown hostile mode" in result.stderr
