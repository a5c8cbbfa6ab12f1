"""The sample portraits and QR images: present, small, deterministic, and readable end to end."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from device_helpers import PROFILES_DIR, SAMPLES_DIR

from devices.camera import open_camera
from devices import samples
from devices.card.profiles import list_profiles
from devices.qr import QrScanner
from devices.qr.cccd import parse_cccd_qr
from kiosk.domain.identity import IdSource

PROFILES = list_profiles(PROFILES_DIR)


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
    """The same drawing and the same QR modules as the committed samples; the encoders' bytes may
    differ between library versions, so pixels are compared (JPEG: within its loss)."""
    from devices.qr.cccd import render_cccd_qr

    for profile in PROFILES:
        drawn = samples.draw_portrait(profile.id_number)
        assert np.array_equal(drawn, samples.draw_portrait(profile.id_number))
        samples.write_portrait(tmp_path / "p.jpg", profile.id_number)
        made, committed = cv2.imread(str(tmp_path / "p.jpg")), cv2.imread(str(profile.portrait))
        assert made.shape == committed.shape == drawn.shape
        assert np.abs(made.astype(int) - committed.astype(int)).mean() < 2.0
        qr = tmp_path / "q.png"
        samples.write_qr(qr, render_cccd_qr(profile.identity(IdSource.QR)))
        assert np.array_equal(cv2.imread(str(qr)),
                              cv2.imread(str(SAMPLES_DIR / "qr" / f"{profile.id_number}.png")))


def test_write_all_writes_every_sample_into_the_given_folders(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    source = PROFILES[0].source_path
    (profiles / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    lines = samples.write_all(profiles, tmp_path / "out")
    assert lines == [f"{source.name}: portrait and QR written", "documents/page-photo.jpg written"]
    [decoded] = QrScanner().decode(cv2.imread(str(tmp_path / "out" / "qr" / f"{PROFILES[0].id_number}.png")))
    assert parse_cccd_qr(decoded.text).identity.id_number == PROFILES[0].id_number
    assert cv2.imread(str(tmp_path / "out" / "documents" / "page-photo.jpg")).shape == (960, 1280, 3)


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
