"""DG2: face images in ISO 19794-5 records, JPEG and JPEG 2000, decoded for the UI."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.card.errors import MalformedData
from devices.card.lds import dg2
from devices.card.lds._tlv import decode_one, encode


def _image(ext: str) -> bytes:
    pixels = np.zeros((64, 48, 3), np.uint8)
    pixels[:, :, 2] = 200  # red in BGR
    pixels[20:40, 10:30] = (255, 255, 255)
    ok, data = cv2.imencode(ext, pixels)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize(("ext", "mime"), [(".jpg", dg2.JPEG), (".jp2", dg2.JP2)])
def test_round_trip_and_decode(ext, mime):
    data = _image(ext)
    assert dg2.detect_mime(data) == mime
    raw = dg2.build(dg2.Dg2((dg2.FaceImage(mime, data, 48, 64),)))
    parsed = dg2.parse(raw)
    assert parsed.images == (dg2.FaceImage(mime, data, 48, 64),)
    pixels = dg2.decode_image(parsed.images[0])  # OpenCV reads both JPEG and JPEG 2000
    assert pixels.shape == (64, 48, 3)
    assert pixels[5, 5, 2] > 150 and pixels[5, 5, 0] < 60
    png = dg2.to_png(parsed.images[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_two_templates_and_profile_portrait(anh):
    jpeg = anh.portrait_bytes()
    images = (dg2.FaceImage(dg2.JPEG, jpeg), dg2.FaceImage(dg2.JP2, _image(".jp2")))
    assert dg2.parse(dg2.build(dg2.Dg2(images))).images == images


def test_bare_image_without_fac_header_is_accepted():
    data = _image(".jpg")
    template = encode(0x7F60, encode(0xA1, encode(0x80, b"\x01\x01")) + encode(0x7F2E, data))
    raw = encode(0x75, encode(0x7F61, encode(0x02, b"\x01") + template))
    assert dg2.parse(raw).images[0].data == data


def test_the_format_comes_from_magic_bytes_not_the_header_byte():
    data = _image(".jp2")
    raw = bytearray(dg2.build(dg2.Dg2((dg2.FaceImage(dg2.JP2, data),))))
    type_byte = raw.index(data) - 11  # image data type in the image information block
    assert raw[type_byte] == 1
    raw[type_byte] = 0  # claims JPEG
    assert dg2.parse(bytes(raw)).images[0].mime == dg2.JP2


def test_undecodable_image_raises_malformed():
    fake = dg2.FaceImage(dg2.JPEG, b"\xff\xd8\xff" + b"\x00" * 40)
    with pytest.raises(MalformedData):
        dg2.decode_image(fake)


@pytest.mark.parametrize("mutate", ["record_length", "magic", "no_templates", "not_image"])
def test_rejects(mutate):
    data = _image(".jpg")
    raw = dg2.build(dg2.Dg2((dg2.FaceImage(dg2.JPEG, data),)))
    if mutate == "record_length":
        i = raw.index(b"FAC\x00") + 8
        raw = raw[:i] + b"\x00\x00\x00\x05" + raw[i + 4:]
    elif mutate == "magic":
        raw = raw.replace(b"FAC\x00", b"FAX\x00")
    elif mutate == "no_templates":
        raw = encode(0x75, encode(0x7F61, encode(0x02, b"\x00")))
    else:
        raw = raw.replace(data[:3], b"GIF")
    with pytest.raises(MalformedData):
        dg2.parse(raw)
    assert decode_one(raw)[0] == 0x75
