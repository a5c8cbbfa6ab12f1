"""Write the sample portraits and CCCD QR images of the fictitious profiles, and the sample
document photo, into assets/ (deterministic: re-running changes nothing).

    .venv/bin/python scripts/make_samples.py [--profiles DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devices.samples import write_all  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=Path, default=ROOT / "assets" / "profiles")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "samples")
    args = parser.parse_args(argv)
    for line in write_all(args.profiles, args.out):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
