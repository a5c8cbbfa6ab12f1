"""Passive authentication (9303-11 §5.1): is the data on the chip what the issuer signed?

Checks, each PASSED / FAILED / NOT_DONE with a reason a staff member can act on::

    sod_format            EF.SOD decodes as an LDS security object
    dg_hash[n]            each data group read hashes to the value in the SOD
    message_digest        the signed attributes cover exactly this security object
    sod_signature         the document signer (DS) signed it
    ds_certificate_chain  the DS certificate was issued by a trusted CSCA in the store
    ds_validity           the DS certificate is within its validity period now
    csca_validity         the CSCA certificate is within its validity period now
    revocation            (only when CRLs are configured) neither the DS nor the CSCA
                          certificate is on a current CRL of the issuing CSCA

``report.ok`` only when every check PASSED. Nothing here raises for a bad card: a forged chip is
a result to show, not an exception that hides the other findings. Hashes in the SOD for data
groups not read (DG3 needs extended access control) are listed in ``not_read``, not failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import Encoding

from devices.card.errors import MalformedData, UnsupportedOperation, VerificationFailed
from devices.card.lds import sod as sod_mod
from devices.card.lds._cms import digest
from devices.card.lds._sigs import verify_signature
from devices.card.lds.csca import CscaStore
from devices.card.lds.master_list import certificate_signed_by

__all__ = ["Check", "CscaStore", "PassiveReport", "Status", "verify"]


class Status(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_DONE = "not_done"


@dataclasses.dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    reason: str


@dataclasses.dataclass(frozen=True, slots=True)
class PassiveReport:
    checks: tuple[Check, ...]
    not_read: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.status is Status.PASSED for c in self.checks)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def problems(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is not Status.PASSED)

    def raise_if_failed(self) -> None:
        if not self.ok:
            reasons = "; ".join(c.reason for c in self.problems())
            raise VerificationFailed(f"{VerificationFailed.default_message} ({reasons})")


_DS = "the document signer certificate"


def verify(sod_raw: bytes, dgs: Mapping[int, bytes], csca: CscaStore, *,
           now: dt.datetime) -> PassiveReport:
    """Check ``dgs`` (DG number -> file bytes as read) against ``sod_raw``; ``now`` is aware UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    try:
        sod = sod_mod.parse(sod_raw)
    except MalformedData:
        checks = [Check("sod_format", Status.FAILED,
                        "The security object (EF.SOD) on the chip is damaged or non-standard.")]
        checks += [Check(f"dg_hash[{n}]", Status.NOT_DONE, "No readable security object.")
                   for n in sorted(dgs)]
        return PassiveReport(tuple(checks))
    checks = [_format(sod), *_hashes(sod, dgs), _message_digest(sod)]
    ds = _load_ds(sod)
    checks.append(_signature(sod, ds))
    chain, anchor = _chain(ds, csca)
    checks += [chain, _validity("ds_validity", ds, now, _DS),
               _validity("csca_validity", anchor, now, "the country signing certificate")]
    if csca.crls is not None:
        checks.append(_revocation(ds, anchor, csca, now))
    not_read = tuple(sorted(set(sod.dg_hashes) - set(dgs)))
    return PassiveReport(tuple(checks), not_read)


def _format(sod: sod_mod.Sod) -> Check:
    if sod.econtent_type != sod_mod.LDS_SECURITY_OBJECT_OID:
        return Check("sod_format", Status.FAILED,
                     "The security object does not contain the standard list of data hashes.")
    return Check("sod_format", Status.PASSED, "The security object is well formed.")


def _hashes(sod: sod_mod.Sod, dgs: Mapping[int, bytes]) -> list[Check]:
    out = []
    for number in sorted(dgs):
        name = f"dg_hash[{number}]"
        expected = sod.dg_hashes.get(number)
        try:
            actual = digest(sod.digest_alg, dgs[number])
        except UnsupportedOperation:
            out.append(Check(name, Status.NOT_DONE, "The hash algorithm is not supported."))
            continue
        if expected is None:
            out.append(Check(name, Status.FAILED, f"Data group {number} was read from the chip "
                             "but the security object has no signed hash for it."))
        elif expected != actual:
            out.append(Check(name, Status.FAILED, f"Data group {number} does not match its "
                             "signed hash: the chip data was changed after issue."))
        else:
            out.append(Check(name, Status.PASSED, f"Data group {number} matches its signed hash."))
    return out


def _message_digest(sod: sod_mod.Sod) -> Check:
    name = "message_digest"
    if sod.signed_attrs is None or sod.message_digest is None:
        return Check(name, Status.FAILED, "The security object's signature has no signed "
                     "attributes, as ICAO requires.")
    try:
        actual = digest(sod.signer_digest_alg, sod.econtent)
    except UnsupportedOperation:
        return Check(name, Status.NOT_DONE, "The signer's hash algorithm is not supported.")
    if actual != sod.message_digest or sod.content_type_attr not in (None, sod.econtent_type):
        return Check(name, Status.FAILED, "The signature does not cover this list of data "
                     "hashes: the security object was altered.")
    return Check(name, Status.PASSED, "The signature covers this list of data hashes.")


