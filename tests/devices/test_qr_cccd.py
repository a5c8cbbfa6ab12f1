"""The CCCD QR payload parser: the documented variants, every error code, and hypothesis tests."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.qr.cccd import CccdQr, QrPayloadError, parse_cccd_qr, render_cccd_qr
from kiosk.domain.identity import PROVINCE_CODES, CitizenIdentity, IdSource, Sex

ANH = (
    "079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ|"
    "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|10052021"
)
KHANG = "001205067890||Nguyễn Văn Khang|02092005|Nam|Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội|15082021"


def test_seven_field_example():
    qr = parse_cccd_qr(ANH)
    identity = qr.identity
    assert identity.source is IdSource.QR
    assert (identity.id_number, identity.full_name) == ("079195012345", "Trần Thị Minh Anh")
    assert identity.date_of_birth == dt.date(1995, 3, 14) and identity.sex is Sex.FEMALE
    assert identity.residence.endswith("Thành phố Hồ Chí Minh") and "," in identity.residence
    assert identity.issue_date == dt.date(2021, 5, 10)
    assert qr.old_id == identity.old_id_number == "025678901"
    assert qr.extras == ()
    assert identity.expiry_date is None  # not in the QR


def test_empty_old_id_and_six_field_variant_agree():
    seven = parse_cccd_qr(KHANG)
    six = parse_cccd_qr(KHANG.replace("001205067890||", "001205067890|"))
    assert seven.old_id is None and seven == six
    assert seven.identity.sex is Sex.MALE


def test_extra_trailing_fields_are_kept_raw():
    qr = parse_cccd_qr(ANH + "|Trần Văn Hùng|Lê Thị Hoa|")
    assert qr.extras == ("Trần Văn Hùng", "Lê Thị Hoa", "")
    six = parse_cccd_qr(KHANG.replace("||", "|") + "|x")
    assert six.extras == ("x",)


def test_decomposed_text_is_normalised_to_nfc():
    qr = parse_cccd_qr(unicodedata.normalize("NFD", ANH))
    assert qr.identity.full_name == "Trần Thị Minh Anh"
    assert unicodedata.is_normalized("NFC", qr.identity.residence)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("x" * 1025, "too_long"),
        ("079195012345|\x00\x01\x02|garbage" + "|x" * 6, "binary"),
        ("079195012345|025678901|Tr\ufffdn|14031995|Nữ|a|10052021", "binary"),
        ("https://dichvucong.gov.vn/", "not_cccd"),
        ("", "not_cccd"),
        ("WIFI:S:kiosk;T:WPA;P:secret;;", "not_cccd"),
        ("abc|def|ghi|jkl|mno|pqr|stu", "not_cccd"),
        ("079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ", "field_count"),
        (ANH.replace("079195012345", "07919501234"), "bad_id"),
        (ANH.replace("079195012345", "003195012345"), "bad_id"),  # 003 is no province
        (ANH.replace("025678901", "0256789"), "bad_id"),  # old CMND is 9 or 12 digits
        (ANH.replace("|025678901|Trần Thị Minh Anh|", "|025678901|Trần|Thị|"), "bad_date"),
        (ANH.replace("|025678901|", "|02567890A|"), "bad_id"),
        (ANH.replace("14031995", "31021995"), "bad_date"),
        (ANH.replace("10052021", "10131990"), "bad_date"),
        (ANH.replace("10052021", "10051990"), "bad_date"),  # issued before birth
        (ANH.replace("14031995", "1403995"), "bad_date"),
        (ANH.replace("|Nữ|", "|X|"), "bad_field"),
        (ANH.replace("|Trần Thị Minh Anh|", "||"), "bad_field"),
        (ANH.replace("14031995", "14031996"), "id_mismatch"),
        (ANH.replace("|Nữ|", "|Nam|"), "id_mismatch"),
        (ANH.replace("079195012345", "079395012345"), "id_mismatch"),  # century digit: 2000s
        (ANH.replace("14031995", "14031895"), "bad_date"),  # before 1900
        (ANH.replace("10052021", "10052099"), "bad_date"),  # issued in the future
        (ANH.replace("14031995", "١٤٠٣١٩٩٥"), "bad_date"),  # Arabic-Indic digits
        (ANH.replace("079195012345", "０７９１９５０１２３４５"), "not_cccd"),  # full-width digits
        (ANH.replace("025678901", "０２５６７８９０１"), "bad_id"),
        (ANH.replace("Minh Anh", "Minh\u202eAnh"), "unsafe_text"),  # direction override
        (ANH.replace("Minh Anh", "Minh\u200bAnh"), "unsafe_text"),  # zero-width space
        (ANH.replace("Lê Lợi", "Lê\u2066Lợi"), "unsafe_text"),
        (ANH.replace("Lê Lợi", "Lê\u0000Lợi"), "binary"),  # NUL, as zxing-cpp's Plain mode gives
    ],
)
def test_errors_have_stable_codes_and_no_personal_data(text, code):
    with pytest.raises(QrPayloadError) as info:
        parse_cccd_qr(text)
    assert info.value.code == code
    message = str(info.value)
    for secret in ("079195012345", "Minh Anh", "025678901", "Lê Lợi"):
        assert secret not in message


def test_repr_shows_no_personal_data():
    qr = parse_cccd_qr(ANH)
    assert "Minh" not in repr(qr) and "025678901" not in repr(qr) and "079195012345" not in repr(qr)


# -- hypothesis ------------------------------------------------------------------------------

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_WORD = st.text(alphabet=_LETTERS + _LETTERS.upper(), min_size=1, max_size=8)
_NAME = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_ADDRESS = st.lists(st.text(alphabet=_LETTERS + "0123456789 ,/-.", min_size=1, max_size=20), max_size=4).map(
    lambda parts: ", ".join(" ".join(p.split()) for p in parts if p.strip())
)
_TODAY = dt.date(2026, 6, 30)


@st.composite
def identities(draw) -> tuple[CitizenIdentity, tuple[str, ...]]:
    dob = draw(st.dates(dt.date(1900, 1, 1), _TODAY))
    sex = draw(st.sampled_from(Sex))
    digit = (dob.year - 1900) // 100 * 2 + (1 if sex is Sex.FEMALE else 0)
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    rest = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    id_number = f"{province}{digit}{dob.year % 100:02d}{rest}"
    issued = draw(st.dates(dob, _TODAY))
    old = draw(st.one_of(st.none(), st.text(alphabet="0123456789", min_size=9, max_size=9)))
    residence = draw(_ADDRESS) or None
    identity = CitizenIdentity(
        id_number=id_number, source=IdSource.QR, full_name=unicodedata.normalize("NFC", draw(_NAME)),
        date_of_birth=dob, sex=sex, residence=residence and unicodedata.normalize("NFC", residence),
        issue_date=issued, old_id_number=old,
    )
    extras = tuple(draw(st.lists(_NAME, max_size=3)))
    return identity, extras


@given(identities())
def test_parse_of_render_round_trips(case):
    identity, extras = case
    qr = parse_cccd_qr(render_cccd_qr(identity, extras=extras), today=_TODAY)
    assert qr == CccdQr(identity, identity.old_id_number, extras)


@given(identities())
def test_six_field_variant_round_trips_without_the_old_id(case):
    identity, _ = case
    qr = parse_cccd_qr(render_cccd_qr(identity, with_old_id_field=False), today=_TODAY)
    assert qr.identity == CitizenIdentity(**{**_fields(identity), "old_id_number": None})


def _fields(identity: CitizenIdentity) -> dict:
    return {name: getattr(identity, name) for name in identity.__dataclass_fields__}


@settings(max_examples=500)
@given(st.text(max_size=1200))
def test_arbitrary_text_raises_only_qr_payload_error(text):
    try:
        parse_cccd_qr(text)
    except QrPayloadError as exc:
        assert exc.code
        assert str(exc)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.text(max_size=15), st.text(alphabet="0123456789", max_size=13)), max_size=10))
def test_pipe_joined_fragments_raise_only_qr_payload_error(fields):
    try:
        parse_cccd_qr("|".join(fields))
    except QrPayloadError:
        pass


@given(st.binary(max_size=300))
def test_bytes_decoded_as_latin1_raise_only_qr_payload_error(raw):
    try:
        parse_cccd_qr(raw.decode("latin-1"))
    except QrPayloadError:
        pass
