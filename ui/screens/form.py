"""The form, one question (or a small group) per page: first the details from the card, then the
rest (``kiosk.domain.form_pages``). "Continue" checks every answer but stops only on the current page's
problems; the last page hands the answers to the flow, and a problem found there (the ID number
disagreeing with a date of birth, say) brings the citizen back to its page. Answers are kept."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.domain.flow import VN_TZ, Flow, FormInvalid, Step
from kiosk.domain.form_pages import FormPage, check_answers, form_pages, page_of, problems_on
from kiosk.domain.forms import prefill
from kiosk.domain.procedures import FieldType, FormField, Procedure
from ui.screens.base import Screen
from ui.texts import describe_problem
from ui.widgets.common import clear_layout, label
from ui.widgets.document_field import DocumentFieldEditor
from ui.widgets.fields import FieldEditor, make_editor
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["FormScreen"]


#: choice labels longer than this, all together (in the longer language), need the whole width
_WIDE_CHOICE_CHARS = 30


def _is_wide(field: FormField) -> bool:
    """Long texts and long or wordy lists of choices get the whole width; the rest share a line."""
    if field.type is FieldType.ATTACHMENT:
        return True
    if field.type is FieldType.TEXT:
        return field.max_length > 40
    if field.type is not FieldType.CHOICE:
        return False
    wordy = max(sum(len(c.label.vi) for c in field.choices),
                sum(len(c.label.en) for c in field.choices)) > _WIDE_CHOICE_CHARS
    return len(field.choices) > 3 or wordy


class _FieldRow:
    """The widgets of one question, stacked in one cell: label, editor, help, problem."""

    def __init__(self, field: FormField, parent: QWidget) -> None:
        self.field = field
        self.cell = QWidget(parent)
        self.label = label("field-label", self.cell)
        self.editor: FieldEditor = make_editor(field, self.cell)
        self.editor.setObjectName(f"field-{field.id}")
        self.help = label("caption", self.cell)
        self.problem = label("problem", self.cell)
        self.problem.setObjectName(f"problem-{field.id}")
        self.problem.hide()
        layout = QVBoxLayout(self.cell)
        layout.setContentsMargins(0, 0, 0, 18)
        layout.setSpacing(6)
        for widget in (self.label, self.editor, self.help, self.problem):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.editor.value_changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        self.problem.hide()  # the citizen is fixing it; the check runs again on Continue

    def retranslate(self, language: str) -> None:
        text = self.field.label.get(language)
        if not self.field.required:
            text += "  " + QCoreApplication.translate("FormScreen", "(optional)")
        self.label.setText(text)
        self.help.setText(self.field.help.get(language) if self.field.help else "")
        self.help.setVisible(self.field.help is not None)
        self.editor.retranslate(language)

    def show_problem(self, text: str) -> None:
        self.problem.setText("⚠  " + text)
        self.problem.show()


class FormScreen(Screen):
    scroll: TouchScrollArea  # type: ignore[assignment]  # the rows' scroll area (QWidget.scroll() unused)
    body_scrolls = False  # its list scrolls by itself
    #: an attachment field's "take a photo" was pressed: the field's id (the main window opens
    #: the document camera and answers with ``show_document``)
    document_requested = Signal(str)

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self._camera_available = True
        self.progress = label("caption", self)
        self.progress.setObjectName("form-progress")
        self.footer.insertWidget(2, self.progress)  # beside Continue: the body keeps its height
        # "look at the answers marked below" takes the progress caption's place in the footer:
        # shown above the questions it would push them (and the keys) down under a finger
        self.summary = label("problem-summary", self)
        self.summary.setObjectName("problem-summary")
        self.summary.hide()
        self.footer.insertWidget(self.footer.indexOf(self.progress) + 1, self.summary, 1)
        self.scroll = TouchScrollArea(self)
        holder = QWidget(self.scroll)
        holder.setObjectName("scroll-holder")
        self.rows_layout = QVBoxLayout(holder)
        self.rows_layout.setContentsMargins(4, 4, 24, 4)
        self.scroll.setWidget(holder)
        self.body.addWidget(self.scroll, 1)
        self.rows: dict[str, _FieldRow] = {}
        self._procedure: Procedure | None = None
        self._invalid: FormInvalid | None = None
        self._grid: QGridLayout | None = None
        self._filling = False  # set_value while entering: lay out once at the end
        self.pages: list[FormPage] = []
        self.page_index = 0
        self._came_from: Step | None = None
        flow.subscribe(self._on_flow_moved)

    def _on_flow_moved(self, old: Step, new: Step) -> None:
        if new is Step.FORM:
            self._came_from = old  # back from REVIEW lands on the last page, not the first

    @property
    def current_page(self) -> FormPage | None:
        return self.pages[self.page_index] if self.pages else None

    @property
    def _chosen(self) -> Procedure:
        """The procedure whose form is shown (the screen is only entered with one)."""
        if self._procedure is None:
            raise RuntimeError("the form screen has no procedure")
        return self._procedure

    def _drop_rows(self) -> None:
        """Delete every row, also those of other pages (out of the grid, so out of its layout)."""
        for row in self.rows.values():
            row.cell.hide()
            row.cell.setParent(None)
            row.cell.deleteLater()
        self.rows = {}
        clear_layout(self.rows_layout)

    def _build(self, procedure: Procedure) -> None:
        self._drop_rows()
        holder = self.scroll.widget()
        if holder is None:
            raise RuntimeError("the form's scroll area lost its holder")
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(36)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        for field in procedure.fields:
            row = _FieldRow(field, holder)
            self.rows[field.id] = row
            row.editor.value_changed.connect(self._on_answer_changed)
            if isinstance(row.editor, DocumentFieldEditor):
                row.editor.set_camera_available(self._camera_available)
                row.editor.capture_requested.connect(self.document_requested)
                row.editor.remove_requested.connect(self._remove_document)
        self.rows_layout.addLayout(self._grid)
        self.rows_layout.addStretch(1)
        self._procedure = procedure
        self.pages, self.page_index = [], 0
        self._layout_visible()

    def _layout_visible(self, key: str | None = None) -> None:
        """Recompute the pages from the answers so far (a follow-up question appears when the
        answer it depends on is given) and lay out the rows of the current one: the page called
        ``key``, else the page shown before (kept by its key), else the nearest one."""
        current = self.current_page
        key = key or (current.key if current is not None else None)
        self.pages = form_pages(self._chosen, self.answers())
        keys = [page.key for page in self.pages]
        self.page_index = keys.index(key) if key in keys else \
            max(0, min(self.page_index, len(self.pages) - 1))
        page = self.current_page
        shown = set(page.field_ids) if page is not None else set()
        for row in self.rows.values():
            self._grid.removeWidget(row.cell)
        line, column = 0, 0
        for field_id, row in self.rows.items():
            row.cell.setVisible(field_id in shown)
            if field_id not in shown:
                continue
            if _is_wide(row.field):
                line += column  # finish a half-filled line first
                self._grid.addWidget(row.cell, line, 0, 1, 2)
                line, column = line + 1, 0
            else:
                self._grid.addWidget(row.cell, line, column)
                line, column = (line + 1, 0) if column else (line, 1)

    def _on_answer_changed(self) -> None:
        if not self._filling and self._procedure is not None:
            self._layout_visible()
            self._retitle()

    def go_to_page(self, index: int) -> None:
        """Show page ``index`` (answers kept), its problems cleared until the next check."""
        if not self.pages:
            return
        index = max(0, min(index, len(self.pages) - 1))
        self._layout_visible(self.pages[index].key)
        for row in self.rows.values():
            row.problem.hide()
        self.summary.hide()
        self.progress.show()
        self._invalid = None
        self.retranslate()
        self.scroll.verticalScrollBar().setValue(0)

    def enter(self) -> None:
        procedure = self.flow.procedure
        if procedure is not self._procedure:
            self._build(procedure)
        answers = self.flow.answers
        self._filling = True
        try:
            for field_id, row in self.rows.items():
                row.editor.set_value(answers.get(field_id, ""))
                row.problem.hide()
        finally:
            self._filling = False
        self.pages = form_pages(self._chosen, answers)
        last = len(self.pages) - 1
        self.go_to_page(last if self._came_from is Step.REVIEW else 0)
        self._describe_documents()

    # -- document photos (attachment fields) ---------------------------------------------------
    def set_camera_available(self, available: bool) -> None:
        """Without a camera the attachment fields say to hand the paper in at the counter."""
        self._camera_available = available
        for row in self.rows.values():
            if isinstance(row.editor, DocumentFieldEditor):
                row.editor.set_camera_available(available)

    def show_document(self, field_id: str, sha256: str, pages: int, size: int,
                      thumbnail: QImage | None = None) -> None:
        """The flow now holds a photo for ``field_id``: show it in its editor."""
        row = self.rows.get(field_id)
        if row is not None and isinstance(row.editor, DocumentFieldEditor):
            row.editor.set_document(sha256, pages, size, thumbnail)

    def _remove_document(self, field_id: str) -> None:
        if self.flow.step is Step.FORM:
            self.flow.detach(field_id)
        row = self.rows.get(field_id)
        if row is not None:
            row.editor.set_value("")

    def _describe_documents(self) -> None:
        """Editors rebuilt while the flow still holds their photo get its pages, size, thumbnail."""
        for field_id, photo in self.flow.attachments.items():
            row = self.rows.get(field_id)
            editor = row.editor if row is not None else None
            if isinstance(editor, DocumentFieldEditor) and editor.value() == photo.sha256 \
                    and editor.thumbnail.pixmap().isNull():
                thumbnail = QImage.fromData(photo.data) if photo.media_type != "application/pdf" \
                    else None
                editor.set_document(photo.sha256, photo.pages, len(photo.data), thumbnail)

    def answers(self) -> dict[str, str]:
        """Every editor's answer; the flow ignores those of questions that do not apply."""
        return {field_id: row.editor.value() for field_id, row in self.rows.items()}

    @property
    def on_last_page(self) -> bool:
        return self.page_index >= len(self.pages) - 1

    def on_primary_clicked(self) -> None:
        """Continue: on to the next page unless this page has a problem; on the last page, to
        the review (or back to the first page with a problem)."""
        if not self.flow.allowed("submit_form"):
            return
        answers = self.answers()
        if not self.on_last_page:
            photos = {field_id: photo.sha256 for field_id, photo in self.flow.attachments.items()}
            problems = check_answers(self._chosen, self.flow.identity, answers,
                                     dt.datetime.now(VN_TZ).date(), photos)
            page = self.current_page
            here = problems_on(page, problems) if page is not None else problems
            if here:
                self._invalid = FormInvalid(here)
                self.show_problems(self._invalid)
            else:
                self.go_to_page(self.page_index + 1)
            return
        try:
            self.flow.submit_form(answers)
        except FormInvalid as invalid:
            placed = [page_of(self.pages, p.field_id) for p in invalid.problems
                      if any(p.field_id in page.field_ids for page in self.pages)]
            self.go_to_page(min(placed, default=self.page_index))
            self._invalid = invalid
            self.show_problems(invalid)

    def on_back_clicked(self) -> None:
        """Back to the previous page; from the first page, back to the requirements."""
        if self.page_index > 0 and self.flow.step is Step.FORM:
            self.go_to_page(self.page_index - 1)
        else:
            super().on_back_clicked()

    def show_problems(self, invalid: FormInvalid) -> None:
        """Mark every problem next to its field (those of other pages show with their page);
        the summary counts the page's own."""
        for row in self.rows.values():
            row.problem.hide()
        first: QWidget | None = None
        page = self.current_page
        problems = (problems_on(page, invalid.problems) if page is not None else []) \
            or invalid.problems
        for problem in invalid.problems:
            marked = self.rows.get(problem.field_id)
            if marked is not None:
                marked.show_problem(describe_problem(problem))
                first = first or (marked.cell if marked.cell.isVisibleTo(self) else None)
        count = len(problems)
        self.summary.setText(self.tr("Please look at the answer marked below.") if count == 1
                             else self.tr("Please look at the {n} answers marked below.")
                             .format(n=count))
        self.summary.show()
        self.progress.hide()
        if first is not None:
            QTimer.singleShot(0, lambda w=first: self.scroll.verticalScrollBar().setValue(w.y()))

    def clear(self) -> None:
        self._drop_rows()
        self._procedure = None
        self._grid = None
        self.pages, self.page_index = [], 0
        self._invalid = None
        self.summary.clear()
        self.summary.hide()
        self.title.clear()

    def retranslate(self) -> None:
        super().retranslate()
        for row in self.rows.values():
            row.retranslate(self.language)
        self._retitle()
        if self._invalid is not None and self.summary.isVisible():
            self.show_problems(self._invalid)  # re-word the shown problems in the new language

    def _retitle(self) -> None:
        """The title asks the page's question (or says where the card page's details come from);
        the caption says how far the citizen is; the button says where it goes."""
        procedure, page = self._procedure, self.current_page
        name = procedure.name.get(self.language) if procedure else ""
        single = page is not None and not page.from_card and len(page.fields) == 1
        for row in self.rows.values():
            row.label.setVisible(not (single and row.field is page.fields[0]))
        if page is None:
            self.title.setText(name)
        elif page.from_card and procedure is not None and prefill(procedure, self.flow.identity):
            self.title.setText(self.tr("Check the details from your card"))
        elif single:
            self.title.setText(self.rows[page.fields[0].id].label.text())
        else:
            self.title.setText(name)
        # the procedure's name under a question; a page of several questions has it as its title
        self.subtitle.setText(name if self.title.text() != name else "")
        self.progress.setText(self.tr("Question {n} of {total}").format(
            n=self.page_index + 1, total=len(self.pages)) if self.pages else "")
        self.primary_button.setText(self.tr("Check my answers  ›") if self.on_last_page
                                    else self.tr("Continue  ›"))
