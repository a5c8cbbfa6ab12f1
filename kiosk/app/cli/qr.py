"""`kiosk qr decode IMAGE... [--json]` and `kiosk qr make TEXT -o FILE.png`: QR codes for staff.

`decode` reads each image with the kiosk's own pipeline and prints, per code, its type (cccd,
receipt, vietqr, unrecognised) and its parsed fields, or the specific reason its payload was
refused. A card's QR holds personal data, and stdout lands in journald under systemd, so fields
are masked by default (name initials, ID ``***345``, birth year, no address; see
``kiosk.app.cli.card.mask_personal``); ``--show-personal-data`` prints them for staff at a terminal.
Exit codes: 0 every image held a decodable code, 1 at least one held none,
3 an image file could not be read. `make` renders TEXT with segno (UTF-8 byte mode, no ECI, as on
the cards) to a PNG or SVG.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app.cli.card import SHOW_PERSONAL_HELP, mask_personal

if TYPE_CHECKING:
    from devices.qr.pipeline import QrPipeline

EXIT_OK = 0
EXIT_NO_CODE = 1
EXIT_FILE_ERROR = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("qr", help="decode QR codes in images, or make one")
    sub = parser.add_subparsers(dest="qr_command", metavar="ACTION", required=True)
    decode = sub.add_parser("decode", help="decode the QR codes in image files")
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    decode.add_argument("--json", action="store_true", help="print JSON")
    decode.add_argument("--show-personal-data", action="store_true", help=SHOW_PERSONAL_HELP)
    decode.set_defaults(func=_decode)
    make = sub.add_parser("make", help="render TEXT as a QR code image")
    make.add_argument("text", metavar="TEXT")
    make.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png")
    make.add_argument("--scale", type=int, default=8, help="pixels per module (default 8)")
    make.add_argument("--error", choices=("l", "m", "q", "h"), default="m", help="error correction level")
    make.set_defaults(func=_make)


def _describe(text: str, show_personal: bool) -> dict[str, Any]:
    from devices.qr.classify import classify, kind_of, to_fields
    from devices.qr.errors import QrPayloadError

    try:
        payload = classify(text)
    except QrPayloadError as exc:
        return {"type": "invalid", "kind": type(exc).kind, "code": exc.code, "message": str(exc)}
    fields = to_fields(payload)
    return {"type": kind_of(payload), "fields": fields if show_personal else mask_personal(fields)}


def _decode_one(pipeline: QrPipeline, path: Path, show_personal: bool) -> dict[str, Any]:
    import cv2

    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        return {"file": str(path), "error": "cannot read this file as an image", "codes": []}
    codes = [_describe(d.text, show_personal) for d in pipeline.decode(image)]
    return {"file": str(path), "error": None, "codes": codes}


def _decode(args: argparse.Namespace) -> int:
    from devices.qr.pipeline import QrPipeline

    pipeline = QrPipeline()
    show = bool(getattr(args, "show_personal_data", False))
    results = [_decode_one(pipeline, path, show) for path in args.images]
    if args.json:
        print(json.dumps({"images": results}, ensure_ascii=False, indent=2))
    else:
        for result in results:
            _print_text(result)
    if any(r["error"] for r in results):
        return EXIT_FILE_ERROR
    return EXIT_OK if all(r["codes"] for r in results) else EXIT_NO_CODE


def _print_text(result: dict[str, Any]) -> None:
    if result["error"]:
        print(f"{result['file']}: {result['error']}", file=sys.stderr)
        return
    if not result["codes"]:
        print(f"{result['file']}: no QR code found")
    for code in result["codes"]:
        if code["type"] == "invalid":
            print(f"{result['file']}: {code['kind']} code refused ({code['code']}): {code['message']}")
            continue
        print(f"{result['file']}: {code['type']}")
        for key, value in code["fields"].items():
            print(f"  {key}: {value}")


def _make(args: argparse.Namespace) -> int:
    import segno

    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".svg"):
        print("kiosk qr make: the output file must end in .png or .svg", file=sys.stderr)
        return 2
    if not 1 <= args.scale <= 100:
        print("kiosk qr make: --scale must be between 1 and 100", file=sys.stderr)
        return 2
    try:
        qr = segno.make(args.text, encoding="utf-8", error=args.error, micro=False, eci=False)
        qr.save(str(args.output), kind=suffix[1:], scale=args.scale, border=4)
    except segno.DataOverflowError:
        print("kiosk qr make: the text is too long for a QR code", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kiosk qr make: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return EXIT_FILE_ERROR
    print(f"{args.output} (version {qr.designator}, {args.output.stat().st_size} bytes)")
    return EXIT_OK
