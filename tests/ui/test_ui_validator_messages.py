"""Every validator's message, on screen: for each kiosk.domain.forms.ProblemCode a real form is filled
through its widgets, Continue is pressed, and the problem label next to the field
(``problem-<field id>``) must say the exact sentence, with its numbers and dates, in Vietnamese and,
after switching through the header, in English.

Three codes cannot come from the touch widgets, because the widgets only produce valid values:
TOO_LONG (each text box stops at the field's ``max_length``), BAD_CHOICE (the choice buttons give
only the listed values) and BAD_ADDRESS (the province/commune lists give only current units). For
them the test proves the widget cannot produce the bad value, then shows the problem on the same
form and checks the label's wording. BAD_EMAIL: no procedure in the catalogue asks for an email
address, so a copy of the catalogue with one test procedure that does is used. BAD_ATTACHMENT: the
photo editor only ever holds a hash the flow made, so the answer is put in through the editor's
``set_value`` (as the form restores answers) naming a photo the session does not hold; the real
validator then reports it on submit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.flow import VN_TZ, FormInvalid, Step
from kiosk.domain.form_pages import page_of
from kiosk.domain.forms import FieldProblem, ProblemCode
from kiosk.domain.paths import PROCEDURES_DIR
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui.texts import describe_problem
from ui.widgets.fields import ChoiceEditor
from ui_helpers import finish_form

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

DEATH, EMAIL_TEST = "1.000656", "TEST.EMAIL"
WARN = "⚠  "


@dataclasses.dataclass(frozen=True)
class Expect:
    code: ProblemCode
    vi: str
    en: str


@dataclasses.dataclass(frozen=True)
class Submission:
    """Answers typed into one form, then the message expected next to each field."""

    procedure: str
    answers: dict[str, str]
    expect: dict[str, Expect]


def _day(offset: int = 0) -> dt.date:
    """Today as the flow sees it (Vietnam time), plus ``offset`` days."""
    return dt.datetime.now(VN_TZ).date() + dt.timedelta(days=offset)


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


REQUIRED = Expect(ProblemCode.REQUIRED, "Vui lòng điền mục này.", "Please fill this in.")
CRIMINAL_VALID = {"residence": "Thôn 3, xã Tân Phú", "phone": "0912345678",
                  "certificate_type": "1", "copies": "2", "delivery": "counter"}


def submissions() -> list[Submission]:
    born_max, born_min = _day(0), _day(-54750)  # the criminal record's date_of_birth range
    return [
        Submission(CRIMINAL_RECORD, {**CRIMINAL_VALID, "residence": "", "phone": "0123",
                                     "copies": "1.2.3", "date_of_birth": "31/02/1995"}, {
            "residence": REQUIRED,
            "phone": Expect(ProblemCode.BAD_PHONE,
                            "Vui lòng nhập số di động 10 chữ số, ví dụ 0912345678.",
                            "Please enter a 10-digit mobile number, for example 0912345678."),
            "copies": Expect(ProblemCode.NOT_A_NUMBER, "Vui lòng chỉ nhập chữ số.",
                             "Please enter a number, using digits only."),
            "date_of_birth": Expect(
                ProblemCode.BAD_DATE,
                "Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 14/03/1995.",
                "Please enter the date as day/month/year, for example 14/03/1995."),
        }),
        Submission(CRIMINAL_RECORD, {**CRIMINAL_VALID, "copies": "50",
                                     "date_of_birth": _d(_day(1))}, {
            "copies": Expect(ProblemCode.OUT_OF_RANGE, "Vui lòng nhập từ 1 đến 10.",
                             "Please enter a value between 1 and 10."),
            "date_of_birth": Expect(
                ProblemCode.DATE_OUT_OF_RANGE,
                f"Vui lòng nhập ngày từ {_d(born_min)} đến {_d(born_max)}.",
                f"Please enter a date between {_d(born_min)} and {_d(born_max)}."),
        }),
        Submission(CRIMINAL_RECORD, {**CRIMINAL_VALID, "date_of_birth": "14/03/1980",
                                     "sex": "M"}, {  # the card: 14/03/1995, female
            field: Expect(ProblemCode.DISAGREES_WITH_ID,
                          "Thông tin này không khớp với số định danh. Vui lòng đối chiếu với thẻ "
                          "căn cước.",
                          "This does not match your ID number. Please check it against your "
                          "card.")
            for field in ("date_of_birth", "sex")
        }),
        Submission(DEATH, {"phone": "0912345678", "deceased_id_number": "003195012345",
                           "deceased_full_name": "Nguyen Van Ba", "date_of_death": _d(_day(-3)),
                           "relationship": "child", "death_notice": "a" * 64,
                           "delivery": "counter"}, {
            "deceased_id_number": Expect(
                ProblemCode.BAD_ID, "Ba số đầu không phải mã tỉnh. Vui lòng kiểm tra lại số.",
                "The first three digits are not a province code. Please check the number."),
            "death_notice": Expect(
                ProblemCode.BAD_ATTACHMENT,
                "Chưa có ảnh giấy tờ. Vui lòng chụp lại hoặc hỏi cán bộ.",
                "The document photo is missing. Please take the photo again or ask staff."),
        }),
        Submission(EMAIL_TEST, {"email": "an.nguyen@", "phone": "0912345678",
                                "delivery": "counter"}, {
            "email": Expect(ProblemCode.BAD_EMAIL,
                            "Vui lòng nhập địa chỉ thư điện tử, ví dụ ten@example.com.",
                            "Please enter an email address like name@example.com."),
        }),
    ]


#: the codes no touch widget can produce: (procedure, field, problem, expected, proof)
UNREACHABLE = {
    ProblemCode.TOO_LONG: (CRIMINAL_RECORD, FieldProblem("purpose", ProblemCode.TOO_LONG,
                                                         {"max": 200}),
                           Expect(ProblemCode.TOO_LONG,
                                  "Nội dung quá dài: vui lòng nhập không quá 200 ký tự.",
                                  "This is too long: please use at most 200 characters.")),
    ProblemCode.BAD_CHOICE: (CRIMINAL_RECORD, FieldProblem("certificate_type",
                                                           ProblemCode.BAD_CHOICE),
                             Expect(ProblemCode.BAD_CHOICE, "Vui lòng chọn một mục.",
                                    "Please choose one option.")),
    ProblemCode.BAD_ADDRESS: (DEATH, FieldProblem("post_address", ProblemCode.BAD_ADDRESS),
                              Expect(ProblemCode.BAD_ADDRESS,
                                     "Vui lòng chọn tỉnh hoặc thành phố, rồi chọn xã hoặc phường.",
                                     "Please choose the province or city, then the commune or "
                                     "ward.")),
}


def test_every_problem_code_has_a_case():
    """A new ProblemCode fails here until it gets a case above (and words in ui/texts.py)."""
    reached = {e.code for s in submissions() for e in s.expect.values()}
    assert reached.isdisjoint(UNREACHABLE)
    assert reached | set(UNREACHABLE) | {REQUIRED.code} == set(ProblemCode)
    assert REQUIRED.code in reached


# -- the window, with one extra procedure that asks for an email address ------------------------
def _email_procedure() -> dict:
    data = json.loads((PROCEDURES_DIR / "driving-licence-renewal.json").read_text("utf-8"))
    data.update(code=EMAIL_TEST, name={"vi": "Thủ tục thử có thư điện tử",
                                       "en": "Test procedure with an email address"})
    keep = {"full_name", "phone", "delivery"}
    fields = [f for f in data["fields"] if f["id"] in keep]
    fields.insert(2, {"id": "email", "type": "email",
                      "label": {"vi": "Thư điện tử", "en": "Email"}, "max_length": 100})
    data["fields"] = fields
    return data


@pytest.fixture
def services(kiosk_config, tmp_path: Path) -> Iterator[object]:
    from kiosk.services.composition import Services

    folder = tmp_path / "test-procedures"
    shutil.copytree(PROCEDURES_DIR, folder)
    (folder / "zz-test-email.json").write_text(json.dumps(_email_procedure(), ensure_ascii=False),
                                               encoding="utf-8")
    built = Services.build(kiosk_config, procedures_dir=folder)
    try:
        yield built
    finally:
        built.close()


# -- driving the form ----------------------------------------------------------------------------
def enter(qtbot, form, field_id: str, value: str) -> None:
    """Answer through the widget a citizen touches."""
    editor = form.rows[field_id].editor
    if isinstance(editor, ChoiceEditor):
        if value:
            click(qtbot, editor.buttons[value])
        else:
            editor.set_value("")
    elif hasattr(editor, "line"):
        editor.line.clear()
        if value.isascii():  # QTest types Latin-1 only; Vietnamese goes in like a paste
            qtbot.keyClicks(editor.line, value)
        else:
            editor.line.insert(value)
    else:  # the document photo editor: no typing, the answer is the photo's hash
        editor.set_value(value)


def open_form(qtbot, window, code: str):
    """Back to the list of procedures (if on a form) and into ``code``'s form."""
    while window.flow.step in (Step.FORM, Step.REQUIREMENTS):
        click(qtbot, window.screens[window.flow.step].back_button)
    choose(qtbot, window, code)
    return window.screens[Step.FORM]


