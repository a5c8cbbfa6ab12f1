"""The sample portraits and CCCD QR images of the fictitious card profiles, and a sample photo of
a paper document, for the virtual reader and camera (demos, screenshots, tests).

``scripts/make_samples.py`` writes them into ``assets/``. Portraits are simple drawn avatars
(clearly not real faces), coloured deterministically from the ID number. QR images are made with segno without an ECI header, the way the cards' QR codes are
read by OpenCV and zxing-cpp alike. Output is deterministic, so re-running changes nothing.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import cv2
import numpy as np
import segno

from devices.card.profiles import load_profile
from devices.qr.cccd import render_cccd_qr
from kiosk.domain.identity import IdSource

__all__ = ["draw_document_photo", "draw_portrait", "write_all", "write_document_photo",
           "write_portrait", "write_qr"]


def _palette(seed: str) -> list[tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    return [(digest[i], digest[i + 1], digest[i + 2]) for i in range(0, 15, 3)]


def draw_portrait(seed: str, size: tuple[int, int] = (240, 320)) -> np.ndarray:
    """A flat cartoon head and shoulders with 'SAMPLE' across it: obviously not a photo."""
    width, height = size
    bg, shirt, hair, skin_shift, _ = _palette(seed)
    image = np.full((height, width, 3), [160 + c // 4 for c in bg], np.uint8)
    skin = (150 + skin_shift[0] // 8, 190 + skin_shift[1] // 10, 225)
    cx = width // 2
    cv2.ellipse(image, (cx, height), (width // 2 - 10, height // 4), 0, 180, 360, shirt, -1)
    cv2.rectangle(image, (cx - 18, height // 2), (cx + 18, height - height // 5), skin, -1)
    cv2.ellipse(image, (cx, height // 2 - 40), (width // 4 + 14, height // 4 + 8), 0, 180, 360, [c // 3 for c in hair], -1)
    cv2.ellipse(image, (cx, height // 2 - 30), (width // 4, height // 4), 0, 0, 360, skin, -1)
    for dx in (-24, 24):
        cv2.circle(image, (cx + dx, height // 2 - 40), 7, (40, 40, 40), -1)
    cv2.ellipse(image, (cx, height // 2), (26, 12), 0, 20, 160, (60, 60, 150), 3)
    cv2.putText(image, "SAMPLE", (18, height - 14), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (255, 255, 255), 3, cv2.LINE_AA)
    return image


def write_portrait(path: Path, seed: str) -> None:
    ok, data = cv2.imencode(".jpg", draw_portrait(seed), [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.tobytes())


def draw_document_photo(size: tuple[int, int] = (1280, 960)) -> np.ndarray:
    """A printed page (title, text lines, a signature, 'SAMPLE') lying at a slant on a dark
    table, as the kiosk's document camera would see it: for demos and screenshots."""
    page_w, page_h = 630, 891
    page = np.full((page_h, page_w, 3), 240, np.uint8)
    cv2.putText(page, "HOP DONG THUE NHA", (120, 80), cv2.FONT_HERSHEY_DUPLEX, 1.1, (25, 25, 25), 2)
    rng = np.random.default_rng(7)
    for y in range(130, page_h - 170, 30):
        cv2.rectangle(page, (60, y), (int(rng.integers(page_w // 2, page_w - 60)), y + 10),
                      (40, 40, 40), -1)
    cv2.ellipse(page, (460, page_h - 110), (70, 22), -12, 0, 300, (140, 40, 20), 3)
    cv2.putText(page, "SAMPLE", (150, 520), cv2.FONT_HERSHEY_DUPLEX, 3.0, (70, 70, 220), 6)
    width, height = size
    plain = np.full((height, width, 3), (46, 58, 74), np.uint8)
    scene = cv2.add(plain, rng.integers(0, 14, plain.shape, dtype=np.uint8))
    corners = np.array([[400, 80], [880, 115], [915, 880], [365, 845]], np.float32)
    matrix = cv2.getPerspectiveTransform(
        np.array([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]], np.float32), corners)
    warped = cv2.warpPerspective(page, matrix, (width, height))
    mask = cv2.warpPerspective(np.full((page_h, page_w), 255, np.uint8), matrix, (width, height))
    scene[mask > 0] = warped[mask > 0]
    return scene


def write_document_photo(path: Path) -> None:
    ok, data = cv2.imencode(".jpg", draw_document_photo(), [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.tobytes())


def write_qr(path: Path, payload: str) -> None:
    qr = segno.make(payload, encoding="utf-8", error="m", micro=False, eci=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    qr.save(str(path), kind="png", scale=4, border=4)


def write_all(profiles: Path, out: Path) -> list[str]:
    """Every profile's portrait (beside its TOML) and QR (``out/qr``), and the document photo
    (``out/documents``); returns what was written, one line each."""
    written = []
    for toml_path in sorted(profiles.glob("*.toml")):
        raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        id_number = str(raw["id_number"])
        if "portrait" in raw:
            write_portrait((toml_path.parent / raw["portrait"]).resolve(), id_number)
        profile = load_profile(toml_path)  # validates, now that the portrait exists
        write_qr(out / "qr" / f"{id_number}.png", render_cccd_qr(profile.identity(IdSource.QR)))
        written.append(f"{toml_path.name}: portrait and QR written")
    write_document_photo(out / "documents" / "page-photo.jpg")
    written.append("documents/page-photo.jpg written")
    return written
