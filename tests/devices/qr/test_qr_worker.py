"""The scan worker on the real virtual camera: results once per scan, hints, never blocking capture."""

from __future__ import annotations

import io
import threading

import cv2
import numpy as np
import pytest
import segno

from devices.camera import open_camera
from devices.qr.cccd import CccdQr
from devices.qr.pipeline import QrPipeline
from devices.qr.quality import Quality, choose_hint, measure
from devices.qr.receipt import ReceiptQr, build_receipt_qr
from devices.qr.worker import ScanResult, ScanWorker

ANH = (
    "079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ|"
    "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|10052021"
)
WAIT_S = 10.0


def scene(text: str | None, *, scale: int = 5, at: tuple[int, int] = (200, 100), size=(1280, 720)) -> np.ndarray:
    image = np.full((size[1], size[0], 3), 170, np.uint8)
    if text is not None:
        buffer = io.BytesIO()
        segno.make(text, encoding="utf-8", micro=False).save(buffer, kind="png", scale=scale, border=4)
        code = cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)
        code = np.where(code > 127, 225, 35).astype(np.uint8)  # paper and ink, as a camera sees them
        x, y = at
        image[y : y + code.shape[0], x : x + code.shape[1]] = code
    return image


class Collector:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: list = []

    def __call__(self, item) -> None:
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def wait_for(self, predicate, timeout: float = WAIT_S):
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(self.items), timeout), f"got {self.items!r}"
            return list(self.items)