def set_language(qtbot, window, language: str) -> None:
    """The header's key for the other language (the current one has none to press)."""
    if window.language != language:
        click(qtbot, window.header.language.buttons[language])
    assert window.language == language


def assert_shown(form, field_id: str, text: str, code: ProblemCode) -> None:
    label = form.rows[field_id].problem
    assert label.objectName() == f"problem-{field_id}"
    assert not label.isHidden(), field_id
    assert label.text() == WARN + text, (field_id, label.text())
    assert code.value not in label.text() and "{" not in label.text()


@pytest.mark.parametrize("index", range(len(submissions())))
def test_each_validator_message_is_shown_next_to_its_field(qtbot, window, services, profile,
                                                           index):
    submission = submissions()[index]
    identify_with_card(qtbot, window, services, profile)
    form = open_form(qtbot, window, submission.procedure)
    for field_id, value in submission.answers.items():
        enter(qtbot, form, field_id, value)

    assert not finish_form(qtbot, window)  # "Continue" stops on the first page with a problem

    assert window.flow.step is Step.FORM
    with pytest.raises(FormInvalid) as invalid:  # the same answers, straight to the flow
        window.flow.submit_form(form.answers())
    found = {p.field_id: p.code for p in invalid.value.problems}
    assert found == {f: e.code for f, e in submission.expect.items()}
    pages = sorted({page_of(form.pages, field_id) for field_id in submission.expect})
    assert form.page_index == pages[0]
    last = len(form.pages) - 1
    for index in pages:  # each page's "Continue" marks that page's problems...
        form.go_to_page(index)
        click(qtbot, form.primary_button)
        # ...and the last page's "Check my answers" goes back to the first page with a problem
        assert window.flow.step is Step.FORM
        assert form.page_index == (index if index < last else pages[0])
        here = {f: e for f, e in submission.expect.items() if f in form.current_page.field_ids}
        shown = [f for f, row in form.rows.items() if row.problem.isVisible()]
        assert sorted(shown) == sorted(here)
        for field_id, expect in here.items():
            assert_shown(form, field_id, expect.vi, expect.code)
        set_language(qtbot, window, "en")  # the header's toggle re-words what is shown
        for field_id, expect in here.items():
            assert_shown(form, field_id, expect.en, expect.code)
        set_language(qtbot, window, "vi")
        for field_id, expect in here.items():
            assert_shown(form, field_id, expect.vi, expect.code)


