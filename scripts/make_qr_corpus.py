"""Generate the QR benchmark corpus: frames with CCCD, receipt and VietQR codes, plus a manifest.

    .venv/bin/python scripts/make_qr_corpus.py [OUT_DIR] [--seed 1] [--per-resolution 90]

OUT_DIR defaults to the user cache folder (never the repository: the frames are tens of MB).
Deterministic: the same seed writes the same files. The logic lives in ``devices.qr.corpus`` so
``kiosk bench qr`` can build the corpus itself when it is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devices.qr.corpus import default_corpus_dir, generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="output folder (default: the cache folder)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-resolution", type=int, default=90, help="frames per resolution")
    args = parser.parse_args(argv)
    out = args.out or default_corpus_dir(args.seed, args.per_resolution)
    manifest = generate(out, seed=args.seed, per_resolution=args.per_resolution)
    print(manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
