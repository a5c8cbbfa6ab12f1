#!/usr/bin/env python3
"""Print a sample receipt on the virtual ESC/POS printer, in Vietnamese and English, and keep what
it printed: docs/screenshots/escpos-receipt-vi.png and -en.png.

The slips go the whole way a kiosk's do: drawn for the 576-dot head (``ui.receipt_raster``),
encoded as ESC/POS (``GS v 0`` rasters, cut), sent to the virtual printer over TCP through the
``escpos`` backend, interpreted dot by dot and saved as PNG by the printer. Like the screenshots,
a picture is rewritten only when its pixels changed, and optimised losslessly.

    .venv/bin/python scripts/escpos_receipts.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def sample(language: str):
    from ui.printing import FeeStatus, ReceiptDoc

    centre = {"vi": "Trung tâm Phục vụ hành chính công Quận 1",
              "en": "District 1 Public Administrative Service Centre"}[language]
    procedure = {"vi": "Cấp Phiếu lý lịch tư pháp", "en": "Criminal record certificate"}[language]
    return ReceiptDoc(centre_name=centre, unit_code="H12.22.10", procedure_name=procedure,
                      procedure_code="2.000635", reference="H12.22.10-261127-0001",
                      received_at=dt.datetime(2026, 11, 27, 2, 30, tzinfo=dt.UTC),
                      appointment=dt.date(2026, 12, 8), fee_vnd=200_000,
                      fee_status=FeeStatus.AT_COUNTER, status_where="dichvucong.gov.vn",
                      sms_to="09•• ••• 678")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from devices.printer import open_printer
    from devices.printer.virtual import PaperRoll, VirtualPrinterServer
    from kiosk.app.screenshots import save_if_changed
    from ui.look import Translations
    from ui.receipt_raster import receipt_parts

    translations = Translations(app)
    with tempfile.TemporaryDirectory() as folder:
        server = VirtualPrinterServer(PaperRoll(folder))
        printer = open_printer("escpos", connection=server.start())
        try:
            for language in ("vi", "en"):
                translations.set_language(language)
                printer.print_slip(receipt_parts(sample(language), printer.width_dots))
                args.out.mkdir(parents=True, exist_ok=True)
                target = args.out / f"escpos-receipt-{language}.png"
                save_if_changed(QImage(str(server.roll.saved[-1])), target)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        finally:
            server.stop()
            translations.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
