"""DG2: the face image(s), inside the ISO 19794-5 'FAC' biometric data block (9303-10 §4.7.2).

::

    75 { 7F61 { 02 <count>  7F60 { A1 <header template>  5F2E|7F2E <'FAC' record> } ... } }

The image format is taken from the magic bytes, not from the header's image-data-type byte,
because that byte is wrong often enough on real documents. OpenCV's ``imdecode`` reads both JPEG
and JPEG 2000 (checked in the tests), so ``decode_image`` / ``to_png`` give the UI something to show.
"""

from __future__ import annotations

import dataclasses
import struct
from typing import TYPE_CHECKING

from devices.card.errors import MalformedData
from devices.card.lds._tlv import children, decode_all, encode, expect

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Dg2", "FaceImage", "build", "decode_image", "detect_mime", "parse", "to_png"]

JPEG = "image/jpeg"
JP2 = "image/jp2"        # JPEG 2000 file format (boxes)
J2K = "image/j2k"        # JPEG 2000 bare codestream
_JP2_MAGIC = bytes.fromhex("0000000C6A5020200D0A870A")
_IMAGE_TYPE = {JPEG: 0, JP2: 1, J2K: 1}
_HEADER = struct.Struct(">4s4sIH")          # 'FAC\0', '010\0', record length, image count
_INFO = struct.Struct(">IHBBB3sH3s3s")      # facial information block (20 bytes)
_IMAGE = struct.Struct(">BBHHBBHH")         # image information (12 bytes)


@dataclasses.dataclass(frozen=True, slots=True)
class FaceImage:
    mime: str
    data: bytes = dataclasses.field(repr=False)
    width: int = 0
    height: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class Dg2:
    images: tuple[FaceImage, ...]


def detect_mime(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:12] == _JP2_MAGIC:
        return JP2
    if data[:4] == b"\xff\x4f\xff\x51":
        return J2K
    return None


def _parse_fac(bdb: bytes) -> list[FaceImage]:
    mime = detect_mime(bdb)
    if mime is not None:  # some documents store the bare image without the 'FAC' record
        return [FaceImage(mime, bdb)]
    if len(bdb) < _HEADER.size:
        raise MalformedData("DG2: the biometric data block is too short")
    fmt, _version, record_len, count = _HEADER.unpack_from(bdb, 0)
    if fmt != b"FAC\x00":
        raise MalformedData("DG2: the biometric data block is not an ISO 19794-5 face record")
    if record_len != len(bdb) or count == 0:
        raise MalformedData("DG2: the face record length or image count is inconsistent")
    images, offset = [], _HEADER.size
    for _ in range(count):
        images.append(_parse_face(bdb, offset))
        offset += _INFO.unpack_from(bdb, offset)[0]
    if offset != len(bdb):
        raise MalformedData("DG2: the face record has bytes after its last image")
    return images


def _parse_face(bdb: bytes, offset: int) -> FaceImage:
    if offset + _INFO.size + _IMAGE.size > len(bdb):
        raise MalformedData("DG2: a face image header is truncated")
    block_len, points = _INFO.unpack_from(bdb, offset)[:2]
    start = offset + _INFO.size + 8 * points + _IMAGE.size
    end = offset + block_len
    if start > end or end > len(bdb):
        raise MalformedData("DG2: a face image block length is inconsistent")
    _t, _dt, width, height = _IMAGE.unpack_from(bdb, start - _IMAGE.size)[:4]
    data = bytes(bdb[start:end])
    mime = detect_mime(data)
    if mime is None:
        raise MalformedData("DG2: the face image is neither JPEG nor JPEG 2000")
    return FaceImage(mime, data, width, height)


def parse(raw: bytes) -> Dg2:
    group = children(expect(raw, 0x75, "DG2"), "DG2")
    if 0x7F61 not in group:
        raise MalformedData("DG2: the biometric information group (7F61) is missing")
    images: list[FaceImage] = []
    for tag, value in decode_all(group[0x7F61]):
        if tag == 0x02:
            continue  # instance count; the templates themselves are authoritative
        if tag != 0x7F60:
            raise MalformedData(f"DG2: unexpected tag {tag:X} in the biometric group")
        template = children(value, "DG2 template")
        bdb = template.get(0x5F2E, template.get(0x7F2E))
        if bdb is None:
            raise MalformedData("DG2: a biometric template has no data block")
        images.extend(_parse_fac(bdb))
    if not images:
        raise MalformedData("DG2: no face image")
    return Dg2(tuple(images))


def _fac_record(image: FaceImage) -> bytes:
    if image.mime not in _IMAGE_TYPE:
        raise ValueError(f"unsupported face image type {image.mime}")
    image_info = _IMAGE.pack(1, _IMAGE_TYPE[image.mime], image.width, image.height, 1, 2, 0, 0)
    block_len = _INFO.size + _IMAGE.size + len(image.data)
    info = _INFO.pack(block_len, 0, 0, 0, 0, b"\x00\x00\x00", 0, b"\x00" * 3, b"\x00" * 3)
    body = info + image_info + image.data
    return _HEADER.pack(b"FAC\x00", b"010\x00", _HEADER.size + len(body), 1) + body


def build(dg2: Dg2) -> bytes:
    header = encode(0xA1, encode(0x80, b"\x01\x01") + encode(0x87, b"\x01\x01")
                    + encode(0x88, b"\x00\x08"))
    templates = b"".join(
        encode(0x7F60, header + encode(0x5F2E, _fac_record(image))) for image in dg2.images
    )
    count = encode(0x02, bytes([len(dg2.images)]))
    return encode(0x75, encode(0x7F61, count + templates))


def decode_image(image: FaceImage) -> np.ndarray:
    """The face as a BGR ``numpy`` array (OpenCV's order)."""
    import cv2
    import numpy as np

    try:
        pixels = cv2.imdecode(np.frombuffer(image.data, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        pixels = None
    if pixels is None:
        raise MalformedData("DG2: the face image could not be decoded")
    return pixels


def to_png(image: FaceImage) -> bytes:
    """PNG bytes the UI can load into a QPixmap whatever the chip's format was."""
    import cv2

    ok, png = cv2.imencode(".png", decode_image(image))
    if not ok:  # pragma: no cover - encoding a decoded image does not fail
        raise MalformedData("DG2: the face image could not be converted")
    return png.tobytes()
