"""The scan worker: decodes the newest camera frame on its own thread and reports each scan once.

The camera calls ``_on_frame`` on its capture thread; that only swaps a reference and sets an event,
so capture never waits for decoding. The worker thread takes whatever frame is newest when it is
ready (older ones are dropped, counted in ``stats.frames_dropped``), runs the ``QrPipeline``,
debounces, classifies, and calls ``on_result`` on the worker thread. When no code is read it
measures the frame and calls ``on_hint`` when the advice changes (at most every ``hint_interval_s``).

``roi`` (x, y, w, h as shares of the frame, or a ``CentredSquare``) limits decoding to the frame guide the screen shows,
which is both faster and ignores codes elsewhere in view. ``max_fps`` caps how many frames a second
are decoded (a code held up for a second is still read many times over, and an empty counter costs
a fraction of a core); every ``thorough_every``-th decoded frame runs the pipeline's fallbacks even
when nothing was located, so a code only they can read is read within that many frames.
``still_view`` (a ``StillView``) skips frames showing the same view as the last decoded one (an
empty counter, a poster): once that view has had a thorough pass, decoding it again would only
give the same answer, so an idle camera costs a sampled comparison per frame, not a decode; a
still view is looked at again every ``StillView.recheck_s`` all the same. While the view stays
still the worker looks at most ``still_fps`` frames a second (a card coming into view is noticed
within a quarter of a second at the default, then every frame is looked at again).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from devices.camera.base import Frame
from devices.qr.classify import Payload, classify
from devices.qr.errors import QrPayloadError
from devices.qr.pipeline import PipelineResult, QrPipeline
from devices.qr.quality import Hint, HintThresholds, choose_hint, measure
from devices.qr.scanner import Debouncer

__all__ = ["CentredSquare", "ScanResult", "ScanWorker", "StillView", "WorkerStats"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class CentredSquare:
    """A square in the middle of the frame, ``share`` of its shorter side: the screen's frame guide
    (with some room around it), whatever the camera's aspect ratio."""

    share: float

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        side = min(width, height) * min(1.0, self.share)
        x0, y0 = int((width - side) / 2), int((height - side) / 2)
        return x0, y0, x0 + int(side), y0 + int(side)


Roi = tuple[float, float, float, float] | CentredSquare


class StillView:
    """Tells whether the view changed since the last decoded frame, from a sparse grid of pixels.

    A pixel counts as changed when it moved by more than ``level`` grey levels (well above sensor
    noise); the view changed when more than ``share`` of the grid did (a card coming into view
    changes far more). Comparing with the last *decoded* frame also catches slow movement.
    """

    def __init__(self, step: int = 16, level: int = 24, share: float = 0.01, recheck_s: float = 5.0) -> None:
        self.step, self.level, self.share, self.recheck_s = step, level, share, recheck_s
        self._reference: np.ndarray | None = None

    def changed(self, image: np.ndarray) -> bool:
        sample = image[:: self.step, :: self.step].astype(np.int16)
        reference = self._reference
        if reference is None or reference.shape != sample.shape:
            return True
        moved = np.count_nonzero(np.abs(sample - reference) > self.level)
        return bool(moved > self.share * sample.size)

    def decoded(self, image: np.ndarray) -> None:
        """Remember the view just decoded."""
        self._reference = image[:: self.step, :: self.step].astype(np.int16)

    def forget(self) -> None:
        self._reference = None


@dataclasses.dataclass(frozen=True, slots=True)
class ScanResult:
    """One scan: ``payload`` when the text parsed, else ``error`` (a typed, citizen-facing error)."""

    payload: Payload | None
    error: QrPayloadError | None
    format: str
    frame_index: int
    decode_ms: float

    def __repr__(self) -> str:
        what = type(self.payload).__name__ if self.payload is not None else f"error={self.error.code}"  # type: ignore[union-attr]
        return f"ScanResult({what}, frame={self.frame_index}, {self.decode_ms:.1f} ms)"


@dataclasses.dataclass(slots=True)
class WorkerStats:
    frames_seen: int = 0
    frames_decoded: int = 0  # frames the pipeline ran on (every ``thorough_every``-th one thoroughly)
    frames_dropped: int = 0  # frames replaced by a newer one before the worker got to them
    frames_still: int = 0  # frames skipped: the same view as the last decoded one (``StillView``)
    scans: int = 0  # results reported (after debouncing)
    last_decode_ms: float = 0.0


class FrameSource(Protocol):
    """What the worker needs of a camera: its frames (a ``Camera``, or a wrapper that filters)."""

    def subscribe(self, callback: Callable[[Frame], object]) -> Callable[[], None]: ...


class Decoder(Protocol):
    """What the worker needs of a pipeline (a ``QrPipeline``, or one run at a lower priority)."""

    def run(self, image: np.ndarray, thorough: bool = True) -> PipelineResult: ...


