"""Each kiosk its own credential, bound to its kiosk_id: per-kiosk tokens and mutual TLS with a
per-kiosk client certificate, against the reference portal over real HTTP(S)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from portal_helpers import PROCEDURES, make_payload, new_key

from kiosk.domain.portal_contract import PortalRejected, PortalUnreachable
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.pki import Issued, make_ca, make_server_cert, new_key_and_csr, sign_csr

A, B = "KIOSK-HN-01", "KIOSK-HN-02"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[EmbeddedPortal]:
    with EmbeddedPortal(tmp_path / "p.sqlite3", token="shared-demo", procedures_dir=PROCEDURES,
                        kiosk_credentials_only=True) as p:
        yield p


def test_a_kiosk_token_sends_only_its_own_kiosk_s_dossiers(portal: EmbeddedPortal) -> None:
    _, token_a = portal.registry.issue_token(A, 0.0)
    with PortalClient(portal.url, token_a) as a:
        key = new_key()
        assert a.submit_dossier(make_payload(kiosk_id=A), key).code
        with pytest.raises(PortalRejected) as info:
            a.submit_dossier(make_payload(kiosk_id=B), new_key())
        assert info.value.status == 403 and info.value.error_code == "kiosk_mismatch"
    _, token_b = portal.registry.issue_token(B, 0.0)
    with PortalClient(portal.url, token_b) as b:
        assert b.find_by_idempotency_key(key) is None  # another kiosk's dossier is not shown
    with PortalClient(portal.url, "shared-demo") as shared:  # this portal takes kiosk credentials only
        with pytest.raises(PortalRejected) as info:
            shared.submit_dossier(make_payload(kiosk_id=A), new_key())
        assert info.value.status == 401


def test_rotation_keeps_the_kiosk_sending_and_revocation_stops_the_old_token(
        portal: EmbeddedPortal) -> None:
    old_id, old = portal.registry.issue_token(A, 0.0)
    _, new = portal.registry.issue_token(A, 1.0)
    for token in (old, new):  # both valid between issuing the new and revoking the old
        with PortalClient(portal.url, token) as client:
            client.submit_dossier(make_payload(kiosk_id=A), new_key())
    assert portal.registry.revoke_token(old_id, 2.0)
    with PortalClient(portal.url, old) as client:
        with pytest.raises(PortalRejected) as info:
            client.submit_dossier(make_payload(kiosk_id=A), new_key())
        assert info.value.status == 401


def test_a_replacement_kiosk_sends_the_queue_it_took_over(portal: EmbeddedPortal) -> None:
    _, token_b = portal.registry.issue_token(B, 0.0)
    with PortalClient(portal.url, token_b) as b:
        with pytest.raises(PortalRejected):
            b.submit_dossier(make_payload(kiosk_id=A), new_key())
        portal.registry.handover(A, B, 1.0)
        assert b.submit_dossier(make_payload(kiosk_id=A), new_key()).code


def _pki(tmp_path: Path) -> tuple[Issued, Path, ssl.SSLContext]:
    ca = make_ca()
    server = make_server_cert(ca, ["127.0.0.1", "localhost"])
    for name, data in (("ca.pem", ca.cert_pem), ("server.pem", server.cert_pem),
                       ("server.key", server.key_pem)):
        (tmp_path / name).write_bytes(data)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    context.load_verify_locations(tmp_path / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS: no client certificate, no connection
    return ca, tmp_path / "ca.pem", context


def _client_cert(ca: Issued, kiosk_id: str, folder: Path) -> tuple[str, str]:
    key_pem, csr = new_key_and_csr(kiosk_id)
    cert = sign_csr(ca, csr, kiosk_id)
    from cryptography.hazmat.primitives import serialization

    (folder / f"{kiosk_id}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / f"{kiosk_id}.key").write_bytes(key_pem)
    return str(folder / f"{kiosk_id}.pem"), str(folder / f"{kiosk_id}.key")


def test_mutual_tls_binds_dossiers_to_the_certificate_s_kiosk(tmp_path: Path) -> None:
    ca, ca_file, context = _pki(tmp_path)
    cert_a = _client_cert(ca, A, tmp_path)
    with EmbeddedPortal(tmp_path / "p.sqlite3", token=None, procedures_dir=PROCEDURES, tls=context,
                        kiosk_credentials_only=True) as portal:
        assert portal.url.startswith("https://")
        with PortalClient(portal.url, None, verify=str(ca_file), client_cert=cert_a) as a:
            assert a.health().ok
            assert a.submit_dossier(make_payload(kiosk_id=A), new_key()).code
            with pytest.raises(PortalRejected) as info:
                a.submit_dossier(make_payload(kiosk_id=B), new_key())
            assert info.value.error_code == "kiosk_mismatch"
        with PortalClient(portal.url, "some-token", verify=str(ca_file)) as anonymous:
            with pytest.raises(PortalUnreachable, match="TLS"):  # refused in the handshake
                anonymous.health()


def test_a_certificate_request_for_another_kiosk_is_not_signed() -> None:
    ca = make_ca()
    _, csr = new_key_and_csr(B)
    with pytest.raises(ValueError, match="not 'KIOSK-HN-01'"):
        sign_csr(ca, csr, A)


def test_enrolment_and_rotation_through_the_commands(tmp_path: Path) -> None:
    """IT's steps: the kiosk makes its key and request, the operator signs it, the kiosk installs
    it; the kiosk's own client (as `kiosk run` builds it) then talks mutual TLS. Rotation repeats
    the steps while the old certificate keeps working."""
    import subprocess
    import sys

    from kiosk.domain.config import load_config
    from kiosk.services.composition import portal_client

    root = Path(__file__).resolve().parents[2]
    data, pki = tmp_path / "kiosk", tmp_path / "pki"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\nkiosk_id = "{A}"\n[store]\ndata_dir = "{data}"\n')

    def kiosk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=root, input=stdin,
                              capture_output=True, text=True, timeout=60)

    assert kiosk("portal", "ca", "init", str(pki)).returncode == 0
    db = str(tmp_path / "p.sqlite3")
    serials = []
    for _round in range(2):
        assert kiosk("link", "request", "--config", str(config)).returncode == 0
        cert = tmp_path / f"cert-{_round}.pem"
        signed = kiosk("portal", "kiosk", "enrol", A, "--csr", str(data / "portal-client.csr"),
                       "--ca", str(pki), "-o", str(cert), "--db", db)
        assert signed.returncode == 0, signed.stderr
        serials.append(signed.stdout.split("serial ")[1].split(",")[0])
        installed = kiosk("link", "install", str(cert), "--config", str(config))
        assert installed.returncode == 0, installed.stderr
        assert "client_cert = " in installed.stdout
    assert (data / "portal-client.pem.prev").exists()  # the rotated-out pair is kept
    other = tmp_path / "other.pem"
    assert kiosk("portal", "kiosk", "enrol", B, "--csr", str(data / "portal-client.csr"), "--ca",
                 str(pki), "-o", str(other), "--db", db).returncode == 5  # the CSR names A

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki / "server.pem", pki / "server.key")
    context.load_verify_locations(pki / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    with EmbeddedPortal(db, token=None, procedures_dir=PROCEDURES, tls=context,
                        kiosk_credentials_only=True) as portal:
        settings = load_config(config, env={}, overrides={
            "portal.url": portal.url, "portal.ca_bundle": str(pki / "ca.pem"),
            "portal.client_cert": str(data / "portal-client.pem"),
            "portal.client_key": str(data / "portal-client.key")})
        with portal_client(settings, portal.url) as client:
            assert client.submit_dossier(make_payload(kiosk_id=A), new_key()).code
        assert portal.registry.revoke_cert(serials[1], 1.0)  # the operator revokes it
        with portal_client(settings, portal.url) as client:
            with pytest.raises(PortalRejected) as info:
                client.submit_dossier(make_payload(kiosk_id=A), new_key())
            assert info.value.status == 401