def test_codes_no_widget_can_produce_are_worded_on_the_form(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    form = open_form(qtbot, window, CRIMINAL_RECORD)
    purpose = form.rows["purpose"].editor
    qtbot.keyClicks(purpose.line, "x" * 201)
    assert len(purpose.value()) == 200  # TOO_LONG: the box stops at max_length
    certificate = form.rows["certificate_type"].editor
    certificate.set_value("9")
    assert certificate.value() == ""  # BAD_CHOICE: only listed values
    for code in (ProblemCode.TOO_LONG, ProblemCode.BAD_CHOICE):
        check_injected(qtbot, window, form, *UNREACHABLE[code][1:])

    form = open_form(qtbot, window, DEATH)
    address = form.rows["post_address"].editor
    address.set_value("99:99999")
    assert address.value() == ""  # BAD_ADDRESS: only current (province, commune) pairs
    address.province.setCurrentIndex(1)
    assert address.value() == ""  # a province alone is no answer (REQUIRED, not BAD_ADDRESS)
    check_injected(qtbot, window, form, *UNREACHABLE[ProblemCode.BAD_ADDRESS][1:])


def check_injected(qtbot, window, form, problem: FieldProblem, expect: Expect) -> None:
    for language, text in (("vi", expect.vi), ("en", expect.en)):
        set_language(qtbot, window, language)
        assert describe_problem(problem) == text
        form.show_problems(FormInvalid([problem]))
        assert_shown(form, problem.field_id, text, expect.code)
    set_language(qtbot, window, "vi")
