"""ICAO CSCA master lists: accepted only when their signature and their signer can be trusted.

A master list (ICAO Doc 9303-12 §9) is CMS SignedData over ``CscaMasterList { version, SET OF
Certificate }``, signed by a Master List Signer whose certificate is in the CMS and was issued
by a CSCA. Anyone can write a file of certificates; a kiosk that trusted every list it was given
would trust any card made under a CSCA slipped into it. So a list is accepted only when:

1. it is SignedData of the master-list content type with exactly one signer;
2. the signed attributes cover this content (content type and message digest);
3. the signer's signature over them verifies with the signer certificate in the CMS;
4. that certificate was issued (signature checked) by a CSCA in the list itself or in the
   configured anchors, and was valid when the list was signed (or now, if it does not say).

Otherwise ``UntrustedMasterList`` says which of these failed. Certificates inside a trusted
list that ``cryptography`` cannot load (explicit curve parameters...) are counted, not fatal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from devices.card.errors import MalformedData, UnsupportedOperation
from devices.card.lds._cms import digest
from devices.card.lds._sigs import verify_signature
from devices.card.lds._tlv import encode

__all__ = ["CSCA_MASTER_LIST_OID", "UntrustedMasterList", "certificate_signed_by",
           "verified_certificates"]

CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"
_ASN1_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


class UntrustedMasterList(MalformedData):
    """The master list was refused; the message says why, for IT."""


def certificate_signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key made ``cert``'s signature (brainpool and plain ECDSA included)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    parsed = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    try:
        verify_signature(issuer.public_key(), parsed["signature_algorithm"],
                         parsed["signature_value"].native, parsed["tbs_certificate"].dump())
    except (InvalidSignature, UnsupportedOperation, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _load(der: bytes) -> tuple[cms.SignedData, bytes]:
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise UntrustedMasterList("The file is not an ICAO CSCA master list (not CMS signed "
                                      "data).")
        signed = info["content"]
        econtent = signed["encap_content_info"]
        if econtent["content_type"].dotted != CSCA_MASTER_LIST_OID:
            raise UntrustedMasterList("The file is not an ICAO CSCA master list.")
        content = econtent["content"].native
    except MalformedData:
        raise
    except _ASN1_ERRORS as exc:
        raise UntrustedMasterList("The CSCA master list could not be decoded.") from exc
    if not isinstance(content, bytes):
        raise UntrustedMasterList("The CSCA master list has no content.")
    return signed, content


def _listed(content: bytes) -> tuple[list[x509.Certificate], int]:
    from devices.card.lds.csca import CscaMasterList

    try:
        listing = CscaMasterList.load(content, strict=True)
        ders = [c.dump() for c in listing["cert_list"]]
    except _ASN1_ERRORS as exc:
        raise UntrustedMasterList("The CSCA master list could not be decoded.") from exc
    certs, skipped = [], 0
    for item in ders:
        try:
            certs.append(x509.load_der_x509_certificate(item))
        except ValueError:
            skipped += 1
    return certs, skipped


def _signer(signed: cms.SignedData) -> tuple[cms.SignerInfo, x509.Certificate, bytes]:
    infos = signed["signer_infos"]
    if len(infos) == 0:
        raise UntrustedMasterList("The CSCA master list is not signed; it was refused.")
    if len(infos) != 1:
        raise UntrustedMasterList("The CSCA master list has more than one signer; it was refused.")
    signer = infos[0]
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            match = (cert.issuer == sid.chosen["issuer"]
                     and cert.serial_number == sid.chosen["serial_number"].native)
        else:
            match = cert.key_identifier == sid.chosen.native
        if match:
            return signer, x509.load_der_x509_certificate(cert.dump()), cert.dump()
    raise UntrustedMasterList("The CSCA master list does not carry its signer's certificate; it "
                              "was refused.")


def _check_signature(signer: cms.SignerInfo, cert: x509.Certificate, content: bytes
                     ) -> dt.datetime | None:
    attrs = signer["signed_attrs"]
    if not attrs:
        raise UntrustedMasterList("The CSCA master list's signature has no signed attributes; "
                                  "it was refused.")
    values = {a["type"].native: a["values"][0].native for a in attrs}
    hash_name = signer["digest_algorithm"]["algorithm"].native
    try:
        expected = digest(hash_name, content)
    except UnsupportedOperation:
        raise UntrustedMasterList("The CSCA master list uses a hash the kiosk does not "
                                  "support.") from None
    if values.get("message_digest") != expected or values.get("content_type") not in (
            None, CSCA_MASTER_LIST_OID, "2.23.136.1.1.2"):
        raise UntrustedMasterList("The CSCA master list was changed after it was signed; it was "
                                  "refused.")
    try:
        verify_signature(cert.public_key(), signer["signature_algorithm"],
                         signer["signature"].native, encode(0x31, attrs.contents), hash_name)
    except InvalidSignature:
        raise UntrustedMasterList("The CSCA master list's signature is not valid (forged or "
                                  "damaged); it was refused.") from None
    except (UnsupportedOperation, UnsupportedAlgorithm, ValueError, TypeError):
        raise UntrustedMasterList("The CSCA master list is signed with an algorithm the kiosk "
                                  "does not support; it was refused.") from None
    signing_time = values.get("signing_time")
    return signing_time if isinstance(signing_time, dt.datetime) else None


def verified_certificates(der: bytes, anchors: Iterable[x509.Certificate] = (), *,
                          now: dt.datetime | None = None
                          ) -> tuple[list[x509.Certificate], int]:
    """The certificates of a master list whose signature and signer are trusted (module doc),
    and how many could not be loaded; ``UntrustedMasterList`` otherwise."""
    signed, content = _load(der)
    signer, signer_cert, _ = _signer(signed)
    when = _check_signature(signer, signer_cert, content) or now or dt.datetime.now(dt.UTC)
    certs, skipped = _listed(content)
    if not _issued_by_any(signer_cert, [*certs, *anchors]):
        raise UntrustedMasterList("The CSCA master list's signer is not certified by a country "
                                  "signing certificate in the list or in the configured anchors; "
                                  "it was refused.")
    if not signer_cert.not_valid_before_utc <= when <= signer_cert.not_valid_after_utc:
        raise UntrustedMasterList("The CSCA master list's signer certificate was not valid when "
                                  "the list was signed; it was refused.")
    return certs, skipped


def _issued_by_any(cert: x509.Certificate, candidates: Sequence[x509.Certificate]) -> bool:
    return any(c.subject == cert.issuer and c is not cert and certificate_signed_by(cert, c)
               for c in candidates)