class CountingPipeline(QrPipeline):
    """The real pipeline, counting the frames it ran on so tests can wait for N more of them."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        super().__init__()
        self.runs = Collector()
        self.gate = gate

    def run(self, image, thorough=True):
        if self.gate is not None:
            assert self.gate.wait(WAIT_S)
        result = super().run(image, thorough=thorough)
        self.runs(len(result.decoded))
        return result


@pytest.fixture
def camera():
    cam = open_camera("virtual", fps=60.0, size=(1280, 720))
    cam.start()
    yield cam
    cam.stop()


def test_a_code_held_in_view_is_reported_once(camera):
    results, pipeline = Collector(), CountingPipeline()
    with ScanWorker(camera, results, pipeline=pipeline):
        camera.show(scene(ANH))
        [result] = results.wait_for(lambda r: len(r) == 1)
        seen = len(pipeline.runs.items)
        pipeline.runs.wait_for(lambda runs: len(runs) >= seen + 10 and all(runs[seen:]))
        assert len(results.items) == 1  # ten more frames decoded the same code: still one scan
    assert isinstance(result, ScanResult) and isinstance(result.payload, CccdQr)
    assert result.payload.identity.full_name == "Trần Thị Minh Anh"
    assert result.error is None and result.format == "QRCode"
    assert "Minh" not in repr(result) and "079195012345" not in repr(result)


def test_a_bad_payload_is_reported_with_its_typed_error_and_a_new_code_counts(camera):
    results = Collector()
    with ScanWorker(camera, results) as worker:
        camera.show(scene(ANH.replace("|Nữ|", "|Nam|")))
        [bad] = results.wait_for(lambda r: len(r) == 1)
        assert bad.payload is None and bad.error.code == "id_mismatch"
        import datetime as dt

        camera.show(scene(build_receipt_qr("Q-261127-0001", "H12.22.10", dt.date(2026, 11, 27))))
        items = results.wait_for(lambda r: len(r) == 2)
        assert isinstance(items[1].payload, ReceiptQr)
        worker.reset()
        camera.show(scene(ANH.replace("|Nữ|", "|Nam|"), at=(600, 300)))
        results.wait_for(lambda r: len(r) == 3)  # after reset, the same code counts again


def test_a_slow_decoder_never_blocks_capture(camera):
    gate = threading.Event()
    pipeline, results = CountingPipeline(gate), Collector()
    worker = ScanWorker(camera, results, pipeline=pipeline)
    worker.start()
    try:
        camera.show(scene(ANH))
        first = camera.wait_frame()
        later = camera.wait_frame(after=first.index + 20, timeout=WAIT_S)  # decoder is stuck meanwhile
        assert later.index >= first.index + 21
        assert worker.stats.frames_dropped >= 15 and worker.stats.frames_decoded == 0
    finally:
        gate.set()
        worker.stop()
    assert len(results.items) <= 1


def test_roi_ignores_codes_outside_the_frame_guide(camera):
    results, hints, pipeline = Collector(), Collector(), CountingPipeline()
    roi = (0.5, 0.0, 0.5, 1.0)  # right half only
    with ScanWorker(camera, results, on_hint=hints, pipeline=pipeline, roi=roi):
        camera.show(scene(ANH, at=(100, 100)))
        pipeline.runs.wait_for(lambda runs: len(runs) >= 5)
        assert results.items == []
        camera.show(scene(ANH, at=(800, 100)))
        results.wait_for(lambda r: len(r) == 1)
    assert hints.items and hints.items[0].code == "show_code"


def test_hints_come_from_what_the_camera_sees(camera):
    hints = Collector()
    with ScanWorker(camera, Collector(), on_hint=hints, hint_interval_s=0.0):
        camera.show(np.full((720, 1280, 3), 20, np.uint8))
        hints.wait_for(lambda h: h and h[-1].code == "dark")
        glare = scene(ANH, scale=3)
        cv2.circle(glare, (300, 200), 90, (255, 255, 255), -1)  # a reflection over the code
        camera.show(glare)
        hints.wait_for(lambda h: h[-1].code == "glare")
    codes = [h.code for h in hints.items]  # the camera's idle grey scene may come first
    assert codes[codes.index("dark"):] == ["dark", "glare"]  # each reported when it changes
    assert hints.items[0].vietnamese and hints.items[0].english == "Too dark: move the card into the light"


def test_choose_hint_rules():
    sharp = measure(scene(ANH, scale=5))
    blurred = measure(cv2.GaussianBlur(scene(ANH, scale=5), (0, 0), 6))
    assert sharp.sharpness > 10 * blurred.sharpness
    assert choose_hint(blurred, 1280).code == "still"
    assert choose_hint(sharp, 1280).code == "show_code"
    small = np.array([[10, 10], [60, 10], [60, 60], [10, 60]], float)
    big = small * 8
    assert choose_hint(sharp, 1280, [small]).code == "closer"
    assert choose_hint(sharp, 1280, [big]).code == "still"
    assert choose_hint(Quality(500.0, 30.0, 0.0, 40.0), 1280, [small]).code == "dark"
    assert choose_hint(Quality(500.0, 200.0, 0.2, 40.0), 1280).code == "glare"
    assert choose_hint(measure(np.full((720, 1280, 3), 170, np.uint8)), 1280).code == "show_code"
    assert sharp.glare == 0.0  # white modules and the quiet zone are not glare


def test_pipeline_reports_located_but_unreadable_codes():
    image = scene(ANH, scale=5)
    damaged = image.copy()
    damaged[100 + 60 : 100 + 200, 200 + 60 : 200 + 200] = 0  # a black patch over the middle
    result = QrPipeline().run(damaged)
    assert result.decoded == [] and result.stage is None
    assert QrPipeline().run(image).stage == 0


def test_fallbacks_run_on_thorough_frames_or_after_a_code_was_located():
    inverted = 255 - scene(ANH, scale=4)  # light modules on dark: only a fallback tries inverting
    pipeline = QrPipeline()
    assert pipeline.run(inverted, thorough=False).decoded == []
    result = pipeline.run(inverted, thorough=True)
    assert [d.text for d in result.decoded] == [ANH] and result.stage > 0
    assert pipeline.run(scene(None), thorough=True).decoded == []


def test_located_stages_read_only_the_region_around_a_located_code():
    from devices.qr.pipeline import Stage, _region

    grey = cv2.cvtColor(scene(ANH, scale=2, at=(500, 300)), cv2.COLOR_BGR2GRAY)
    side = 2 * (len(segno.make(ANH, encoding="utf-8", micro=False).matrix) + 8)
    quad = np.array([[500, 300], [500 + side, 300], [500 + side, 300 + side], [500, 300 + side]], float)
    region = _region(grey, quad)
    assert side < region.shape[0] < 2 * side and side < region.shape[1] < 2 * side
    enlarge = Stage(scale=2.0, when="located")
    pipeline = QrPipeline(stages=(Stage(binarizer="GlobalHistogram", scale=0.25), enlarge))
    decoded, _ = pipeline._stage(grey, enlarge, [quad])
    assert [d.text for d in decoded] == [ANH]
    assert pipeline._stage(grey, enlarge, [quad + [0, 380]])[0] == []  # a region with no code in it
    assert _region(grey, np.array([[-50, -50], [-40, -50], [-40, -40], [-50, -40]], float)) is None


def test_stage_and_worker_arguments_are_checked(camera):
    from devices.qr.pipeline import Stage

    with pytest.raises(ValueError):
        Stage(scale=2.0)  # only stages on located regions enlarge
    with pytest.raises(ValueError):
        ScanWorker(camera, Collector(), max_fps=0)
    with pytest.raises(ValueError):
        ScanWorker(camera, Collector(), thorough_every=0)
    with pytest.raises(ValueError):
        ScanWorker(camera, Collector(), still_fps=0)


def test_centred_square_follows_the_frame_guide_whatever_the_aspect():
    from devices.qr.worker import CentredSquare, _crop

    assert CentredSquare(0.5).box(1280, 720) == (460, 180, 820, 540)
    assert CentredSquare(2.0).box(640, 480) == (80, 0, 560, 480)  # never more than the shorter side
    assert _crop(np.zeros((720, 1280, 3), np.uint8), CentredSquare(0.9)).shape == (648, 648, 3)


def test_the_worker_reads_an_inverted_code_on_its_thorough_frames(camera):
    results, pipeline = Collector(), CountingPipeline()
    with ScanWorker(camera, results, pipeline=pipeline, thorough_every=3, max_fps=None):
        camera.show(255 - scene(ANH, scale=4))
        results.wait_for(lambda r: len(r) == 1)
    assert isinstance(results.items[0].payload, CccdQr)


def test_a_still_view_is_decoded_once_thoroughly_then_skipped_until_it_changes(camera):
    from devices.qr.worker import StillView

    results, pipeline = Collector(), CountingPipeline()
    still = StillView(recheck_s=3600.0)
    with ScanWorker(camera, results, pipeline=pipeline, max_fps=None, still_view=still,
                    still_fps=None) as worker:
        camera.show(scene(None))
        until_frames(camera, lambda: worker.stats.frames_still >= 1)
        runs = len(pipeline.runs.items)
        until_frames(camera, lambda: worker.stats.frames_still >= 12)
        assert len(pipeline.runs.items) == runs <= 4  # the empty view was not decoded again
        camera.show(scene(ANH, at=(600, 300)))  # a card comes into view: decoded at once
        results.wait_for(lambda r: len(r) == 1)
        worker.reset()  # the next citizen: the same view is looked at again
        results.wait_for(lambda r: len(r) == 2)


def test_a_still_view_is_looked_at_only_a_few_times_a_second(camera):
    """An idle kiosk's camera keeps delivering frames (60 a second here); while the view does not
    change, the worker looks at no more than ``still_fps`` of them a second, then at every frame
    again once something moves."""
    import time

    from devices.qr.worker import StillView

    results, pipeline = Collector(), CountingPipeline()
    with ScanWorker(camera, results, pipeline=pipeline, max_fps=None, still_view=StillView(),
                    still_fps=2.0) as worker:
        camera.show(scene(None))
        until_frames(camera, lambda: worker.stats.frames_still >= 1)
        looked, started = worker.stats.frames_still, time.monotonic()
        seen = worker.stats.frames_seen
        until_frames(camera, lambda: worker.stats.frames_seen >= seen + 90)
        elapsed = time.monotonic() - started
        # at most one look per half second (waits only get longer on a busy machine)
        assert worker.stats.frames_still - looked <= elapsed * 2.0 + 2
        camera.show(scene(ANH, at=(600, 300)))  # a card comes into view: read within the wait
        results.wait_for(lambda r: len(r) == 1)


def until_frames(camera, predicate, limit: int = 2000) -> None:
    """Wait, frame by frame, until ``predicate()`` holds (no sleeping)."""
    frame = camera.wait_frame()
    for _ in range(limit):
        if predicate():
            return
        frame = camera.wait_frame(after=frame.index, timeout=WAIT_S)
    pytest.fail("the condition never held")


def test_still_view_ignores_sensor_noise_but_not_a_card():
    from devices.qr.worker import StillView

    rng = np.random.default_rng(1)
    empty = scene(None)
    still = StillView()
    assert still.changed(empty)
    still.decoded(empty)
    noisy = np.clip(empty + rng.normal(0, 4, empty.shape), 0, 255).astype(np.uint8)
    assert not still.changed(noisy)
    assert still.changed(scene(ANH))
    still.forget()
    assert still.changed(empty)