class ScanWorker:
    def __init__(
        self, camera: FrameSource, on_result: Callable[[ScanResult], object], *,
        on_hint: Callable[[Hint], object] | None = None, pipeline: Decoder | None = None,
        debouncer: Debouncer | None = None, roi: Roi | None = None, hint_interval_s: float = 1.0,
        thresholds: HintThresholds = HintThresholds(), clock: Callable[[], float] = time.monotonic,
        max_fps: float | None = 12.0, thorough_every: int = 4, still_view: StillView | None = None,
        still_fps: float | None = 4.0,
    ) -> None:
        if (max_fps is not None and max_fps <= 0) or thorough_every < 1:
            raise ValueError("max_fps must be positive (or None) and thorough_every at least 1")
        if still_fps is not None and still_fps <= 0:
            raise ValueError("still_fps must be positive (or None)")
        self._camera = camera
        self._on_result = on_result
        self._on_hint = on_hint
        self._pipeline = pipeline or QrPipeline()
        self._debouncer = debouncer or Debouncer(clock=clock)
        self._roi = roi
        self._hint_interval_s = hint_interval_s
        self._thresholds = thresholds
        self._clock = clock
        self._min_period_s = 0.0 if max_fps is None else 1.0 / max_fps
        self._still_period_s = max(self._min_period_s, 0.0 if still_fps is None else 1.0 / still_fps)
        self._idle = False  # the last frame looked at was the still view, skipped
        self._thorough_every = thorough_every
        self._still = still_view
        self._view_settled = False  # the current view has had a thorough pass
        self._view_hinted = False  # ... and a hint was worked out for it (or a code was read)
        self._view_located: list[np.ndarray] = []
        self._decoded_at = 0.0
        self._lock = threading.Lock()
        self._pending: Frame | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._last_hint: tuple[str, float] | None = None
        self.stats = WorkerStats()

    def start(self) -> None:
        """Subscribe to the camera and start decoding (the camera is started by its owner)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="qr-scan-worker", daemon=True)
        self._thread.start()
        self._unsubscribe = self._camera.subscribe(self._on_frame)

    def stop(self, timeout: float = 2.0) -> None:
        """Unsubscribe and join the thread; a decode in progress finishes first (tens of ms)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("The QR scan worker did not stop in time.")
        self._thread = None

    def reset(self) -> None:
        """Forget what was scanned, so the next citizen's code counts even if it is the same."""
        self._debouncer.reset()
        self._last_hint = None
        if self._still is not None:
            self._still.forget()

    def __enter__(self) -> ScanWorker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _on_frame(self, frame: Frame) -> None:
        """Capture thread: O(1), never waits for the decoder."""
        with self._lock:
            if self._pending is not None:
                self.stats.frames_dropped += 1
            self._pending = frame
            self.stats.frames_seen += 1
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(30.0)  # frames and stop() both set it; the timeout only bounds the wait
            self._wake.clear()
            with self._lock:
                frame, self._pending = self._pending, None
            if frame is None or self._stop.is_set():
                continue
            started = time.monotonic()
            try:
                self._process(frame)
            except Exception:  # noqa: BLE001 - one bad frame must not end scanning
                log.exception("QR scan worker failed on a frame; scanning continues")
            period = self._still_period_s if self._idle else self._min_period_s
            rest = period - (time.monotonic() - started)
            if rest > 0:
                self._stop.wait(rest)  # the frame-rate cap; newer frames replace the pending one

    def _process(self, frame: Frame) -> None:
        image = _crop(frame.image, self._roi)
        thorough = self._plan(image)
        self._idle = thorough is None
        if thorough is None:
            return
        started = time.perf_counter()
        result = self._pipeline.run(image, thorough=thorough)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.stats.frames_decoded += 1
        self.stats.last_decode_ms = elapsed_ms
        for decoded in result.decoded:
            if not self._debouncer.accept(decoded.text):
                continue
            try:
                payload, error = classify(decoded.text), None
            except QrPayloadError as exc:
                payload, error = None, exc
            self.stats.scans += 1
            self._last_hint = None
            self._on_result(ScanResult(payload, error, decoded.format, frame.index, elapsed_ms))
        self._view_located = result.located
        if result.decoded:
            self._view_hinted = True
        elif self._on_hint is not None:
            self._maybe_hint(image, result.located)

    def _plan(self, image: np.ndarray) -> bool | None:
        """Decode thoroughly (True), cheaply (False), or not at all (None: a still view)."""
        thorough = self.stats.frames_decoded % self._thorough_every == 0
        if self._still is None:
            return thorough
        if self._still.changed(image):
            self._view_settled = self._view_hinted = False
        elif self._view_settled and self._clock() - self._decoded_at < self._still.recheck_s:
            self.stats.frames_still += 1
            if not self._view_hinted and self._on_hint is not None:
                self._maybe_hint(image, self._view_located)  # it came too soon after the last one
            return None
        else:
            thorough = True  # the same view again: give it the whole pipeline once
        self._still.decoded(image)
        self._view_settled = self._view_settled or thorough
        self._decoded_at = self._clock()
        return thorough

    def _maybe_hint(self, image: np.ndarray, located: list[np.ndarray]) -> None:
        now = self._clock()
        if self._last_hint is not None and now - self._last_hint[1] < self._hint_interval_s:
            return
        self._view_hinted = True
        hint = choose_hint(measure(image), image.shape[1], located, self._thresholds)
        if self._last_hint is not None and self._last_hint[0] == hint.code:
            self._last_hint = (hint.code, now)
            return
        self._last_hint = (hint.code, now)
        assert self._on_hint is not None
        self._on_hint(hint)


def _crop(image: np.ndarray, roi: Roi | None) -> np.ndarray:
    if roi is None:
        return image
    height, width = image.shape[:2]
    if isinstance(roi, CentredSquare):
        x0, y0, x1, y1 = roi.box(width, height)
    else:
        x, y, w, h = roi
        x0, y0 = int(max(0.0, x) * width), int(max(0.0, y) * height)
        x1, y1 = int(min(1.0, x + w) * width), int(min(1.0, y + h) * height)
    if x1 - x0 < 16 or y1 - y0 < 16:
        raise ValueError("the region of interest is too small")
    return image[y0:y1, x0:x1]

