"""A synthetic, deterministic corpus of camera frames holding the codes the kiosk reads.

Each frame shows one code (a fictitious CCCD card, a kiosk receipt or a VietQR transfer) as a
camera at the kiosk would: on a card or a phone screen in a cluttered scene, under one named
condition (perspective, rotation, blur, noise, low contrast, glare, small modules, screen moiré, or
clean), at 1280x720 or 1920x1080, saved as JPEG. Codes are rendered with segno (UTF-8 byte mode,
no ECI, as on the cards), never with the decoder under test. ``manifest.json`` lists each frame's
expected payload. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import platformdirs
import segno

from devices.qr.cccd import render_cccd_qr
from devices.qr.receipt import build_receipt_qr
from devices.qr.vietqr import BANK_NAMES, Service, build_vietqr
from kiosk.domain.codes import format_local_ref
from kiosk.domain.identity import PROVINCE_CODES, CitizenIdentity, IdSource, Sex

__all__ = ["CONDITIONS", "RESOLUTIONS", "default_corpus_dir", "empty_frame", "ensure_corpus", "generate", "load_manifest",
           "make_frame", "random_payload"]

MANIFEST_VERSION = 1
#: Changes whenever this file does, so a cached corpus from an older generator is never reused.
GENERATOR_ID = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
RESOLUTIONS = ((1280, 720), (1920, 1080))
CONDITIONS = ("clean", "perspective", "rotation", "blur", "noise", "low_contrast", "glare",
              "small_modules", "moire")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Đức", "Thanh", "Quốc", "Thu", "Xuân")
_GIVEN = ("An", "Anh", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Khang", "Lan", "Mai", "Nam",
          "Phương", "Quân", "Thảo", "Trung", "Tuấn", "Uyên", "Việt", "Yến")
_PLACES = ("Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội", "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, "
           "Thành phố Hồ Chí Minh", "Tổ 5, Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng",
           "Bản Mường, Xã Chiềng Sơn, Huyện Mộc Châu, Sơn La", "Ấp 3, Xã Tân Phú, Huyện Cái Bè, Tiền Giang")


def _pick(rng: np.random.Generator, items: tuple[Any, ...]) -> object:
    return items[int(rng.integers(len(items)))]


def _cccd(rng: np.random.Generator) -> str:
    dob = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 66)))
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    digit = (dob.year - 1900) // 100 * 2 + (1 if sex is Sex.FEMALE else 0)
    province = _pick(rng, tuple(sorted(PROVINCE_CODES)))
    id_number = f"{province}{digit}{dob.year % 100:02d}{int(rng.integers(0, 10**6)):06d}"
    issued = max(dob + dt.timedelta(days=14 * 366), dt.date(2021, 1, 1)) + dt.timedelta(days=int(rng.integers(0, 1200)))
    old = f"{int(rng.integers(10**8, 10**9))}" if rng.random() < 0.6 else None
    middle = "Thị" if sex is Sex.FEMALE else _pick(rng, _MIDDLE)
    identity = CitizenIdentity(
        id_number=id_number, source=IdSource.QR, date_of_birth=dob, sex=sex, issue_date=issued,
        full_name=f"{_pick(rng, _FAMILY)} {middle} {_pick(rng, _GIVEN)}", residence=str(_pick(rng, _PLACES)),
        old_id_number=old,
    )
    return render_cccd_qr(identity, with_old_id_field=rng.random() < 0.85)


def random_payload(rng: np.random.Generator, kind: str) -> str:
    """A valid payload of ``kind`` (cccd, receipt, vietqr) with fictitious data."""
    if kind == "cccd":
        return _cccd(rng)
    day = dt.date(2026, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    if kind == "receipt":
        unit = f"H{int(rng.integers(10, 99))}.{int(rng.integers(10, 99))}.{int(rng.integers(1, 40))}"
        seq = int(rng.integers(1, 3000))
        ref = format_local_ref(f"{day:%y%m%d}", seq) if rng.random() < 0.3 else f"{unit}-{day:%y%m%d}-{seq:04d}"
        return build_receipt_qr(ref, unit, day)
    if kind == "vietqr":
        amount = int(rng.integers(1, 500)) * 1000 if rng.random() < 0.7 else None
        purpose = f"LE PHI HO SO {day:%y%m%d}{int(rng.integers(1, 9999)):04d}" if amount else None
        account = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(8, 15))))
        return build_vietqr(str(_pick(rng, tuple(BANK_NAMES))), account, amount=amount, purpose=purpose,
                            service=Service.ACCOUNT, merchant_name="TT PHUC VU HANH CHINH CONG")
    raise ValueError(f"unknown payload kind {kind!r}")


def _modules(text: str) -> np.ndarray:
    """The code as a 0/1 array (1 = dark), quiet zone included."""
    qr = segno.make(text, encoding="utf-8", error="m", micro=False, eci=False)
    return np.array(list(qr.matrix_iter(scale=1, border=4)), dtype=np.uint8)


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    low = rng.uniform(50, 200, (6, 10, 3)).astype(np.float32)
    image = cv2.resize(low, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(3, 9))):  # clutter: boxes and lines with hard edges
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        colour = [float(c) for c in rng.uniform(20, 235, 3)]
        if rng.random() < 0.5:
            cv2.rectangle(image, p1, p2, colour, -1)
        else:
            cv2.line(image, p1, p2, colour, int(rng.integers(1, 6)))
    return image


def _surface(rng: np.random.Generator, modules: np.ndarray, condition: str, px: int) -> tuple[np.ndarray, float]:
    """The code on its carrier (card or phone screen), drawn at ``px`` pixels per module.

    A phone screen is drawn pixel by pixel (``px`` = screen pixels per module x 3 sub-steps) with a
    dark gap around each screen pixel; resampling that grid to camera pixels makes the moiré.
    """
    code = np.kron(modules, np.ones((px, px), np.uint8)).astype(np.float32)
    if condition == "low_contrast":
        ink, paper = rng.uniform(105, 130), rng.uniform(145, 170)
    elif condition == "moire":
        ink, paper = rng.uniform(10, 30), rng.uniform(200, 245)
    else:
        ink, paper = rng.uniform(15, 60), rng.uniform(190, 235)
    grey = paper - code * (paper - ink)
    if condition == "moire":
        grid = np.ones(grey.shape[:2], np.float32)
        grid[::3, :] *= rng.uniform(0.4, 0.7)
        grid[:, ::3] *= rng.uniform(0.4, 0.7)
        grey = grey * grid
    margin = modules.shape[0] * px // 6
    carrier = np.full((grey.shape[0] + 2 * margin, grey.shape[1] + 3 * margin), paper, np.float32)
    carrier[margin : margin + grey.shape[0], margin : margin + grey.shape[1]] = grey
    tint = rng.uniform(0.92, 1.05, 3).astype(np.float32)
    return np.dstack([carrier * t for t in tint]), margin


def _placement(rng: np.random.Generator, src_w: int, src_h: int, scale: float, size: tuple[int, int], condition: str) -> np.ndarray:
    """Where the carrier's corners land: rotated, slightly uneven, or tilted away (a trapezoid)."""
    width, height = size
    angle = rng.uniform(0, 2 * math.pi) if condition == "rotation" else rng.uniform(-0.25, 0.25)
    w, h = src_w * scale, src_h * scale
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    corners += rng.uniform(-0.04, 0.04, (4, 2)) * [w, h]
    if condition == "perspective":  # the far edge shrinks as the card tilts 30-50 degrees away
        far = int(rng.integers(4))
        shrink = rng.uniform(0.55, 0.8)
        a, b = corners[far].copy(), corners[(far + 1) % 4].copy()
        mid = (a + b) / 2
        corners[far], corners[(far + 1) % 4] = mid + (a - mid) * shrink, mid + (b - mid) * shrink
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    corners = corners @ rotation.T
    span = corners.max(axis=0) - corners.min(axis=0)
    room = np.maximum(np.array([width, height]) - span, 1)
    offset = rng.uniform(0, 1, 2) * room - corners.min(axis=0)
    return (corners + offset).astype(np.float32)


