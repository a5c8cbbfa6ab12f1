"""Regenerate assets/address-data/ from an installed ``vietnamadminunits`` (the MIT tables we use).

    .venv/bin/python scripts/vendor_address_data.py          # write the files
    .venv/bin/python scripts/vendor_address_data.py --check  # exit 1 if they differ from the package

The kiosk converts old three-level addresses with three JSON tables of ``vietnamadminunits`` (MIT).
The package itself is not a dependency any more, because its parser imports the GPL ``unidecode``;
so the tables are vendored here, pruned to the fields ``kiosk/domain/address_parse.py`` and
``kiosk/domain/addresses.py`` read (keywords, short names, keys; no names, codes, coordinates or areas),
in the package's own order (order matters: where two units share a keyword, the first one wins).

To update: ``pip install vietnamadminunits==<new version>`` into a scratch venv, run this script with
that venv's Python, run tests/domain/test_addresses.py, and review the diff of SOURCE.json. The package is
located with ``importlib.util.find_spec`` and never imported (importing it loads Unidecode). Output is
deterministic (gzip without a timestamp), so re-running with the same version changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.domain.address_data import KEEP, encode, prune  # noqa: E402

PACKAGE = "vietnamadminunits"
OUT = ROOT / "assets" / "address-data"
TABLES = ("parser_legacy.json", "parser_from_2025.json", "converter_2025.json")

def package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # locates it; runs none of its code
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{PACKAGE} is not installed: pip install {PACKAGE} (into a scratch venv)")
    return Path(next(iter(spec.submodule_search_locations)))


def licence_text() -> str:
    dist = importlib.metadata.distribution(PACKAGE)
    for file in dist.files or ():
        if file.name.upper().startswith("LICEN"):
            return Path(dist.locate_file(file)).read_text(encoding="utf-8")
    raise SystemExit(f"{PACKAGE}'s licence file is not in its installed metadata")


def build() -> dict[str, bytes]:
    """Every file of assets/address-data/, by name, made from the installed package."""
    root, version, licence = package_dir(), importlib.metadata.version(PACKAGE), licence_text()
    files: dict[str, bytes] = {}
    sources = []
    for name in TABLES:
        raw = (root / "data" / name).read_bytes()
        files[name + ".gz"] = encode(prune(json.loads(raw), name))
        sources.append({"file": name + ".gz", "from": f"{PACKAGE}/data/{name}", "from_sha256":
                        hashlib.sha256(raw).hexdigest(), "sha256": hashlib.sha256(files[name + ".gz"]).hexdigest()})
    manifest = {
        "package": PACKAGE, "version": version, "licence": "MIT", "licence_file": "LICENSE",
        "copyright": next((line.strip() for line in licence.splitlines() if line.startswith("Copyright")), ""),
        "homepage": "https://github.com/tranngocminhhieu/vietnamadminunits",
        "pypi": f"https://pypi.org/project/{PACKAGE}/{version}/",
        "generated_by": "scripts/vendor_address_data.py",
        "transformation": "unit entries pruned to the fields: " + ", ".join(sorted(KEEP))
                          + "; order kept; compact JSON, gzip (mtime 0)",
        "files": sources,
    }
    files["SOURCE.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    files["LICENSE"] = licence.encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing; exit 1 on a difference")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the folder (default {OUT})")
    args = parser.parse_args(argv)
    try:
        files = build()
    except ValueError as exc:  # a field the matcher may need: a person decides
        raise SystemExit(str(exc)) from None
    if args.check:
        stale = [name for name, data in files.items()
                 if not (args.out / name).is_file() or (args.out / name).read_bytes() != data]
        for name in stale:
            print(f"differs from {PACKAGE} {importlib.metadata.version(PACKAGE)}: {args.out / name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"{len(data):>9,} bytes  {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
