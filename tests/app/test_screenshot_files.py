"""`make screenshots` rewrites a picture only when its pixels changed, and optimises it losslessly,
so the repository's history grows only by the screens that changed."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.app.screenshots import same_pixels, save_if_changed


def picture(colour: str = "#1B2430") -> QImage:
    image = QImage(64, 40, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    for x in range(0, 64, 3):
        image.setPixelColor(x, x % 40, QColor("#F2C94C"))
    return image


def test_an_unchanged_screen_leaves_its_file_alone(qapp, tmp_path):
    path = tmp_path / "01-welcome.png"
    assert save_if_changed(picture(), path, optimise=False)
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    assert not save_if_changed(picture(), path, optimise=False)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_a_changed_pixel_rewrites_the_file(qapp, tmp_path):
    path = tmp_path / "01-welcome.png"
    save_if_changed(picture(), path, optimise=False)
    changed = picture()
    changed.setPixelColor(1, 1, QColor("#FFFFFF"))
    assert not same_pixels(changed, path)
    assert save_if_changed(changed, path, optimise=False)
    assert same_pixels(changed, path)


@pytest.mark.skipif(shutil.which("optipng") is None, reason="optipng (scripts/system-deps.sh test)")
def test_optimising_keeps_every_pixel(qapp, tmp_path):
    plain, optimised = tmp_path / "plain.png", tmp_path / "optimised.png"
    save_if_changed(picture(), plain, optimise=False)
    save_if_changed(picture(), optimised, optimise=True)
    assert same_pixels(QImage(str(plain)), optimised)
    assert optimised.stat().st_size <= plain.stat().st_size
