"""What each camera backend does beyond the contract."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera import errors
from devices.camera.opencv import OpenCvCamera
from devices.camera.virtual import VirtualCamera


def solid(level: int, size=(64, 48)) -> np.ndarray:
    return np.full((size[1], size[0], 3), level, np.uint8)


@pytest.fixture
def folder(tmp_path):
    for i, level in enumerate((10, 100, 200)):
        cv2.imwrite(str(tmp_path / f"{i:02d}.png"), solid(level))
    (tmp_path / "notes.txt").write_text("not an image")
    return tmp_path


def levels(camera, count):
    out, last = [], -1
    for _ in range(count):
        frame = camera.wait_frame(after=last, timeout=3.0)
        out.append(int(frame.image.mean()))
        last = frame.index
    return out


def test_virtual_plays_a_folder_in_name_order(folder):
    camera = VirtualCamera(folder, fps=100)
    camera.start()
    try:
        seen = levels(camera, 7)
    finally:
        camera.stop()
    start = seen.index(10)
    assert seen[start:start + 4] == [10, 100, 200, 10]


def test_show_and_clear_script_what_the_camera_sees(folder):
    camera = VirtualCamera(folder, fps=100)
    camera.start()
    try:
        camera.show(solid(77))
        first = camera.wait_frame()
        shown = camera.wait_frame(after=first.index + 1)
        assert int(shown.image.mean()) == 77
        assert not shown.image.flags.writeable  # shared with every subscriber
        camera.clear()
        cleared = camera.wait_frame(after=camera.wait_frame().index + 1)
        assert int(cleared.image.mean()) in (10, 100, 200)
    finally:
        camera.stop()


def test_show_accepts_a_path_and_an_idle_camera_sees_grey(folder):
    camera = VirtualCamera(fps=100, size=(32, 24))
    camera.start()
    try:
        idle = camera.wait_frame()
        assert idle.image.shape == (24, 32, 3) and int(idle.image.mean()) == 200
        camera.show(folder / "00.png")
        frame = camera.wait_frame(after=camera.wait_frame().index + 1)
        assert int(frame.image.mean()) == 10
    finally:
        camera.stop()


def test_virtual_rejects_unreadable_images(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png")
    camera = VirtualCamera(bad)
    with pytest.raises(errors.CameraNotFound, match="broken.png"):
        camera.start()
    with pytest.raises(ValueError):
        VirtualCamera(fps=0)


def test_opencv_missing_device_index_is_camera_not_found():
    camera = OpenCvCamera(device=97, read_timeout=0.5)
    with pytest.raises(errors.CameraNotFound, match="device 97"):
        camera.start()


def test_opencv_releases_the_file_on_stop(tmp_path):
    clip = tmp_path / "c.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 10, (32, 24))
    writer.write(solid(50, (32, 24)))
    writer.release()
    camera = OpenCvCamera(clip, fps=100, loop_file=False, read_timeout=0.3)
    camera.start()
    camera.wait_frame()
    # Without looping, the end of the file is a camera that stopped sending pictures.
    with pytest.raises(errors.CameraDisconnected):
        camera.wait_frame(after=10_000, timeout=5.0)
    assert camera.error is not None
    camera.stop()
    assert camera._capture is None
