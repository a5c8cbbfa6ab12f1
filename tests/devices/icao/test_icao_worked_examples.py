"""ICAO Doc 9303 Part 11 worked examples, reproduced byte for byte.

Sources of the values (all quote the published document; none were computed here):
- Appendix D (BAC, "ERIKSSON ANNA MARIA", L898902C<, 690806, 940623): D.2 key derivation,
  D.3 mutual authentication, D.4 secure messaging. Read from the test suites of ZeroPass dmrtd
  (test/crypto/des_test.dart, "Test vectors from ICAO 9303 p11 - Appendix D to Part 11, section
  D.3"), gmrtd (TestNfcSessionSecureMessagingTDES, "Worked example from 9303p11 D.4") and
  liblogicalaccess (tests/epass, test_secure_messaging_*), which agree with each other.
- Appendix G.1 (PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1, MRZ password T22000129,
  640812, 101031): every intermediate value and every APDU, read from ZeroPass dmrtd
  (test/pace_test.dart, "Test vectors taken from Appendix D.3 to Part 11 of ICAO 9303 p11"),
  cross-checked against Proxmark3's emrtd PACE self-test ("ICAO 9303-11 Appendix G") and the
  Verifiable .NET tests (PaceGenericMappingCryptoTests, "Appendix G.1 worked example").
"""

from __future__ import annotations

import pytest
from icao_helpers import run, scripted_rng

from devices.card.icao import sm as sm_mod
from devices.card.icao._crypto import derive_key, retail_mac, pad, tdes_cbc_encrypt
from devices.card.icao._ec import curve_for_parameter_id
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import BacCard, BacTerminal, mrz_information, mrz_key_seed
from devices.card.icao.card_access import PACE_ECDH_GM_AES_128, PaceInfo, parse_card_access
from devices.card.icao.pace import (
    PASSWORD_MRZ,
    PaceCard,
    PaceTerminal,
    auth_token,
    mrz_password,
    password_key,
)

H = bytes.fromhex

# ---- Appendix D: BAC ------------------------------------------------------------------------

BAC_SEED = "239AB9CB282DAF66231DC5A4DF6BFBAE"
BAC_K_ENC = "AB94FDECF2674FDFB9B391F85D7F76F2"
BAC_K_MAC = "7962D9ECE03D1ACD4C76089DCE131543"
RND_IC, RND_IFD = "4608F91988702212", "781723860C06C226"
K_IFD, K_IC = "0B795240CB7049B01C19B33E32804F0B", "0B4F80323EB3191CB04970CB4052790B"
S_IFD = RND_IFD + RND_IC + K_IFD
E_IFD = "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
M_IFD = "5F1448EEA8AD90A7"
E_IC = "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
M_IC = "2F2D235D074D7449"
KS_SEED = "0036D272F5C350ACAC50C3F572D23600"
KS_ENC, KS_MAC = "979EC13B1CBFE9DCD01AB0FED307EAE5", "F1CB1F1FB5ADF208806B89DC579DC1F8"
SSC = 0x887022120C06C226

# D.4: SELECT EF.COM, READ BINARY 4 bytes, READ BINARY 18 bytes from offset 4.
D4_EXCHANGES = [
    (CommandApdu(0x00, 0xA4, 0x02, 0x0C, H("011E")),
     "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
     "990290008E08FA855A5D4C50A8ED9000", ""),
    (CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4),
     "0CB000000D9701048E08ED6705417E96BA5500",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", "60145F01"),
    (CommandApdu(0x00, 0xB0, 0x00, 0x04, le=0x12),
     "0CB000040D9701128E082EA28A70F3C7B53500",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
     "04303130365F36063034303030305C026175"),
]


def test_bac_key_seed_and_keys_from_the_mrz() -> None:
    assert mrz_information("L898902C", "690806", "940623") == "L898902C<369080619406236"
    seed = mrz_key_seed("L898902C<", "690806", "940623")
    assert seed == H(BAC_SEED)
    assert derive_key(seed, 1, "3des") == H(BAC_K_ENC)
    assert derive_key(seed, 2, "3des") == H(BAC_K_MAC)


