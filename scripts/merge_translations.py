#!/usr/bin/env python3
"""Fill new Vietnamese translations into assets/translations/motcua_vi.ts from TSV files.

Each line of a TSV is ``context<TAB>English source<TAB>Vietnamese`` (``\\n`` for a newline). Run
after ``scripts/update_translations.sh`` has added the new source strings as unfinished; run that
script again afterwards to normalise the file and compile the .qm. With ``--replace`` a line also
replaces a finished translation (a corrected wording); without it only unfinished ones are filled.

    .venv/bin/python scripts/merge_translations.py [--replace] my-translations.tsv
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "assets" / "translations" / "motcua_vi.ts"


def read_tsv(paths: list[Path]) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise SystemExit(f"{path}:{number}: expected 3 tab-separated columns")
            context, source, text = (p.replace("\\n", "\n") for p in parts)
            table[(context, source)] = text
    return table


def main(argv: list[str]) -> int:
    replace = "--replace" in argv
    table = read_tsv([Path(a) for a in argv if a != "--replace"])
    tree = ET.parse(TS)
    filled, missing = 0, []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            unfinished = translation.get("type") == "unfinished"
            if not unfinished and not replace:
                continue
            text = table.get((name, message.findtext("source")))
            if text is None:
                if unfinished:
                    missing.append((name, message.findtext("source")))
                continue
            if translation.text == text and not unfinished:
                continue
            translation.text = text
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled}; still unfinished {len(missing)}")
    for name, source in missing:
        print(f"  {name}: {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
