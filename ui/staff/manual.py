"""Export for manual entry: when the portal will not take an application (needs attention), a staff
member types it into the counter system by hand. This staff-only sheet shows what to type (the
decrypted payload: procedure, applicant, form fields) and prints it, to the default printer or, when
there is none, to a PDF in ``<data folder>/exports/`` created with mode 0600 and never overwritten.

Why on screen first: a sheet that is only shown leaves nothing behind; printing is a second,
deliberate step. The sheet is wiped from the widgets when it is closed or staff sign out. The
controller (``StaffMode``) reads the entry on a worker and writes the audit line (staff ID and local
reference only); nothing here logs personal data.

Errors: ``ManualSheetError`` (the sheet could not be printed or saved; the message says what staff
or IT can do).
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from ui.printing import pdf_printer
from ui.widgets.common import Card, ProblemLabel, button, label

__all__ = ["ManualEntryPanel", "ManualSheet", "ManualSheetError", "save_sheet_pdf"]


class ManualSheetError(Exception):
    """The manual-entry sheet could not be printed or saved."""


@dataclasses.dataclass(frozen=True)
class ManualSheet:
    """One entry to type in by hand. The payload holds personal data: kept out of the repr."""

    entry_id: int
    local_ref: str
    procedure_code: str
    reason: str
    payload: dict[str, Any] = dataclasses.field(repr=False)


def _value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _rows(items: dict[str, Any], labels: dict[str, str]) -> str:
    return "".join(
        f"<tr><td><b>{html.escape(labels.get(key, key.replace('_', ' ')))}</b></td>"
        f"<td>{html.escape(_value(value))}</td></tr>" for key, value in items.items())


def _new_file(folder: Path, stem: str) -> Path:
    for n in range(1000):
        path = folder / (f"{stem}.pdf" if n == 0 else f"{stem}-{n}.pdf")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return path
        except FileExistsError:
            continue
    raise ManualSheetError(f"Too many sheets for this entry in {folder}. IT: tidy the folder.")


def save_sheet_pdf(document: QTextDocument, folder: Path, local_ref: str) -> Path:
    """Write the sheet as a NEW PDF in ``folder`` with mode 0600 (created empty first, so the
    file is never readable by others, even while Qt writes it)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in local_ref) or "entry"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = _new_file(folder, f"manual-{safe}")
    except OSError as exc:
        raise ManualSheetError(f"Cannot write to {folder} ({exc.strerror}). IT: check the data "
                               f"folder's permissions.") from exc
    document.print_(pdf_printer(path))
    if path.stat().st_size == 0:
        raise ManualSheetError("The PDF could not be written. IT: check the free disk space.")
    return path


class ManualEntryPanel(QWidget):
    """The staff-only sheet over the kiosk window, with Print and Close."""

    printed = Signal(str)  # where it went: a printer name or the PDF's path

    def __init__(self, parent: QWidget, export_dir: Path) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.export_dir = export_dir
        self.sheet: ManualSheet | None = None
        self.last_pdf: Path | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        card = Card(self, kind="dialog")
        card.setObjectName("manual-entry")
        self.title = label("title", card)
        self.hint = label("caption", card)
        self.problem = ProblemLabel(card)
        self.view = QTextBrowser(card)
        self.view.setObjectName("manual-entry-sheet")
        row = QHBoxLayout()
        self.print_button = button("primary", card, name="manual-print")
        self.close_button = button("secondary", card, name="manual-close")
        row.addWidget(self.print_button, 1)
        row.addWidget(self.close_button, 1)
        for widget in (self.title, self.hint, self.problem):
            card.body.addWidget(widget)
        card.body.addWidget(self.view, 1)
        card.body.addLayout(row)
        outer.addWidget(card)
        self.print_button.clicked.connect(self.print_sheet)
        self.close_button.clicked.connect(self.clear)
        self.retranslate()
        self.hide()

    def show_sheet(self, sheet: ManualSheet) -> None:
        self.sheet = sheet
        self.problem.clear()
        self.view.setHtml(self.sheet_html())
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def clear(self) -> None:
        """Close and wipe: the citizen's data stays in no widget."""
        self.sheet = None
        self.view.clear()
        self.problem.clear()
        self.hide()

    def sheet_html(self) -> str:
        sheet = self.sheet
        if sheet is None:
            return ""
        payload = sheet.payload
        head = {"ref": sheet.local_ref, "procedure": sheet.procedure_code,
                "submitted": _value(payload.get("submitted_at")), "reason": sheet.reason}
        title = html.escape(self.tr("For manual entry at the counter"))
        applicant = html.escape(self.tr("Applicant"))
        form = html.escape(self.tr("Form"))
        return (f"<h2>{title}</h2>"
                f"<table cellpadding='4'>{_rows(head, self._head_labels())}</table>"
                f"<h3>{applicant}</h3><table cellpadding='4'>"
                f"{_rows(payload.get('applicant') or {}, self._applicant_labels())}</table>"
                f"<h3>{form}</h3>"
                f"<table cellpadding='4'>{_rows(payload.get('form') or {}, {})}</table>")

    def _head_labels(self) -> dict[str, str]:
        return {"ref": self.tr("Kiosk reference"), "procedure": self.tr("Procedure code"),
                "submitted": self.tr("Submitted at"), "reason": self.tr("Why it needs attention")}

    def _applicant_labels(self) -> dict[str, str]:
        return {"id_number": self.tr("ID number"), "full_name": self.tr("Full name"),
                "date_of_birth": self.tr("Date of birth"), "sex": self.tr("Sex"),
                "identified_by": self.tr("Identified by"), "address": self.tr("Address"),
                "phone": self.tr("Phone")}

    def print_sheet(self) -> None:
        """To the default printer; with none, a 0600 PDF in the exports folder."""
        if self.sheet is None:
            return
        document = QTextDocument()
        document.setHtml(self.sheet_html())
        default = QPrinterInfo.defaultPrinter()
        try:
            if default.isNull():
                self.last_pdf = save_sheet_pdf(document, self.export_dir, self.sheet.local_ref)
                where = str(self.last_pdf)
                self.problem.setText(self.tr("No printer: saved as {path}. Delete it once the "
                                             "application is entered.").format(path=where))
            else:
                document.print_(QPrinter(default, QPrinter.PrinterMode.HighResolution))
                where = default.printerName()
        except ManualSheetError as exc:
            self.problem.setText(str(exc))
            return
        self.printed.emit(where)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Export for manual entry"))
        self.hint.setText(self.tr("Staff only. Type these details into the counter system, then "
                                  "close this sheet."))
        self.print_button.setText(self.tr("Print"))
        self.close_button.setText(self.tr("Close"))
        if self.sheet is not None:
            self.view.setHtml(self.sheet_html())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
