"""EF.CardAccess SecurityInfos: the ICAO example, unknown entries kept, builder, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.errors import MalformedData
from devices.card.icao import tlv
from devices.card.icao.card_access import (
    PACE_ECDH_GM_3DES,
    PACE_ECDH_GM_AES_128,
    PACE_ECDH_GM_AES_256,
    PaceInfo,
    SecurityInfo,
    build_card_access,
    decode_oid,
    encode_oid,
    pace_infos,
    parse_card_access,
)

H = bytes.fromhex
# ICAO 9303-11 Appendix G.1's EF.CardAccess (quoted in ZeroPass dmrtd test/pace_test.dart).
ICAO_G1 = "31143012060A04007F0007020204020202010202010D"
# A ChipAuthenticationInfo-like entry (id-CA-ECDH-AES-CBC-CMAC-128, version 1) the parser must keep.
CA_INFO = "300F060A04007F00070202030202020101"
# A PACEDomainParameterInfo-like entry whose second field is a SEQUENCE, not an INTEGER.
ODD_INFO = "3011060A04007F0007020204020230030201FF"


def test_icao_example() -> None:
    infos = parse_card_access(H(ICAO_G1))
    assert infos == [PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)]
    info = infos[0]
    assert (info.agreement, info.mapping, info.cipher) == ("ECDH", "GM", "aes128")
    assert info.is_pace
    assert build_card_access(infos) == H(ICAO_G1)


def test_unknown_infos_are_kept_raw_and_written_back() -> None:
    raw = tlv.encode(0x31, H(CA_INFO) + H(ICAO_G1)[2:] + H(ODD_INFO))
    infos = parse_card_access(raw)
    assert infos[0] == SecurityInfo("0.4.0.127.0.7.2.2.3.2.2", H(CA_INFO))
    assert infos[1] == PaceInfo(PACE_ECDH_GM_AES_128, 2, 13)
    assert isinstance(infos[2], SecurityInfo)
    assert pace_infos(infos) == [infos[1]]
    assert parse_card_access(build_card_access(infos)) == sorted(
        infos, key=lambda i: i.to_der()
    )


def test_variants_and_padding() -> None:
    infos = [PaceInfo(PACE_ECDH_GM_3DES, 2, 12), PaceInfo(PACE_ECDH_GM_AES_256, 2, None)]
    raw = build_card_access(infos)
    assert set(parse_card_access(raw + b"\x00\x00\xff")) == set(infos)
    assert PaceInfo(PACE_ECDH_GM_3DES).cipher == "3des"
    assert PaceInfo("0.4.0.127.0.7.2.2.4.4.2").mapping == "IM"
    assert PaceInfo("1.2.3").cipher is None and not PaceInfo("1.2.3").is_pace
    with pytest.raises(MalformedData):
        parse_card_access(raw + b"\x01")


@pytest.mark.parametrize("raw", ["", "3000" "00", "3100", "30020500", "31043002", "3105300306012A",
                                 "310430020201", "3108300606042A8080"])
def test_malformed(raw: str) -> None:
    if raw == "3100":
        assert parse_card_access(H(raw)) == []
        return
    with pytest.raises(MalformedData):
        parse_card_access(H(raw))


@pytest.mark.parametrize(
    "oid", ["0.4.0.127.0.7.2.2.4.2.2", "1.2.840.10045.2.1", "2.999.1", "1.3.6"]
)
def test_oid_round_trip(oid: str) -> None:
    assert decode_oid(encode_oid(oid)) == oid
    assert encode_oid("0.4.0.127.0.7.2.2.4.2.2") == H("04007F00070202040202")


@pytest.mark.parametrize("oid", ["1", "3.1", "1.40", "a.b"])
def test_bad_oids_cannot_be_encoded(oid: str) -> None:
    with pytest.raises(ValueError):
        encode_oid(oid)


infos = st.lists(
    st.builds(PaceInfo, st.sampled_from([PACE_ECDH_GM_AES_128, PACE_ECDH_GM_3DES, "1.2.3.4"]),
              st.integers(0, 10**6), st.one_of(st.none(), st.integers(-5, 2**40))),
    max_size=4, unique=True,
)


@given(infos)
def test_build_parse_round_trip(built: list[PaceInfo]) -> None:
    parsed = parse_card_access(build_card_access(built))
    for original, again in zip(sorted(built, key=lambda i: i.to_der()), parsed):
        if original.is_pace:
            assert again == original
        else:
            assert isinstance(again, SecurityInfo) and again.oid == original.oid


@settings(max_examples=500)
@given(st.binary(max_size=64))
def test_random_bytes_raise_only_malformed_data(raw: bytes) -> None:
    try:
        parse_card_access(raw)
    except MalformedData:
        pass


@settings(max_examples=300)
@given(st.data())
def test_mutated_card_access_raises_only_malformed_data(data: st.DataObject) -> None:
    raw = bytearray(tlv.encode(0x31, H(CA_INFO) + H(ICAO_G1)[2:]))
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    try:
        parse_card_access(bytes(raw))
    except MalformedData:
        pass