def _degrade(rng: np.random.Generator, image: np.ndarray, condition: str, module_px: float, quad: np.ndarray) -> np.ndarray:
    if condition == "blur":
        if rng.random() < 0.5:
            image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.3, 0.5) * module_px)
        else:
            length = max(3, int(round(rng.uniform(0.8, 1.3) * module_px)))
            kernel = np.zeros((length, length), np.float32)
            kernel[length // 2, :] = 1.0 / length
            rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
            image = cv2.filter2D(image, -1, cv2.warpAffine(kernel, rot, (length, length)))
    else:
        image = cv2.GaussianBlur(image, (0, 0), 0.6)  # optics
    if condition == "glare":
        centre = quad.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * np.ptp(quad, axis=0)
        radius = rng.uniform(0.12, 0.22) * float(np.ptp(quad[:, 0]))
        yy, xx = np.mgrid[0 : image.shape[0], 0 : image.shape[1]].astype(np.float32)
        blob = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * radius**2))
        image = image + blob[..., None] * rng.uniform(110, 190)
    sigma = rng.uniform(14, 26) if condition == "noise" else rng.uniform(1.5, 4)
    image = image + rng.normal(0, sigma, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def make_frame(rng: np.random.Generator, text: str, size: tuple[int, int], condition: str) -> np.ndarray:
    """One BGR frame of ``size`` (width, height) showing ``text`` under ``condition``."""
    modules = _modules(text)
    if condition == "small_modules":
        module_px = rng.uniform(1.9, 2.6)
    else:
        module_px = rng.uniform(3.2, 6.5) * size[1] / 720
    px = 3 * int(rng.integers(5, 10)) if condition == "moire" else max(2, math.ceil(module_px * 1.5))
    carrier, margin = _surface(rng, modules, condition, px)
    scale = module_px / px
    quad = _placement(rng, carrier.shape[1], carrier.shape[0], scale, size, condition)
    src = np.array([[0, 0], [carrier.shape[1], 0], [carrier.shape[1], carrier.shape[0]], [0, carrier.shape[0]]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad)
    frame = _background(rng, *size)
    cv2.warpPerspective(carrier, matrix, size, dst=frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    return _degrade(rng, frame, condition, module_px, quad)


def empty_frame(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A BGR frame of ``size`` with the corpus's cluttered scene, optics and sensor noise, and no code."""
    image = cv2.GaussianBlur(_background(rng, *size), (0, 0), 0.6)
    image = image + np.asarray(rng.normal(0, rng.uniform(1.5, 4), image.shape), np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def generate(out_dir: Path, seed: int = 1, per_resolution: int = 90, quality: int = 90) -> Path:
    """Write the frames and ``manifest.json`` into ``out_dir``; returns the manifest's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = ("cccd", "receipt", "vietqr")
    frames = []
    for width, height in RESOLUTIONS:
        for i in range(per_resolution):
            rng = np.random.default_rng([seed, width, i])
            kind, condition = kinds[i % 3], CONDITIONS[(i // 3) % len(CONDITIONS)]
            text = random_payload(rng, kind)
            image = make_frame(rng, text, (width, height), condition)
            name = f"{height}p-{i:04d}-{kind}-{condition}.jpg"
            ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            (out_dir / name).write_bytes(data.tobytes())
            frames.append({"file": name, "width": width, "height": height, "kind": kind,
                           "condition": condition, "payload": text})
    manifest = {"version": MANIFEST_VERSION, "generator": GENERATOR_ID, "seed": seed, "per_resolution": per_resolution, "frames": frames}
    path = out_dir / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_manifest(out_dir: Path) -> dict[str, Any]:
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def default_corpus_dir(seed: int = 1, per_resolution: int = 90) -> Path:
    """A cache folder named after what is in it, so a changed generator never reuses old frames."""
    cache = Path(platformdirs.user_cache_dir("motcua-kiosk", appauthor=False))
    return cache / f"qr-corpus-{GENERATOR_ID}-seed{seed}-n{per_resolution}"


def ensure_corpus(out_dir: Path, seed: int = 1, per_resolution: int = 90) -> dict[str, Any]:
    """The manifest in ``out_dir``, generating the corpus first when it is missing or different."""
    try:
        manifest = load_manifest(out_dir)
        if (manifest.get("generator"), manifest.get("seed"), manifest.get("per_resolution")) == (
            GENERATOR_ID, seed, per_resolution
        ) and all((out_dir / f["file"]).is_file() for f in manifest["frames"]):
            return manifest
    except (OSError, ValueError, KeyError):
        pass
    generate(out_dir, seed=seed, per_resolution=per_resolution)
    return load_manifest(out_dir)
