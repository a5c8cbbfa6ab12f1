"""One contract suite for every camera backend (virtual, and opencv reading a generated AVI)."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from device_helpers import Recorder

from devices.camera import Frame, errors, open_camera

SIZE = (160, 120)
LEVELS = (0, 60, 120, 180, 240)


def write_clip(path: Path) -> Path:
    """A tiny MJPG/AVI whose frames are flat grey levels, so frames can be told apart."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, SIZE)
    assert writer.isOpened()
    for level in LEVELS:
        writer.write(np.full((SIZE[1], SIZE[0], 3), level, np.uint8))
    writer.release()
    return path


@pytest.fixture(params=["virtual", "opencv"])
def backend(request, tmp_path):
    clip = write_clip(tmp_path / "clip.avi")
    options = {"virtual": {"source": clip, "fps": 50}, "opencv": {"device": clip, "fps": 50}}
    camera = open_camera(request.param, **options[request.param])
    yield request.param, camera, clip
    camera.stop()


def next_frames(camera, count: int) -> list[Frame]:
    frames, last = [], -1
    for _ in range(count):
        frame = camera.wait_frame(after=last, timeout=3.0)
        frames.append(frame)
        last = frame.index
    return frames


def test_nothing_before_start(backend):
    _, camera, _ = backend
    assert camera.latest() is None
    with pytest.raises(errors.FrameTimeout):
        camera.wait_frame(timeout=0.05)


def test_frames_are_bgr_indexed_and_timestamped(backend):
    _, camera, _ = backend
    camera.start()
    frames = next_frames(camera, 6)
    indexes = [f.index for f in frames]
    assert indexes == sorted(set(indexes))  # strictly increasing
    assert all(b.timestamp >= a.timestamp for a, b in zip(frames, frames[1:]))
    for frame in frames:
        assert frame.image.dtype == np.uint8 and frame.image.shape == (SIZE[1], SIZE[0], 3)
    assert "Frame(index=" in repr(frames[0]) and "array" not in repr(frames[0])


def test_the_clip_plays_in_order_and_loops(backend):
    _, camera, _ = backend
    camera.start()
    levels = [int(round(f.image.mean() / 60.0)) * 60 for f in next_frames(camera, 2 * len(LEVELS) + 1)]
    start = levels.index(0)
    assert levels[start:start + len(LEVELS)] == list(LEVELS)  # in order, then from the start again
    assert levels.count(0) >= 2


def test_subscribers_get_frames_on_the_capture_thread_and_can_leave(backend):
    _, camera, _ = backend
    frames, dropped = Recorder(), Recorder()
    camera.subscribe(frames)
    camera.subscribe(dropped)()  # unsubscribed at once
    camera.start()
    frames.wait_for(lambda f: f.index >= 3)
    assert threading.current_thread().name not in frames.threads
    assert dropped.items == []


def test_latest_keeps_only_the_newest_frame(backend):
    _, camera, _ = backend
    camera.start()
    first = camera.wait_frame()
    later = camera.wait_frame(after=first.index + 3)
    assert camera.latest().index >= later.index > first.index
    camera.stop()
    final = camera.latest()
    assert final is not None
    with pytest.raises(errors.FrameTimeout):
        camera.wait_frame(after=final.index, timeout=0.2)


def test_stop_is_idempotent_and_the_camera_restarts(backend):
    _, camera, _ = backend
    camera.stop()
    camera.start()
    camera.start()
    camera.wait_frame()
    camera.stop(timeout=2.0)
    camera.stop()
    camera.start()
    assert camera.wait_frame().index == 0  # counting starts again


def test_a_missing_source_is_camera_not_found(backend, tmp_path):
    name, _, _ = backend
    missing = tmp_path / "no-such-clip.avi"
    with pytest.raises(errors.CameraNotFound) as info:
        camera = open_camera(name, **({"source": missing} if name == "virtual" else {"device": missing}))
        camera.start()
    assert "no-such-clip.avi" in str(info.value)
