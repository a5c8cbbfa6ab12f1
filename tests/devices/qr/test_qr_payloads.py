"""Receipt and VietQR parsers, the classify() dispatcher: examples, every error code, hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.qr.cccd import CccdQr, render_cccd_qr
from devices.qr.classify import Unrecognised, classify, kind_of
from devices.qr.errors import CccdQrError, QrPayloadError, ReceiptQrError, VietQrError
from devices.qr.receipt import ReceiptQr, RefKind, build_receipt_qr, check_code, parse_receipt_qr
from devices.qr.vietqr import Service, VietQr, build_vietqr, crc16, parse_tlv, parse_vietqr

#: A published example (github.com/subiz/vietqr README): an independent check of TLV order and CRC.
SUBIZ = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612000058"
    "02VN62170813ung ho lu lut6304C15C"
)
ANH = (
    "079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ|"
    "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|10052021"
)
DAY = dt.date(2026, 11, 27)


def resign(body_without_crc: str) -> str:
    body = body_without_crc + "6304"
    return body + crc16(body)


def test_crc16_is_ccitt_false():
    assert crc16("123456789") == "29B1"  # the catalogued check value of CRC-16/CCITT-FALSE
    assert check_code("123456789") == "29B1"


def test_published_vietqr_example_parses_and_rebuilds_identically():
    qr = parse_vietqr(SUBIZ)
    assert (qr.bank_bin, qr.account, qr.service) == ("970415", "0011001932418", Service.ACCOUNT)
    assert qr.amount == Decimal(120000) and qr.purpose == "ung ho lu lut" and qr.dynamic
    assert qr.bank_name == "VietinBank"
    assert build_vietqr("970415", "0011001932418", amount=120000, purpose="ung ho lu lut") == SUBIZ
    assert "0011001932418" not in repr(qr)


def test_static_card_code_with_unknown_tags_kept_raw():
    body = SUBIZ[: SUBIZ.index("6304")].replace("QRIBFTTA", "QRIBFTTC").replace("010212", "010211")
    qr = parse_vietqr(resign(body + "520459996005HANOI"))
    assert qr.service is Service.CARD and not qr.dynamic
    assert qr.extra == (("52", "5999"), ("60", "HANOI"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0" * 513, "too_long"),
        (SUBIZ[:-4] + "\x00\x01\x02\x03", "binary"),
        ("https://vietqr.net", "not_emv"),
        ("000201010212385", "bad_tlv"),
        ("000201010212", "bad_crc"),  # no CRC at all
        (resign("000201000201"), "duplicate_tag"),
        (SUBIZ[:-4] + "C15D", "bad_crc"),
        (SUBIZ[:-4] + "c15c", "bad_crc"),
        (SUBIZ.replace("120000", "130000"), "bad_crc"),  # an altered amount
        (SUBIZ + "9902AB", "bad_tlv"),  # a field after the CRC
        (resign("000201010212"), "missing_field"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("010212", "010213")), "bad_field"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("A000000727", "A000000999")), "not_vietqr"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("QRIBFTTA", "QRPUSHXX")), "bad_service"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("0006970415", "000697041A")), "bad_bank"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("54061200005802", "5406-120005802")), "bad_amount"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("54061200005802", "54060000005802")), "bad_amount"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("5303704", "5303840")), "bad_currency"),
        (resign(SUBIZ[: SUBIZ.index("6304")].replace("5802VN", "5802SG")), "bad_country"),
    ],
)
def test_vietqr_errors(text, code):
    with pytest.raises(VietQrError) as info:
        parse_vietqr(text)
    assert info.value.code == code and str(info.value)
    assert "0011001932418" not in str(info.value)


def test_receipt_round_trips_for_both_reference_kinds():
    text = build_receipt_qr("H12.22.10-261127-0001", "H12.22.10", DAY)
    assert text.startswith("MCK1|H12.22.10-261127-0001|H12.22.10|261127|")
    assert parse_receipt_qr(text) == ReceiptQr("H12.22.10-261127-0001", RefKind.DOSSIER, "H12.22.10", DAY)
    local = parse_receipt_qr(build_receipt_qr("Q-261127-0042", "H12.22.10", DAY))
    assert local.kind is RefKind.LOCAL and local.reference == "Q-261127-0042"


def receipt(body: str) -> str:
    return body + check_code(body)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("M" * 129, "too_long"),
        ("MCK1|Q-261127-0001|\x00|261127|0000", "binary"),
        ("HELLO", "not_receipt"),
        ("MCK|Q-261127-0001|H12|261127|0000", "not_receipt"),
        ("MCK2|anything|goes|here", "version"),
        (receipt("MCK1|Q-261127-0001|H12|261127|x|"), "field_count"),
        ("MCK1|Q-261127-0001|H12|261127|0000", "bad_check"),
        (receipt("MCK1|Q-261127-0001|H12|261127|").lower().replace("mck1", "MCK1"), "bad_check"),
        (receipt("MCK1|Q-261127-0000|H12|261127|"), "bad_ref"),
        (receipt("MCK1|Q-26112-0001|H12|261127|"), "bad_ref"),
        (receipt("MCK1|Q-261127-0001|h12|261127|"), "bad_unit"),
        (receipt("MCK1|Q-261127-0001|Q|261127|"), "bad_unit"),  # Q-... is always a local reference
        (receipt("MCK1|Q-261327-0001|H12|261327|"), "bad_date"),
        (receipt("MCK1|Q-261127-0001|H12|261128|"), "mismatch"),
        (receipt("MCK1|H12-261127-0001|H13|261127|"), "mismatch"),
    ],
)
def test_receipt_errors(text, code):
    with pytest.raises(ReceiptQrError) as info:
        parse_receipt_qr(text)
    assert info.value.code == code and str(info.value)


def test_receipt_builder_refuses_inconsistent_parts():
    with pytest.raises(ReceiptQrError):
        build_receipt_qr("H12-261127-0001", "H13", DAY)


def test_classify_dispatches_by_start_and_keeps_specific_errors():
    assert isinstance(classify(ANH), CccdQr) and kind_of(classify(ANH)) == "cccd"
    assert isinstance(classify(SUBIZ), VietQr) and kind_of(classify(SUBIZ)) == "vietqr"
    text = build_receipt_qr("Q-261127-0001", "H12.22.10", DAY)
    assert isinstance(classify(text), ReceiptQr)
    other = classify("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html")
    assert isinstance(other, Unrecognised) and kind_of(other) == "unrecognised"
    assert "dichvucong" not in repr(other) and other.raw.startswith("https://")
    with pytest.raises(CccdQrError) as info:
        classify(ANH.replace("14031995", "14031996"))
    assert info.value.code == "id_mismatch"
    with pytest.raises(VietQrError) as vinfo:
        classify(SUBIZ[:-1] + "D")
    assert vinfo.value.code == "bad_crc"
    with pytest.raises(ReceiptQrError):
        classify(text[:-1] + ("0" if text[-1] != "0" else "1"))


@pytest.mark.parametrize(("text", "code"), [("a" * 4096, "too_long"), ("\x00\x01\xff\xfe", "binary")])
def test_classify_rejects_floods_and_binary(text, code):
    with pytest.raises(QrPayloadError) as info:
        classify(text)
    assert info.value.code == code


# -- hypothesis ------------------------------------------------------------------------------

_UNIT = st.from_regex(r"[A-Z0-9][A-Z0-9.]{0,12}", fullmatch=True).filter(lambda u: u != "Q")
_DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@given(_UNIT, _DAYS, st.integers(1, 999_999), st.booleans())
def test_receipt_round_trip(unit, day, seq, local):
    ref = f"Q-{day:%y%m%d}-{seq:04d}" if local else f"{unit}-{day:%y%m%d}-{seq:04d}"
    parsed = parse_receipt_qr(build_receipt_qr(ref, unit, day))
    assert parsed == ReceiptQr(ref, RefKind.LOCAL if local else RefKind.DOSSIER, unit, day)


_ASCII_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=25)


@given(
    st.from_regex(r"[0-9]{6}", fullmatch=True), st.from_regex(r"[0-9A-Za-z]{1,19}", fullmatch=True),
    st.sampled_from(Service), st.one_of(st.none(), st.integers(1, 10**12)),
    st.one_of(st.none(), _ASCII_TEXT), st.one_of(st.none(), _ASCII_TEXT),
)
def test_vietqr_round_trip(bank, account, service, amount, purpose, name):
    text = build_vietqr(bank, account, service=service, amount=amount, purpose=purpose, merchant_name=name)
    qr = parse_vietqr(text)
    assert (qr.bank_bin, qr.account, qr.service, qr.purpose, qr.merchant_name) == (bank, account, service, purpose, name)
    assert qr.amount == (None if amount is None else Decimal(amount))
    assert qr.dynamic is (amount is not None)
    assert parse_tlv(text)["63"] == text[-4:]


@st.composite
def mutated(draw, seed: str) -> str:
    """One to three character edits (replace, insert, delete) of a valid payload."""
    text = seed
    for _ in range(draw(st.integers(1, 3))):
        pos = draw(st.integers(0, len(text)))
        char = draw(st.characters(codec="utf-8"))
        op = draw(st.sampled_from(("replace", "insert", "delete")))
        if op == "insert":
            text = text[:pos] + char + text[pos:]
        elif op == "replace":
            text = text[:pos] + char + text[pos + 1 :]
        else:
            text = text[:pos] + text[pos + 1 :]
    return text


_RECEIPT = build_receipt_qr("H12.22.10-261127-0001", "H12.22.10", DAY)


@settings(max_examples=400)
@given(st.one_of(mutated(SUBIZ), mutated(_RECEIPT), mutated(ANH)))
def test_mutated_payloads_parse_or_raise_typed_errors(text):
    for parse, error in ((parse_vietqr, VietQrError), (parse_receipt_qr, ReceiptQrError)):
        try:
            parse(text)
        except error as exc:
            assert exc.code in type(exc).MESSAGES
    try:
        classify(text)
    except QrPayloadError as exc:
        assert str(exc)


@settings(max_examples=100)
@given(mutated(SUBIZ))
def test_mutating_a_vietqr_code_never_changes_what_it_says(text):
    """The CRC catches every small edit: a mutated code either fails or says exactly the same."""
    try:
        qr = parse_vietqr(text)
    except VietQrError:
        return
    assert (qr.bank_bin, qr.account, qr.amount) == ("970415", "0011001932418", Decimal(120000))


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=600), st.binary(max_size=600).map(lambda b: b.decode("latin-1"))))
def test_arbitrary_text_gives_only_typed_errors(text):
    for parse in (parse_vietqr, parse_receipt_qr, classify):
        try:
            parse(text)
        except QrPayloadError as exc:
            assert exc.code and str(exc)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.from_regex(r"[0-9]{2}", fullmatch=True), _ASCII_TEXT), min_size=1, max_size=8))
def test_well_formed_tlv_with_a_right_crc_gives_only_typed_errors(pairs):
    body = "000201" + "".join(f"{tag}{len(value):02d}{value}" for tag, value in pairs)
    try:
        parse_vietqr(resign(body))
    except VietQrError as exc:
        assert exc.code


def test_cccd_rendered_payload_classifies_as_cccd():
    qr = classify(ANH)
    assert classify(render_cccd_qr(qr.identity)) == qr
