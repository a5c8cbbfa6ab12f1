"""Document photos: synthetic photos of a printed page, shot at a tilt, through the virtual camera.

The page is rendered, placed in 3-D (tilted, turned) and projected with a pinhole camera into a
desk scene with uneven light, so the true corners and the true aspect ratio (A4, 1:sqrt 2) are known.
"""

from __future__ import annotations

import math
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from devices.camera import open_camera
from kiosk.services.documents import (
    PageNotFound, encode_jpeg, find_page, human_size, pdf_bytes, process_photo,
)
from kiosk.services.documents.page import order_corners

A4 = 1 / math.sqrt(2)  # width / height


def render_page(seed: int, width: int = 840) -> np.ndarray:
    rng = np.random.default_rng(seed)
    height = round(width / A4)
    page = np.full((height, width, 3), 245, np.uint8)
    cv2.putText(page, "DON DE NGHI", (width // 4, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3, cv2.LINE_AA)
    for row in range(150, height - 80, 42):
        length = int(rng.integers(width // 3, width - 120))
        words = "".join(rng.choice(list("abcdeghiklmnopqrstuvxy "), length // 14))
        cv2.putText(page, words, (60, row), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2, cv2.LINE_AA)
    cv2.rectangle(page, (60, height - 260), (width - 60, height - 120), (40, 40, 40), 2)
    return page


def project(page_size: tuple[int, int], frame: tuple[int, int], tilt_deg: float, turn_deg: float, spin_deg: float) -> np.ndarray:
    """Where the page's corners land in a pinhole camera looking at the page tilted in 3-D."""
    w, h = page_size
    fw, fh = frame
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], float)
    a, b, c = (math.radians(v) for v in (tilt_deg, turn_deg, spin_deg))
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    focal = 1.1 * fw
    distance = focal * h / (0.8 * fh)  # the page fills ~80 % of the frame height when square on
    points = corners @ (rz @ ry @ rx).T + [0, 0, distance]
    return np.stack([focal * points[:, 0] / points[:, 2] + fw / 2, focal * points[:, 1] / points[:, 2] + fh / 2], axis=1).astype(np.float32)


def photo(seed: int, frame=(1920, 1080), tilt=25.0, turn=10.0, spin=6.0, shadow=True) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    page = render_page(seed)
    quad = project((page.shape[1], page.shape[0]), frame, tilt, turn, spin)
    desk = cv2.resize(rng.uniform(40, 90, (6, 10, 3)).astype(np.float32), frame, interpolation=cv2.INTER_CUBIC)
    src = np.array([[0, 0], [page.shape[1], 0], [page.shape[1], page.shape[0]], [0, page.shape[0]]], np.float32)
    cv2.warpPerspective(page.astype(np.float32), cv2.getPerspectiveTransform(src, quad), frame, dst=desk,
                        flags=cv2.INTER_AREA, borderMode=cv2.BORDER_TRANSPARENT)
    if shadow:  # light falls off across the desk, as from a window
        ramp = np.linspace(1.0, 0.55, frame[0], dtype=np.float32)[None, :, None]
        desk = desk * ramp
    desk += rng.normal(0, 3, desk.shape).astype(np.float32)
    return np.clip(desk, 0, 255).astype(np.uint8), quad


@pytest.mark.parametrize(("seed", "frame", "tilt", "turn", "spin"), [
    (1, (1920, 1080), 25.0, 10.0, 6.0),
    (2, (1280, 720), 35.0, -12.0, -4.0),
    (3, (1920, 1080), 5.0, 0.0, 30.0),
])
def test_corners_and_aspect_of_the_corrected_page(seed, frame, tilt, turn, spin):
    image, truth = photo(seed, frame, tilt, turn, spin)
    corners = find_page(image)
    assert np.abs(corners - order_corners(truth)).max() < 0.012 * frame[0]
    page = process_photo(image)
    h, w = page.image.shape[:2]
    assert w / h == pytest.approx(A4, rel=0.03)


def test_lighting_is_evened_out():
    image, _ = photo(4, tilt=15.0, turn=20.0)
    page = process_photo(image).image
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    left, right = grey[h // 3 : h // 2, 10 : w // 6], grey[h // 3 : h // 2, -w // 6 : -10]
    paper_left, paper_right = np.percentile(left, 90), np.percentile(right, 90)  # paper, not ink
    assert abs(paper_left - paper_right) < 12 and min(paper_left, paper_right) > 200
    assert np.percentile(grey, 1) < 90  # ink stays dark


def test_no_page_in_view_is_a_clear_error():
    rng = np.random.default_rng(0)
    clutter = cv2.resize(rng.uniform(40, 90, (6, 10, 3)).astype(np.uint8), (1280, 720))
    with pytest.raises(PageNotFound) as info:
        process_photo(clutter)
    assert "four corners" in str(info.value)


def test_pages_from_the_virtual_camera_encoded_as_jpeg_and_pdf(tmp_path):
    camera = open_camera("virtual", fps=30.0)
    pages = []
    with camera:
        for seed in (5, 6, 7):
            image, _ = photo(seed)
            camera.show(image)
            frame = camera.wait_frame()
            while frame.image.shape[1] != 1920:  # frames published before show() took effect
                frame = camera.wait_frame(after=frame.index)
            pages.append(process_photo(frame.image).image)
    single = encode_jpeg(pages[0])
    assert single.startswith(b"\xff\xd8\xff") and 20_000 < len(single) < 600_000, human_size(len(single))
    assert cv2.imdecode(np.frombuffer(single, np.uint8), cv2.IMREAD_COLOR).shape == pages[0].shape
    data = pdf_bytes([(encode_jpeg(page), page.shape[1], page.shape[0], 3) for page in pages])
    assert data.startswith(b"%PDF-1.4")
    assert data.count(b"/Type /Page ") == 3 and data.count(b"/DCTDecode") == 3
    assert len(data) < 3 * len(single) * 1.2  # JPEGs embedded as they are, little overhead
    _check_xref(data)
    if shutil.which("gs"):
        (tmp_path / "set.pdf").write_bytes(data)  # synthetic pages: ghostscript reads a file
        _render_with_ghostscript(tmp_path, 3)
    print(f"JPEG {human_size(len(single))}, PDF of 3 pages {human_size(len(data))}")


def _check_xref(data: bytes) -> None:
    """Every xref offset points at its 'N 0 obj', as a PDF reader would look it up."""
    start = int(data[data.rindex(b"startxref") + 10 :].split()[0])
    lines = data[start:].split(b"\n")
    count = int(lines[1].split()[1])
    for number in range(1, count):
        offset = int(lines[2 + number].split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)


def _render_with_ghostscript(folder, pages: int) -> None:
    result = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r20",
         f"-sOutputFile={folder}/p%d.png", str(folder / "set.pdf")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rendered = sorted(folder.glob("p*.png"))
    assert len(rendered) == pages
    grey = cv2.imread(str(rendered[0]), cv2.IMREAD_GRAYSCALE)
    assert grey.mean() > 150 and grey.min() < 120  # a white page with dark text, not a blank


def test_greyscale_pages_and_human_sizes():
    grey = np.full((400, 300), 240, np.uint8)
    cv2.putText(grey, "x", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 3, 0, 5)
    data = pdf_bytes([(cv2.imencode(".jpg", grey)[1].tobytes(), 300, 400, 1)])
    assert b"/DeviceGray" in data and b"/MediaBox [0 0 144.00 192.00]" in data
    assert (human_size(512), human_size(1536), human_size(5 * 1024 * 1024)) == ("512 bytes", "1.5 KB", "5.0 MB")


def test_a_quad_no_camera_could_make_keeps_its_edge_proportions():
    """The demo's sample photo was pasted in with an arbitrary homography, not a pinhole camera:
    the focal length it implies (~4.5x the image width) is not a document camera's, so the page
    keeps the proportions of its edges (A4 here) instead of a wrong 'true' aspect."""
    from kiosk.domain.paths import ASSETS_DIR

    photo = cv2.imread(str(ASSETS_DIR / "samples" / "documents" / "page-photo.jpg"))
    page = process_photo(photo).image
    assert page.shape[1] / page.shape[0] == pytest.approx(630 / 891, rel=0.03)
