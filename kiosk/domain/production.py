"""What a production kiosk must not use: the demo's parts.

``kiosk.mode = "demo"`` (the default, what ``make run`` opens) runs with virtual devices, the embedded
reference portal and the demo controls. ``kiosk.mode = "production"`` promises real citizens, so a
setting that would quietly bring back a demo part stops ``kiosk run`` before anything opens and makes
``kiosk doctor`` fail; each problem names its key, what it would do and what to set instead.

The checks are plain functions over the typed config, registered with ``@production_check``: a new
rule is one more function here (and one more test), nothing else changes.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.domain.config import Config, KioskSection, PortalSection

__all__ = ["PRODUCTION_CHECKS", "ProductionProblem", "describe", "production_check",
           "production_problems"]


@dataclasses.dataclass(frozen=True)
class ProductionProblem:
    """One setting a production kiosk must not have."""

    key: str  # "section.key", as written in the config file
    problem: str  # what it would do, in plain words
    fix: str  # what to set instead

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}. Fix: {self.fix}."


Check = Callable[[Config], ProductionProblem | None]
PRODUCTION_CHECKS: list[Check] = []


def production_check(check: Check) -> Check:
    PRODUCTION_CHECKS.append(check)
    return check


def production_problems(config: Config) -> list[ProductionProblem]:
    """Every demo part ``config`` would use; empty in demo mode, or when production is clean."""
    if config.kiosk.mode != "production":
        return []
    return [problem for check in PRODUCTION_CHECKS if (problem := check(config)) is not None]


def describe(problems: list[ProductionProblem]) -> str:
    lines = ["kiosk.mode is \"production\" but these settings would run demo parts:"]
    lines += [f"  - {problem}" for problem in problems]
    lines.append("Fix them in the config file (or set kiosk.mode = \"demo\" for a demonstration).")
    return "\n".join(lines)


@production_check
def _virtual_card_reader(config: Config) -> ProductionProblem | None:
    if config.devices.card_reader == "virtual":
        return ProductionProblem("devices.card_reader", "the virtual card reader reads only the "
                                 "sample cards", 'set devices.card_reader = "pcsc"')
    return None


@production_check
def _no_trusted_csca(config: Config) -> ProductionProblem | None:
    if config.devices.card_reader != "virtual" and not config.devices.csca_dir:
        return ProductionProblem("devices.csca_dir", "with no trusted CSCA no chip can be verified, "
                                 "so a cloned or forged card looks like any other",
                                 "set devices.csca_dir to the CSCA certificates or the ICAO "
                                 "master list")
    return None


@production_check
def _test_pki_trusted(config: Config) -> ProductionProblem | None:
    from kiosk.domain.paths import TEST_PKI_DIR

    folder = Path(config.devices.csca_dir).expanduser().resolve() if config.devices.csca_dir else None
    if folder is not None and folder.is_relative_to(TEST_PKI_DIR.resolve()):
        return ProductionProblem("devices.csca_dir", "it points at the TEST-ONLY certificates whose "
                                 "private keys are public, so anyone could make a card it trusts",
                                 "set devices.csca_dir to the real CSCA certificates or master list")
    return None


@production_check
def _virtual_camera(config: Config) -> ProductionProblem | None:
    if config.devices.camera == "virtual":
        return ProductionProblem("devices.camera", "the virtual camera shows only demo pictures",
                                 'set devices.camera = "opencv" (or "none" without a camera)')
    return None


@production_check
def _virtual_scanner(config: Config) -> ProductionProblem | None:
    if config.devices.scanner == "virtual":
        return ProductionProblem("devices.scanner", "the virtual barcode scanner reads only the "
                                 "codes the demo strip sends it",
                                 'set devices.scanner = "serial", "hidpos" or "wedge" with '
                                 'devices.scanner_device or devices.scanner_usb_id (or "none")')
    return None


@production_check
def _virtual_receipt_printer(config: Config) -> ProductionProblem | None:
    if config.devices.escpos_printer == "virtual":
        return ProductionProblem("devices.escpos_printer", "the virtual ESC/POS printer prints "
                                 "nothing: slips become picture files no citizen receives",
                                 "set devices.escpos_printer to the printer (usb:/dev/usb/lp0, "
                                 'serial:..., tcp:HOST:9100), or "" for the print system or PDF')
    return None


@production_check
def _embedded_portal(config: Config) -> ProductionProblem | None:
    if config.portal.url == "embedded":
        return ProductionProblem("portal.url", "the embedded reference portal keeps applications "
                                 "on this kiosk, where no agency receives them",
                                 "set portal.url to the portal's https:// address")
    return None


@production_check
def _demo_controls(config: Config) -> ProductionProblem | None:
    if config.ui.demo_controls:
        return ProductionProblem("ui.demo_controls", "the demo strip lets anyone insert sample "
                                 "cards", "set ui.demo_controls = false")
    return None


@production_check
def _default_token(config: Config) -> ProductionProblem | None:
    own = config.portal.token_file or config.portal.client_cert
    if config.portal.token == PortalSection.token and not own:
        return ProductionProblem("portal.token", "the demo's shared token identifies no kiosk",
                                 "give the kiosk its own credential: portal.token_file (`kiosk link "
                                 "token`) or portal.client_cert and client_key (`kiosk link "
                                 "request`, then `kiosk link install`)")
    return None


@production_check
def _default_kiosk_id(config: Config) -> ProductionProblem | None:
    if config.kiosk.kiosk_id == KioskSection.kiosk_id:
        return ProductionProblem("kiosk.kiosk_id", "the demo kiosk's name would label this kiosk's "
                                 "applications, audit log and metrics",
                                 "set kiosk.kiosk_id to this kiosk's name in the fleet")
    return None


@production_check
def _plain_http(config: Config) -> ProductionProblem | None:
    url = config.portal.url
    if url.startswith("http://") and not _is_loopback(urlsplit(url).hostname or ""):
        return ProductionProblem("portal.url", "plain http:// sends citizens' data unencrypted "
                                 "over the network", "use the portal's https:// address")
    return None


@production_check
def _tls_unverified(config: Config) -> ProductionProblem | None:
    if not config.portal.verify_tls:
        return ProductionProblem("portal.verify_tls", "without checking the portal's certificate "
                                 "anyone on the network can pose as the portal",
                                 "set portal.verify_tls = true (and portal.ca_bundle for a private CA)")
    return None


@production_check
def _half_a_certificate(config: Config) -> ProductionProblem | None:
    if bool(config.portal.client_cert) != bool(config.portal.client_key):
        return ProductionProblem("portal.client_cert", "a client certificate needs its key (and "
                                 "the key its certificate)", "set both portal.client_cert and "
                                 "portal.client_key, or neither")
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
