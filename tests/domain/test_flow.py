"""The journey's state machine, driven without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.domain.flow import VN_TZ, ConsentRefused, Flow, FormInvalid, IllegalTransition, Step
from kiosk.domain.forms import ProblemCode
from kiosk.domain.identity import CitizenIdentity, IdSource, Sex
from kiosk.domain.paths import PROCEDURES_DIR
from kiosk.domain.procedures import Catalogue

NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=VN_TZ)
PERSON = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                         date_of_birth=dt.date(1995, 3, 14), sex=Sex.FEMALE, residence="Q1")
ANSWERS = {"phone": "0912345678", "certificate_type": "1", "copies": "1", "delivery": "post"}


@pytest.fixture
def flow():
    flow = Flow(Catalogue.load(PROCEDURES_DIR), unit_code="H12.22.10", kiosk_id="K1",
                clock=lambda: NOW)
    seen = []
    flow.subscribe(lambda old, new: seen.append((old, new)))
    flow.seen = seen
    return flow


def _to_review(flow):
    flow.start()
    flow.identify(PERSON)
    flow.choose("3.000333")
    flow.read_requirements()
    flow.submit_form(flow.answers | ANSWERS)


def _to_submitting(flow):
    _to_review(flow)
    flow.confirm()
    return flow.consent(True)


def test_happy_path(flow):
    _to_review(flow)
    assert flow.step is Step.REVIEW
    flow.confirm()
    assert flow.step is Step.CONSENT
    payload = flow.consent(True)
    assert payload["procedure_code"] == "3.000333"
    assert payload["unit_code"] == "H12.22.10"
    assert payload["applicant"]["full_name"] == "Trần Thị Minh Anh"
    assert payload["applicant"]["identified_by"] == "chip"
    assert payload["form"]["copies"] == 1
    assert payload["submitted_at"] == "2026-11-27T09:30:00+07:00"
    assert payload["consent_at"] == "2026-11-27T09:30:00+07:00"
    flow.submitted("receipt")
    assert flow.step is Step.RECEIPT and flow.receipt == "receipt"
    flow.finish()
    assert flow.step is Step.WELCOME
    assert flow.identity is None and flow.answers == {} and flow.receipt is None
    assert flow.consent_at is None
    assert [new for _, new in flow.seen] == [Step.IDENTIFY, Step.CHOOSE, Step.REQUIREMENTS, Step.FORM,
                                             Step.REVIEW, Step.CONSENT, Step.SUBMITTING, Step.RECEIPT,
                                             Step.WELCOME]


@pytest.mark.parametrize(
    ("step_intents", "intent"),
    [((), "confirm"), ((), "finish"), (("start",), "submitted"), (("start",), "finish")],
)
def test_illegal_transitions_raise(flow, step_intents, intent):
    for name in step_intents:
        getattr(flow, name)()
    before = flow.step
    with pytest.raises(IllegalTransition):
        getattr(flow, intent)(*(["x"] if intent in {"submitted"} else []))
    assert flow.step is before


def test_cannot_cancel_while_submitting(flow):
    _to_submitting(flow)
    with pytest.raises(IllegalTransition):
        flow.cancel()


def test_invalid_form_keeps_answers(flow):
    flow.start()
    flow.identify(PERSON)
    flow.choose("3.000333")
    flow.read_requirements()
    bad = flow.answers | ANSWERS | {"copies": "99"}
    with pytest.raises(FormInvalid) as info:
        flow.submit_form(bad)
    assert [(p.field_id, p.code) for p in info.value.problems] == [("copies", ProblemCode.OUT_OF_RANGE)]
    assert flow.step is Step.FORM
    assert flow.answers == bad


def test_back_keeps_answers_for_same_procedure(flow):
    _to_review(flow)
    flow.back()
    assert flow.step is Step.FORM and flow.answers["phone"] == "0912345678"
    flow.back()
    assert flow.step is Step.REQUIREMENTS
    flow.back()
    flow.choose("3.000333")
    assert flow.answers["phone"] == "0912345678"
    flow.back()
    flow.choose("1.001193")  # another procedure: fresh prefill
    assert "phone" not in flow.answers and flow.answers["full_name"] == "Trần Thị Minh Anh"


def test_submit_failure_returns_to_review(flow):
    _to_submitting(flow)
    flow.submit_failed("disk full")
    assert flow.step is Step.REVIEW and flow.last_error == "disk full"


def test_cancel_wipes_everywhere(flow):
    _to_review(flow)
    flow.cancel()
    assert flow.step is Step.WELCOME
    assert flow.identity is None and flow.procedure is None and flow.answers == {}


def test_typed_identity_needs_typed_name(flow):
    flow.start()
    flow.identify(CitizenIdentity("079195012345", IdSource.TYPED))
    flow.choose("3.000333")
    flow.read_requirements()
    assert "full_name" not in flow.answers
    with pytest.raises(FormInvalid) as info:
        flow.submit_form(ANSWERS)
    assert {p.field_id for p in info.value.problems} >= {"full_name", "date_of_birth"}


def test_typed_values_must_agree_with_the_id_number(flow):
    flow.start()
    flow.identify(CitizenIdentity("079195012345", IdSource.TYPED))  # born 1995, female
    flow.choose("3.000333")
    flow.read_requirements()
    answers = ANSWERS | {"full_name": "A", "date_of_birth": "14/03/1996", "sex": "M", "residence": "Q1"}
    with pytest.raises(FormInvalid) as info:
        flow.submit_form(answers)
    assert [(p.field_id, p.code) for p in info.value.problems] == [
        ("date_of_birth", ProblemCode.DISAGREES_WITH_ID), ("sex", ProblemCode.DISAGREES_WITH_ID)]
    flow.submit_form(answers | {"date_of_birth": "14/03/1995", "sex": "F"})
    assert flow.step is Step.REVIEW


def test_a_second_citizen_never_inherits_the_first_ones_answers(flow):
    _to_review(flow)
    flow.back()  # FORM
    flow.back()  # REQUIREMENTS
    flow.back()  # CHOOSE
    flow.back()  # IDENTIFY: the first citizen walks away, someone else steps up
    other = CitizenIdentity("001205067890", IdSource.TYPED)
    flow.identify(other)
    flow.choose("3.000333")
    assert "phone" not in flow.answers and "full_name" not in flow.answers
    assert flow.identity is other


def test_the_same_citizen_coming_back_keeps_the_answers(flow):
    _to_review(flow)
    for _ in range(4):
        flow.back()
    assert flow.step is Step.IDENTIFY
    flow.identify(PERSON)
    flow.choose("3.000333")
    assert flow.answers["phone"] == "0912345678"


def test_session_repr_hides_answers(flow):
    _to_review(flow)
    assert "0912345678" not in repr(flow._session)
    assert "Trần" not in repr(flow._session)


def test_requirements_step_sits_between_choose_and_form(flow):
    flow.start()
    flow.identify(PERSON)
    flow.choose("3.000333")
    assert flow.step is Step.REQUIREMENTS and flow.procedure.code == "3.000333"
    with pytest.raises(IllegalTransition):
        flow.submit_form(flow.answers | ANSWERS)
    assert flow.step is Step.REQUIREMENTS
    flow.back()
    assert flow.step is Step.CHOOSE
    flow.choose("3.000333")
    flow.read_requirements()
    assert flow.step is Step.FORM
    with pytest.raises(IllegalTransition):
        flow.read_requirements()


def test_refusing_consent_sends_nothing_and_stays(flow):
    _to_review(flow)
    flow.confirm()
    with pytest.raises(ConsentRefused):
        flow.consent(False)
    assert flow.step is Step.CONSENT and flow.consent_at is None
    assert Step.SUBMITTING not in [new for _, new in flow.seen]
    flow.back()
    assert flow.step is Step.REVIEW and flow.answers["phone"] == "0912345678"
    flow.confirm()
    assert flow.consent(True)["consent_at"] == "2026-11-27T09:30:00+07:00"


def test_consent_cannot_be_skipped_or_given_elsewhere(flow):
    _to_review(flow)
    with pytest.raises(IllegalTransition):
        flow.consent(True)
    assert flow.step is Step.REVIEW
    flow.confirm()
    flow.cancel()
    assert flow.step is Step.WELCOME and flow.consent_at is None and flow.answers == {}


@pytest.mark.parametrize("step_count", range(8))
def test_cancel_from_every_step_but_submitting_wipes(flow, step_count):
    moves = [flow.start, lambda: flow.identify(PERSON), lambda: flow.choose("3.000333"),
             flow.read_requirements, lambda: flow.submit_form(flow.answers | ANSWERS), flow.confirm,
             lambda: flow.consent(True), lambda: flow.submitted("r")]
    for move in moves[:step_count]:
        move()
    if flow.step is Step.SUBMITTING:
        assert not flow.allowed("cancel")
        return
    flow.cancel()
    assert flow.step is Step.WELCOME and flow.identity is None and flow.consent_at is None


# -- document photos and the SMS choice ----------------------------------------------------------
JPEG = b"\xff\xd8\xff\xe0" + b"photo of a rental contract" * 10


def _to_residence_form(flow):
    flow.start()
    flow.identify(PERSON)
    flow.choose(TEMP_RESIDENCE)
    flow.read_requirements()


TEMP_RESIDENCE = "1.004194"  # temporary residence registration
RESIDENCE_ANSWERS = {"phone": "0912345678", "new_address": "1:466", "new_street": "Thôn Đông",
                     "housing": "rented", "stay_until": "27/11/2027", "delivery": "counter"}


def test_a_photo_is_sent_only_while_its_field_is_shown(flow):
    _to_residence_form(flow)
    digest = flow.attach("rental_contract", JPEG)
    assert flow.answers["rental_contract"] == digest
    flow.submit_form(flow.answers | RESIDENCE_ANSWERS)
    flow.confirm()
    payload = flow.consent(True)
    assert [a["field"] for a in payload["attachments"]] == ["rental_contract"]
    assert payload["attachments"][0]["sha256"] == digest
    assert flow.attachment_data() == [JPEG]
    # a photo for a question that is hidden again is neither listed nor sent
    flow2 = Flow(flow.catalogue, unit_code="U", kiosk_id="K", clock=lambda: NOW)
    _to_residence_form(flow2)
    flow2.attach("owner_consent", JPEG)
    flow2.submit_form(flow2.answers | RESIDENCE_ANSWERS | {"housing": "own"})
    flow2.confirm()
    assert "attachments" not in flow2.consent(True) and flow2.attachment_data() == []


def test_an_attachment_answer_without_its_photo_is_a_problem(flow):
    _to_residence_form(flow)
    with pytest.raises(FormInvalid) as caught:
        flow.submit_form(flow.answers | RESIDENCE_ANSWERS | {"rental_contract": "ab" * 32})
    assert [(p.field_id, p.code) for p in caught.value.problems] == [
        ("rental_contract", ProblemCode.BAD_ATTACHMENT)]
    flow.attach("rental_contract", JPEG)
    flow.detach("rental_contract")
    assert "rental_contract" not in flow.answers and flow.attachments == {}


def test_photos_are_checked_and_only_taken_on_the_form(flow):
    from kiosk.domain.attachments import AttachmentRejected

    with pytest.raises(IllegalTransition):
        flow.attach("rental_contract", JPEG)
    _to_residence_form(flow)
    for bad in (b"", b"GIF89a....", b"\xff\xd8\xff" + bytes(6 * 1024 * 1024)):
        with pytest.raises(AttachmentRejected):
            flow.attach("rental_contract", bad)
    with pytest.raises(ValueError):
        flow.attach("phone", JPEG)
    assert flow.attachments == {}


def test_photos_and_sms_choice_are_wiped_with_the_session(flow):
    _to_residence_form(flow)
    flow.attach("rental_contract", JPEG)
    flow.submit_form(flow.answers | RESIDENCE_ANSWERS)
    flow.set_sms_phone("+84 912 345 678")
    assert flow.sms_phone == "0912345678"
    flow.cancel()
    assert flow.attachments == {} and flow.sms_phone is None and flow.answers == {}


def test_sms_choice_goes_into_the_payload(flow):
    _to_review(flow)
    assert flow.suggested_sms_phone() == "0912345678"
    with pytest.raises(FormInvalid) as caught:
        flow.set_sms_phone("0123")
    assert caught.value.problems[0].code is ProblemCode.BAD_PHONE and flow.sms_phone is None
    flow.set_sms_phone("0987654321")
    flow.confirm()
    flow.set_sms_phone("0912345678")  # still allowed on the consent screen
    assert flow.consent(True)["notify"] == {"sms": "0912345678"}


def test_no_sms_means_no_notify_and_sms_is_only_chosen_late(flow):
    with pytest.raises(IllegalTransition):
        flow.set_sms_phone("0912345678")
    _to_review(flow)
    flow.set_sms_phone("0912345678")
    flow.set_sms_phone(None)
    flow.confirm()
    assert "notify" not in flow.consent(True)
