"""Find a sheet of paper in a photo, flatten its perspective and even out its lighting.

Edges: the largest convex four-cornered contour in a Canny edge map (dilated so a slightly broken
edge still closes), covering at least ``min_area`` of the photo; if none, the largest bright region
after Otsu thresholding, which handles a white page on a darker desk with soft edges. The corrected
page keeps the real aspect ratio: the quad's longer edges give the scale, and the ratio comes from
Zhang & He's single-view estimate (focal length solved from the quad), so a page photographed at a
tilt is not squashed.

Lighting: dividing each channel by a heavily blurred copy of the page (its "illumination") removes
shadows and gradients, then the result is stretched so paper is near white and ink stays dark.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from kiosk.services.documents.errors import PageNotFound

__all__ = ["Page", "even_lighting", "find_page", "order_corners", "process_photo", "rectify"]


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Page:
    """The corrected page image (BGR) and where its corners were found in the photo."""

    image: np.ndarray
    corners: np.ndarray  # (4, 2) float32, top-left, top-right, bottom-right, bottom-left

    def __repr__(self) -> str:
        h, w = self.image.shape[:2]
        return f"Page({w}x{h})"


def order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left, whatever order the contour gave."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting near top-left
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def _quad_from_contours(mask: np.ndarray, min_area: float) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        if cv2.contourArea(contour) < min_area:
            break
        hull = cv2.convexHull(contour)
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return order_corners(approx)
    return None


def find_page(image: np.ndarray, min_area: float = 0.2) -> np.ndarray:
    """Corners of the page in a BGR photo; raises ``PageNotFound``. Works on a <= 1000 px copy."""
    scale = min(1.0, 1000 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    area = min_area * grey.shape[0] * grey.shape[1]
    edges = cv2.dilate(cv2.Canny(grey, 50, 150), np.ones((3, 3), np.uint8), iterations=2)
    quad = _quad_from_contours(edges, area)
    if quad is None:
        _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        quad = _quad_from_contours(bright, area)
    if quad is None:
        raise PageNotFound()
    return (quad / scale).astype(np.float32)


#: plausible focal lengths, in multiples of the image's longer side (a quad that implies another
#: camera was not made by a camera: an edited image, or a misdetected page)
_FOCAL_BAND = (0.25, 4.0)


def _aspect(corners: np.ndarray, shape: tuple[int, ...]) -> float | None:
    """Width / height of the real rectangle behind the quad (Zhang & He, "Whiteboard scanning", 2007).

    Uses the camera's principal point at the image centre and solves for the focal length; None when
    the geometry is degenerate or the focal length it implies is not a document camera's (a field
    of view wider than ~127 degrees or narrower than ~14): then the edge lengths are used as they are.
    """
    tl, tr, br, bl = (np.array([x, y, 1.0]) for x, y in corners)
    u0, v0 = shape[1] / 2, shape[0] / 2
    k2 = np.dot(np.cross(tl, br), bl) / np.dot(np.cross(tr, br), bl)
    k3 = np.dot(np.cross(tl, br), tr) / np.dot(np.cross(bl, br), tr)
    n2, n3 = k2 * tr - tl, k3 * bl - tl
    if abs(n2[2] * n3[2]) < 1e-9:  # no perspective: an affine view, lengths are proportional
        ratio2 = (n2[0] ** 2 + n2[1] ** 2) / (n3[0] ** 2 + n3[1] ** 2)
        return float(np.sqrt(ratio2))
    f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 * u0)
           + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 * v0)) / (n2[2] * n3[2])
    side = max(shape[0], shape[1])
    if not np.isfinite(f2) or not (_FOCAL_BAND[0] * side) ** 2 <= f2 <= (_FOCAL_BAND[1] * side) ** 2:
        return None
    a_inv = np.linalg.inv(np.array([[np.sqrt(f2), 0, u0], [0, np.sqrt(f2), v0], [0, 0, 1]]))
    q = a_inv.T @ a_inv
    ratio2 = float(n2 @ q @ n2) / float(n3 @ q @ n3)
    return float(np.sqrt(ratio2)) if np.isfinite(ratio2) and ratio2 > 0 else None


def _page_size(corners: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int]:
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    aspect = _aspect(corners, shape)
    if aspect is not None and 0.2 < aspect < 5:
        if width / height > aspect:
            height = width / aspect
        else:
            width = height * aspect
    return max(1, int(round(width))), max(1, int(round(height)))


def rectify(image: np.ndarray, corners: np.ndarray, max_side: int = 2000) -> np.ndarray:
    """The page seen straight on; the longer side is at most ``max_side`` pixels."""
    width, height = _page_size(corners, image.shape)
    shrink = min(1.0, max_side / max(width, height))
    width, height = max(1, round(width * shrink)), max(1, round(height * shrink))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_AREA if shrink < 1 else cv2.INTER_LINEAR)


def even_lighting(page: np.ndarray, kernel_share: float = 0.08) -> np.ndarray:
    """Divide out the illumination (a closing then a large blur of the page), per channel."""
    size = max(15, int(max(page.shape[:2]) * kernel_share) | 1)
    closed = cv2.morphologyEx(page, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size // 3 | 1, size // 3 | 1)))
    background = cv2.GaussianBlur(closed, (0, 0), size / 3).astype(np.float32) + 1.0
    flat = page.astype(np.float32) / background * 235.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def process_photo(image: np.ndarray, max_side: int = 2000) -> Page:
    """Find, flatten and even out one page; raises ``PageNotFound``."""
    corners = find_page(image)
    return Page(even_lighting(rectify(image, corners, max_side)), corners)