def test_bac_cryptograms_and_session_keys() -> None:
    assert tdes_cbc_encrypt(H(BAC_K_ENC), H(S_IFD)) == H(E_IFD)
    assert retail_mac(H(BAC_K_MAC), pad(H(E_IFD), 8)) == H(M_IFD)
    assert derive_key(H(KS_SEED), 1, "3des") == H(KS_ENC)
    assert derive_key(H(KS_SEED), 2, "3des") == H(KS_MAC)
    assert bytes(a ^ b for a, b in zip(H(K_IFD), H(K_IC))) == H(KS_SEED)


def test_bac_mutual_authentication_apdus_both_sides() -> None:
    seed = H(BAC_SEED)
    terminal = BacTerminal(seed, scripted_rng(RND_IFD, K_IFD))
    card = BacCard(seed, scripted_rng(RND_IC, K_IC))
    transcript = run(terminal, card)
    assert transcript == [
        ("0084000008", RND_IC + "9000"),
        ("0082000028" + E_IFD + M_IFD + "28", E_IC + M_IC + "9000"),
    ]
    assert terminal.result.ssc == SSC
    assert card.result is not None and card.result.ssc == SSC
    # Both channels carry the D.4 session keys: the terminal's protects D.4's first command.
    select, protected = D4_EXCHANGES[0][0], D4_EXCHANGES[0][1]
    assert terminal.result.protect(select).to_bytes().hex().upper() == protected


def test_secure_messaging_terminal_side_d4() -> None:
    channel = sm_mod.TripleDesSM(H(KS_ENC), H(KS_MAC), SSC)
    for plain, protected, answer, data in D4_EXCHANGES:
        assert channel.protect(plain).to_bytes().hex().upper() == protected
        resp = channel.unprotect(H(answer))
        assert (resp.data.hex().upper(), resp.sw) == (data, 0x9000)
    assert channel.ssc == 0x887022120C06C22C


def test_secure_messaging_card_side_d4() -> None:
    channel = sm_mod.TripleDesSM(H(KS_ENC), H(KS_MAC), SSC)
    for plain, protected, answer, data in D4_EXCHANGES:
        assert channel.unprotect_command(CommandApdu.parse(H(protected))) == plain
        resp = ResponseApdu(H(data), 0x9000)
        assert channel.protect_response(resp).hex().upper() == answer


# ---- Appendix G.1: PACE ECDH generic mapping, brainpoolP256r1 --------------------------------

CARD_ACCESS = "31143012060A04007F0007020204020202010202010D"
MRZ_HASH = "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
K_PI = "89DED1B26624EC1E634C1989302849DD"
Z, S = "95A3A016522EE98D01E76CB6B98B42C3", "3F00C4D39D153F2B2A214A078D899B22"
SK_MAP_IFD = "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
PK_MAP_IFD = ("047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
              "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D")
SK_MAP_IC = "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"
PK_MAP_IC = ("04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
             "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54")
H_POINT = ("0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
           "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181")
G_MAPPED = ("048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
            "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522")
SK_DH_IFD = "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
PK_DH_IFD = ("042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
             "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462")
SK_DH_IC = "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A"
PK_DH_IC = ("049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
            "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094")
SHARED_K = "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
PACE_KS_ENC, PACE_KS_MAC = "F5F0E35C0D7161EE6724EE513A0D9A7F", "FE251C7858B356B24514B3BD5F4297D1"
T_IFD, T_IC = "C2B0BD78D94BA866", "3ABB9674BCE93C08"
TOKEN_INPUT_IFD = "7F494F060A04007F00070202040202864104" + PK_DH_IC[2:]

G1_APDUS = [
    ("0022C1A40F800A04007F00070202040202830101", "9000"),
    ("10860000027C0000", "7C128010" + Z + "9000"),
    ("10860000457C43814104" + PK_MAP_IFD[2:] + "00", "7C43824104" + PK_MAP_IC[2:] + "9000"),
    ("10860000457C43834104" + PK_DH_IFD[2:] + "00", "7C43844104" + PK_DH_IC[2:] + "9000"),
    ("008600000C7C0A8508" + T_IFD + "00", "7C0A8608" + T_IC + "9000"),
]


