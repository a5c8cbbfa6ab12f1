"""Who is calling the reference portal: a kiosk's client certificate, its own token, or the
demo's shared token (which identifies no kiosk).

The rules (docs/portal-api.md, "Authentication"): a client certificate (mutual TLS, checked by the
TLS layer against the kiosk CA) names its kiosk in its common name and must not be revoked; a
per-kiosk token (`kiosk.portal.registry`) names its kiosk; if both come, they must name the same
kiosk. The shared `--token` is accepted unless the portal takes kiosk credentials only. An
identified caller may only send and look up dossiers of its own kiosk (or of kiosks it took over).
"""

from __future__ import annotations

import hmac
import ssl
from dataclasses import dataclass
from email.message import Message
from typing import Any

from cryptography import x509

from kiosk.portal.pki import kiosk_id_of
from kiosk.portal.registry import KioskRegistry

__all__ = ["Caller", "identify"]


@dataclass(frozen=True)
class Caller:
    authorized: bool
    kiosk_id: str | None = None  # None: the demo's shared token (or no auth): bound to no kiosk
    reason: str = ""


def _bearer(headers: Message) -> str | None:
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _cert_kiosk(connection: Any, registry: KioskRegistry | None) -> tuple[str | None, str]:
    if not isinstance(connection, ssl.SSLSocket):
        return None, ""
    der = connection.getpeercert(binary_form=True)
    if not der:
        return None, ""
    cert = x509.load_der_x509_certificate(der)
    if registry is not None and registry.cert_revoked(f"{cert.serial_number:X}"):
        return None, "the client certificate is revoked"
    kiosk = kiosk_id_of(cert)
    return kiosk, "" if kiosk else "the client certificate names no kiosk"


def identify(headers: Message, connection: Any, *, shared_token: str | None,
             registry: KioskRegistry | None, kiosk_credentials_only: bool) -> Caller:
    cert_kiosk, problem = _cert_kiosk(connection, registry)
    if problem:
        return Caller(False, reason=problem)
    open_portal = shared_token is None and not kiosk_credentials_only
    token = _bearer(headers)
    token_kiosk = registry.kiosk_of_token(token) if token and registry is not None else None
    shared = bool(token and shared_token and not kiosk_credentials_only
                  and hmac.compare_digest(token.encode(), shared_token.encode()))
    if token and not token_kiosk and not shared and not open_portal:
        return Caller(False, reason="unknown or revoked token")
    if cert_kiosk and token_kiosk and cert_kiosk != token_kiosk:
        return Caller(False, reason="the certificate and the token name different kiosks")
    kiosk = cert_kiosk or token_kiosk
    if kiosk is not None:
        return Caller(True, kiosk)
    if shared:
        return Caller(True)
    return Caller(open_portal, reason="" if open_portal else "no kiosk credential")
