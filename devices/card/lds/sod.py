"""EF.SOD: the document security object (9303-10 §4.6.2), parse and sign.

``77 { ContentInfo { SignedData { LDSSecurityObject { hash algorithm, DG number -> hash } } } }``,
signed by the document signer (DS), whose certificate travels inside. Parsing only extracts;
``passive.verify`` judges. ``sign`` is for the test chip: it produces what an issuer would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from asn1crypto import algos, cms, core
from cryptography import x509

from devices.card.errors import MalformedData
from devices.card.lds._cms import digest, signed_data
from devices.card.lds._tlv import encode, expect

__all__ = ["LDS_SECURITY_OBJECT_OID", "LdsSecurityObject", "Sod", "build", "digest", "parse",
           "sign"]

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
_ASN1_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


class DataGroupHash(core.Sequence):
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


@dataclasses.dataclass(frozen=True, slots=True)
class Sod:
    digest_alg: str                       # LDS hash algorithm, e.g. "sha256"
    dg_hashes: Mapping[int, bytes]
    econtent: bytes = dataclasses.field(repr=False)       # the signed LDSSecurityObject DER
    econtent_type: str = LDS_SECURITY_OBJECT_OID
    signer_cert: bytes | None = dataclasses.field(default=None, repr=False)  # DS cert DER
    signed_attrs: bytes | None = dataclasses.field(default=None, repr=False)  # DER SET, signed
    message_digest: bytes | None = dataclasses.field(default=None, repr=False)
    content_type_attr: str | None = None
    signer_digest_alg: str = "sha256"
    signature_algorithm: bytes = dataclasses.field(default=b"", repr=False)  # AlgorithmId DER
    signature: bytes = dataclasses.field(default=b"", repr=False)
    content_info: bytes = dataclasses.field(default=b"", repr=False)

    def signature_algorithm_id(self) -> algos.SignedDigestAlgorithm:
        return algos.SignedDigestAlgorithm.load(self.signature_algorithm)


def _lds(econtent: bytes) -> tuple[str, dict[int, bytes]]:
    lso = LdsSecurityObject.load(econtent, strict=True)
    result: dict[int, bytes] = {}
    for item in lso["data_group_hash_values"]:
        number = item["data_group_number"].native
        if number in result:
            raise MalformedData(f"EF.SOD: data group {number} has two hashes")
        result[number] = item["data_group_hash_value"].native
    lso["lds_version_info"].native  # noqa: B018 - force decoding
    return lso["hash_algorithm"]["algorithm"].native, result


def _attributes(signer: cms.SignerInfo) -> tuple[bytes | None, bytes | None, str | None]:
    attrs = signer["signed_attrs"]
    if isinstance(attrs, core.Void) or not len(attrs):
        return None, None, None
    md = ctype = None
    for attr in attrs:
        kind = attr["type"].native
        if kind == "message_digest":
            md = attr["values"][0].native
        elif kind == "content_type":
            ctype = attr["values"][0].dotted
    return encode(0x31, attrs.contents), md, ctype


def _signer_cert(signed: cms.SignedData, signer: cms.SignerInfo) -> bytes | None:
    certs = [c.chosen for c in signed["certificates"] if c.name == "certificate"] \
        if not isinstance(signed["certificates"], core.Void) else []
    sid = signer["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if (cert.issuer == sid.chosen["issuer"]
                    and cert.serial_number == sid.chosen["serial_number"].native):
                return cert.dump()
        elif cert.key_identifier == sid.chosen.native:
            return cert.dump()
    return None


def parse(raw: bytes) -> Sod:
    body = expect(raw, 0x77, "EF.SOD")
    try:
        info = cms.ContentInfo.load(body, strict=True)
        if info["content_type"].native != "signed_data":
            raise MalformedData("EF.SOD: the content is not CMS SignedData")
        signed = info["content"]
        eci = signed["encap_content_info"]
        econtent = eci["content"].native
        if not isinstance(econtent, bytes):
            raise MalformedData("EF.SOD: the signed content is missing")
        digest_alg, dg_hashes = _lds(econtent)
        if len(signed["signer_infos"]) != 1:
            raise MalformedData("EF.SOD: expected exactly one signer")
        signer = signed["signer_infos"][0]
        signed_attrs, md, ctype = _attributes(signer)
        return Sod(
            digest_alg=digest_alg, dg_hashes=dg_hashes, econtent=econtent,
            econtent_type=eci["content_type"].dotted, signer_cert=_signer_cert(signed, signer),
            signed_attrs=signed_attrs, message_digest=md, content_type_attr=ctype,
            signer_digest_alg=signer["digest_algorithm"]["algorithm"].native,
            signature_algorithm=signer["signature_algorithm"].dump(),
            signature=signer["signature"].native, content_info=body,
        )
    except MalformedData:
        raise
    except _ASN1_ERRORS as exc:
        raise MalformedData("EF.SOD: the security object could not be decoded") from exc


def build(sod: Sod) -> bytes:
    """Re-wrap a parsed SOD (its CMS is kept byte for byte)."""
    return encode(0x77, sod.content_info)


def sign(dg_files: Mapping[int, bytes], signer_key: object, signer_cert: x509.Certificate, *,
         hash_name: str = "sha256", pss: bool = False,
         dg_hashes: Mapping[int, bytes] | None = None) -> bytes:
    """EF.SOD over ``dg_files`` (DG number -> file bytes); ``dg_hashes`` overrides (forgeries)."""
    hashes_ = {n: digest(hash_name, data) for n, data in dg_files.items()}
    hashes_.update(dg_hashes or {})
    lso = LdsSecurityObject({
        "version": 0, "hash_algorithm": {"algorithm": hash_name},
        "data_group_hash_values": [
            {"data_group_number": n, "data_group_hash_value": h} for n, h in sorted(hashes_.items())
        ],
    })
    info = signed_data(LDS_SECURITY_OBJECT_OID, lso.dump(), signer_key, signer_cert,
                       hash_name=hash_name, pss=pss)
    return encode(0x77, info)
