"""The sample portraits and QR images: present, small, deterministic, and readable end to end."""

from __future__ import annotations

import importlib.util

import cv2
import pytest
from device_helpers import PROFILES_DIR, ROOT, SAMPLES_DIR

from devices.camera import open_camera
from devices.card.profiles import list_profiles
from devices.qr import QrScanner
from devices.qr.cccd import parse_cccd_qr
from kiosk.domain.identity import IdSource

PROFILES = list_profiles(PROFILES_DIR)


def load_script():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def qr_fields(identity):
    keep = ("id_number", "full_name", "date_of_birth", "sex", "residence", "issue_date", "old_id_number")
    return {k: getattr(identity, k) for k in keep}


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.source_path.stem)
def test_each_sample_qr_decodes_to_its_profile(profile):
    image = cv2.imread(str(SAMPLES_DIR / "qr" / f"{profile.id_number}.png"))
    [decoded] = QrScanner().decode(image)
    qr = parse_cccd_qr(decoded.text)
    assert qr.identity.source is IdSource.QR
    assert qr_fields(qr.identity) == qr_fields(profile.identity())
    assert qr.old_id == profile.old_id_number


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.source_path.stem)
def test_sample_qr_is_also_readable_by_opencv(profile):
    image = cv2.imread(str(SAMPLES_DIR / "qr" / f"{profile.id_number}.png"))
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert parse_cccd_qr(text).identity.id_number == profile.id_number


def test_samples_are_small_and_portraits_are_jpegs():
    files = [p for p in SAMPLES_DIR.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    for profile in PROFILES:
        data = profile.portrait.read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and len(data) < 60_000


def test_generation_is_deterministic(tmp_path):
    script = load_script()
    for profile in PROFILES:
        script.write_portrait(tmp_path / "p.jpg", profile.id_number)
        assert (tmp_path / "p.jpg").read_bytes() == profile.portrait.read_bytes()
        qr = tmp_path / "q.png"
        from devices.qr.cccd import render_cccd_qr

        script.write_qr(qr, render_cccd_qr(profile.identity(IdSource.QR)))
        assert qr.read_bytes() == (SAMPLES_DIR / "qr" / f"{profile.id_number}.png").read_bytes()


def test_a_citizen_shows_the_qr_to_the_virtual_camera():
    profile = PROFILES[0]
    camera = open_camera("virtual", fps=30)
    scanner = QrScanner()
    camera.start()
    try:
        assert scanner.decode(camera.wait_frame()) == []  # idle scene
        camera.show(SAMPLES_DIR / "qr" / f"{profile.id_number}.png")
        frame = camera.wait_frame(after=camera.wait_frame().index + 1)
        [decoded] = scanner.decode(frame)
    finally:
        camera.stop()
    assert parse_cccd_qr(decoded.text).identity.id_number == profile.id_number
