"""Elliptic-curve arithmetic for PACE generic mapping, over the ``ecdsa`` package's curves.

PACE needs operations a key-agreement API hides: the mapped generator G~ = s*G + H is not a
standard base point, so points are handled as ``ecdsa.ellipticcurve.PointJacobi`` directly.
Every point received from the other side is checked to lie on the curve (all standardised PACE
curves have cofactor 1, so that is enough) and not to be the point at infinity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import ecdsa
from ecdsa.ellipticcurve import INFINITY, PointJacobi

from devices.card.errors import MalformedData, UnsupportedOperation

__all__ = ["Curve", "curve_for_parameter_id"]

# ICAO 9303-11 §9.5.1 / BSI TR-03110-3 Table 4: standardized domain parameters 8..18.
_CURVES = {
    8: ecdsa.curves.NIST192p,
    9: ecdsa.curves.BRAINPOOLP192r1,
    10: ecdsa.curves.NIST224p,
    11: ecdsa.curves.BRAINPOOLP224r1,
    12: ecdsa.curves.NIST256p,
    13: ecdsa.curves.BRAINPOOLP256r1,
    14: ecdsa.curves.BRAINPOOLP320r1,
    15: ecdsa.curves.NIST384p,
    16: ecdsa.curves.BRAINPOOLP384r1,
    17: ecdsa.curves.BRAINPOOLP512r1,
    18: ecdsa.curves.NIST521p,
}


@dataclasses.dataclass(frozen=True)
class Curve:
    parameter_id: int
    curve: ecdsa.curves.Curve

    @property
    def order(self) -> int:
        return int(self.curve.order)

    @property
    def generator(self) -> PointJacobi:
        return self.curve.generator

    @property
    def field_bytes(self) -> int:
        return (int(self.curve.curve.p()).bit_length() + 7) // 8

    def random_scalar(self, rng: Callable[[int], bytes]) -> int:
        """Uniform in [1, n-1] by rejection, so a scripted rng yields exactly the given key."""
        size = (self.order.bit_length() + 7) // 8
        mask = (1 << self.order.bit_length()) - 1
        for _ in range(64):
            k = int.from_bytes(rng(size), "big") & mask
            if 1 <= k < self.order:
                return k
        raise RuntimeError("random source keeps returning out-of-range scalars")

    def encode(self, point: PointJacobi) -> bytes:
        """Uncompressed SEC 1 encoding ``04 || X || Y``."""
        size = self.field_bytes
        return b"\x04" + int(point.x()).to_bytes(size, "big") + int(point.y()).to_bytes(size, "big")

    def decode(self, raw: bytes) -> PointJacobi:
        """Parse and validate an uncompressed point; raises ``MalformedData``."""
        size = self.field_bytes
        if len(raw) != 1 + 2 * size or raw[0] != 0x04:
            raise MalformedData("The card sent a public key in an unexpected format.")
        x = int.from_bytes(raw[1 : 1 + size], "big")
        y = int.from_bytes(raw[1 + size :], "big")
        p = int(self.curve.curve.p())
        if x >= p or y >= p or not self.curve.curve.contains_point(x, y):
            raise MalformedData("The card sent a public key that is not on the curve.")
        return PointJacobi(self.curve.curve, x, y, 1, self.order)

    def multiply(self, point: PointJacobi, scalar: int) -> PointJacobi:
        result = point * scalar
        if result == INFINITY:
            raise MalformedData("The key agreement produced no usable key.")
        return result

    def mapped_generator(self, nonce: int, secret: int, other_map_key: PointJacobi) -> PointJacobi:
        """Generic mapping (§4.4.3.3.2): G~ = s*G + H with H = secret * other's mapping key."""
        shared = self.multiply(other_map_key, secret)
        mapped = self.generator * nonce + shared
        if mapped == INFINITY:
            raise MalformedData("The key agreement produced no usable generator.")
        return mapped

    def shared_x(self, point: PointJacobi, scalar: int) -> bytes:
        """The x-coordinate of ``scalar * point``, field-length big-endian (TR-03111 FE2OS)."""
        return int(self.multiply(point, scalar).x()).to_bytes(self.field_bytes, "big")


def curve_for_parameter_id(parameter_id: int | None) -> Curve:
    if parameter_id not in _CURVES:
        raise UnsupportedOperation()
    return Curve(parameter_id, _CURVES[parameter_id])