def _load_ds(sod: sod_mod.Sod) -> x509.Certificate | None:
    if sod.signer_cert is None:
        return None
    try:
        return x509.load_der_x509_certificate(sod.signer_cert)
    except ValueError:
        return None


def _signature(sod: sod_mod.Sod, ds: x509.Certificate | None) -> Check:
    name = "sod_signature"
    if ds is None or sod.signed_attrs is None:
        return Check(name, Status.NOT_DONE, "The security object carries no usable document "
                     "signer certificate or signed attributes.")
    try:
        verify_signature(ds.public_key(), sod.signature_algorithm_id(), sod.signature,
                         sod.signed_attrs, sod.signer_digest_alg)
    except InvalidSignature:
        return Check(name, Status.FAILED, "The security object's signature is not valid: the "
                     "chip data may be forged.")
    except (UnsupportedOperation, UnsupportedAlgorithm, ValueError, TypeError):
        return Check(name, Status.NOT_DONE, "The signature could not be checked: the kiosk does "
                     "not support the document signer's key or algorithm.")
    return Check(name, Status.PASSED, "The document signer's signature is valid.")


def _crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    parsed = asn1_crl.CertificateList.load(crl.public_bytes(Encoding.DER))
    try:
        verify_signature(issuer.public_key(), parsed["signature_algorithm"],
                         parsed["signature"].native, parsed["tbs_cert_list"].dump())
    except (InvalidSignature, UnsupportedOperation, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _revocation(ds: x509.Certificate | None, anchor: x509.Certificate | None, csca: CscaStore,
                now: dt.datetime) -> Check:
    """The issuing CSCA's CRL (signature checked with the CSCA, still current) must list
    neither the document signer nor the CSCA certificate itself."""
    name = "revocation"
    if ds is None or anchor is None:
        return Check(name, Status.NOT_DONE, "Not checked: the document signer could not be "
                     "verified first.")
    crls = [c for c in csca.crls or () if c.issuer == anchor.subject and _crl_signed_by(c, anchor)]
    if not crls:
        return Check(name, Status.NOT_DONE, "No revocation list (CRL) from this card's country "
                     "signing certificate is installed. IT: install the current CRL.")
    current = [c for c in crls if c.next_update_utc is None or now <= c.next_update_utc]
    for crl in crls:
        if crl.get_revoked_certificate_by_serial_number(ds.serial_number) is not None:
            return Check(name, Status.FAILED, "The document signer certificate has been revoked: "
                         "the card may be counterfeit.")
        if crl.get_revoked_certificate_by_serial_number(anchor.serial_number) is not None:
            return Check(name, Status.FAILED, "The country signing certificate has been revoked.")
    if not current:
        latest = max(c.next_update_utc for c in crls if c.next_update_utc is not None)
        return Check(name, Status.NOT_DONE, "The revocation list (CRL) is out of date (next "
                     f"update was due {latest:%Y-%m-%d}). IT: install the current CRL.")
    return Check(name, Status.PASSED, "Neither certificate is on the current revocation list.")


def _chain(ds: x509.Certificate | None, csca: CscaStore
           ) -> tuple[Check, x509.Certificate | None]:
    name = "ds_certificate_chain"
    if ds is None:
        return Check(name, Status.NOT_DONE, f"No readable {_DS} on the chip."), None
    try:
        candidates = csca.issuers_of(ds)
    except ValueError:  # an undecodable name or extension in the DS certificate
        return Check(name, Status.FAILED, f"{_DS.capitalize()} is damaged."), None
    if not candidates:
        return Check(name, Status.NOT_DONE, "No trusted country signing certificate (CSCA) for "
                     "this card's issuer is installed. IT: install the CSCA or ICAO master "
                     "list."), None
    for anchor in candidates:
        if certificate_signed_by(ds, anchor):
            return Check(name, Status.PASSED, "The document signer was certified by a trusted "
                         "country signing certificate."), anchor
    return Check(name, Status.FAILED, "The document signer certificate was not signed by the "
                 "trusted country signing certificate: the card may be counterfeit."), None


def _validity(name: str, cert: x509.Certificate | None, now: dt.datetime, what: str) -> Check:
    if cert is None:
        return Check(name, Status.NOT_DONE, f"Not checked: {what} could not be verified "
                     "first.")
    if now < cert.not_valid_before_utc:
        return Check(name, Status.FAILED, f"{what.capitalize()} is not valid before "
                     f"{cert.not_valid_before_utc:%Y-%m-%d}; check the kiosk's clock.")
    if now > cert.not_valid_after_utc:
        return Check(name, Status.FAILED, f"{what.capitalize()} expired on "
                     f"{cert.not_valid_after_utc:%Y-%m-%d}.")
    return Check(name, Status.PASSED, f"{what.capitalize()} is within its validity period.")