@pytest.fixture()
def g1_info() -> PaceInfo:
    (info,) = parse_card_access(H(CARD_ACCESS))
    assert info == PaceInfo(PACE_ECDH_GM_AES_128, 2, 13)
    return info


def test_pace_password_and_nonce() -> None:
    password = mrz_password("T22000129", "640812", "101031")
    assert password == H(MRZ_HASH)
    assert password_key(password, "aes128") == H(K_PI)
    from devices.card.icao._crypto import aes_cbc_decrypt

    assert aes_cbc_decrypt(H(K_PI), H(Z)) == H(S)


def test_pace_generic_mapping_intermediate_values() -> None:
    curve = curve_for_parameter_id(13)
    sk_map_ifd, sk_map_ic = int(SK_MAP_IFD, 16), int(SK_MAP_IC, 16)
    assert curve.encode(curve.generator * sk_map_ifd) == H(PK_MAP_IFD)
    assert curve.encode(curve.generator * sk_map_ic) == H(PK_MAP_IC)
    shared = curve.multiply(curve.decode(H(PK_MAP_IC)), sk_map_ifd)
    assert curve.encode(shared) == H(H_POINT)
    mapped = curve.mapped_generator(int(S, 16), sk_map_ifd, curve.decode(H(PK_MAP_IC)))
    assert curve.encode(mapped) == H(G_MAPPED)
    same = curve.mapped_generator(int(S, 16), sk_map_ic, curve.decode(H(PK_MAP_IFD)))
    assert curve.encode(same) == H(G_MAPPED)
    assert curve.encode(curve.multiply(mapped, int(SK_DH_IFD, 16))) == H(PK_DH_IFD)
    assert curve.encode(curve.multiply(mapped, int(SK_DH_IC, 16))) == H(PK_DH_IC)
    assert curve.shared_x(curve.decode(H(PK_DH_IC)), int(SK_DH_IFD, 16)) == H(SHARED_K)
    assert curve.shared_x(curve.decode(H(PK_DH_IFD)), int(SK_DH_IC, 16)) == H(SHARED_K)


def test_pace_session_keys_and_tokens() -> None:
    assert derive_key(H(SHARED_K), 1, "aes128") == H(PACE_KS_ENC)
    assert derive_key(H(SHARED_K), 2, "aes128") == H(PACE_KS_MAC)
    assert auth_token("aes128", H(PACE_KS_MAC), PACE_ECDH_GM_AES_128, H(PK_DH_IC)) == H(T_IFD)
    assert auth_token("aes128", H(PACE_KS_MAC), PACE_ECDH_GM_AES_128, H(PK_DH_IFD)) == H(T_IC)
    from devices.card.icao._crypto import aes_cmac

    assert aes_cmac(H(PACE_KS_MAC), H(TOKEN_INPUT_IFD))[:8] == H(T_IFD)


def test_pace_apdus_both_sides(g1_info: PaceInfo) -> None:
    password = H(MRZ_HASH)
    terminal = PaceTerminal(password, PASSWORD_MRZ, g1_info, scripted_rng(SK_MAP_IFD, SK_DH_IFD))
    card = PaceCard({PASSWORD_MRZ: password}, [g1_info], scripted_rng(S, SK_MAP_IC, SK_DH_IC))
    assert run(terminal, card) == G1_APDUS
    assert terminal.result.ssc == 0 and card.result is not None and card.result.ssc == 0
    expected = sm_mod.AesSM(H(PACE_KS_ENC), H(PACE_KS_MAC), 0)
    select = CommandApdu(0x00, 0xA4, 0x02, 0x0C, H("011E"))
    protected = terminal.result.protect(select)
    assert protected == expected.protect(select)
    assert card.result.unprotect_command(protected) == select
