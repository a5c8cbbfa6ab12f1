"""Production mode refuses every demo part, naming its key; demo mode allows them all."""

from __future__ import annotations

import pytest

from kiosk.domain.config import ConfigError, load_config
from kiosk.domain.paths import TEST_PKI_DIR
from kiosk.domain.production import PRODUCTION_CHECKS, describe, production_problems

#: A production kiosk with nothing of the demo left.
CLEAN = {
    "kiosk.mode": "production",
    "kiosk.kiosk_id": "HCM-Q1-KIOSK-03",
    "ui.demo_controls": False,
    "devices.card_reader": "pcsc",
    "devices.camera": "opencv",
    "devices.csca_dir": "/etc/motcua-kiosk/csca",
    "devices.scanner": "serial",
    "devices.scanner_device": "/dev/serial/by-id/usb-Honeywell_Scanner-if00",
    "portal.url": "https://dichvucong.example.vn/api",
    "portal.token": "kiosk-03-token",
}

DEMO_PARTS = [
    ({"devices.card_reader": "virtual"}, "devices.card_reader"),
    ({"devices.camera": "virtual"}, "devices.camera"),
    ({"devices.scanner": "virtual"}, "devices.scanner"),
    ({"devices.escpos_printer": "virtual"}, "devices.escpos_printer"),
    ({"portal.url": "embedded"}, "portal.url"),
    ({"ui.demo_controls": True}, "ui.demo_controls"),
    ({"portal.token": "demo-kiosk-token"}, "portal.token"),
    ({"kiosk.kiosk_id": "KIOSK-DEMO-01"}, "kiosk.kiosk_id"),
    ({"portal.url": "http://portal.example.vn/api"}, "portal.url"),
    ({"portal.url": "http://10.1.2.3:8080"}, "portal.url"),
    ({"portal.verify_tls": False}, "portal.verify_tls"),
    ({"devices.csca_dir": ""}, "devices.csca_dir"),
    ({"devices.csca_dir": str(TEST_PKI_DIR / "csca")}, "devices.csca_dir"),
    ({"portal.client_cert": "/etc/motcua-kiosk/portal-client.pem"}, "portal.client_cert"),
]


def config(**overrides: object):
    return load_config(env={}, overrides={**CLEAN, **overrides})


def keys(cfg) -> list[str]:
    return [problem.key for problem in production_problems(cfg)]


def test_a_clean_production_config_has_no_problem():
    assert production_problems(config()) == []


@pytest.mark.parametrize(("change", "key"), DEMO_PARTS, ids=[str(c) for c, _ in DEMO_PARTS])
def test_each_demo_part_is_refused_by_its_key(change: dict, key: str):
    assert keys(load_config(env={}, overrides={**CLEAN, **change})) == [key]


def test_the_defaults_in_production_name_every_demo_part():
    assert set(keys(load_config(env={}, overrides={"kiosk.mode": "production"}))) == {
        "devices.card_reader", "devices.camera", "devices.scanner", "portal.url",
        "ui.demo_controls", "portal.token", "kiosk.kiosk_id"}


@pytest.mark.parametrize("change", [c for c, _ in DEMO_PARTS])
def test_demo_mode_allows_every_demo_part(change: dict):
    assert production_problems(load_config(env={}, overrides={**CLEAN, "kiosk.mode": "demo",
                                                                **change})) == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost/api",
                                 "http://[::1]:9000", "http://127.3.4.5"])
def test_plain_http_to_this_machine_is_allowed(url: str):
    """A local relay or the reference portal on loopback never crosses the network."""
    assert keys(config(**{"portal.url": url})) == []


def test_the_message_names_each_key_and_what_to_set():
    text = describe(production_problems(load_config(env={}, overrides={"kiosk.mode": "production"})))
    for key in ("devices.card_reader", "devices.camera", "portal.url", "ui.demo_controls",
                "portal.token", "kiosk.kiosk_id"):
        assert f"  - {key}: " in text
    assert 'set devices.card_reader = "pcsc"' in text and 'kiosk.mode = "demo"' in text


def test_every_check_has_a_case_here():
    """A new rule comes with its case in DEMO_PARTS (one change per rule)."""
    assert len(PRODUCTION_CHECKS) == len(DEMO_PARTS) - 1  # plain http: a name and an address


def test_the_mode_is_checked_and_a_placeholder_is_an_error():
    with pytest.raises(ConfigError, match="'kiosk.mode' must be one of demo, production"):
        load_config(env={}, overrides={"kiosk.mode": "prod"})
    with pytest.raises(ConfigError, match="'portal.token' still holds the sample's placeholder"):
        load_config(env={}, overrides={"portal.token": "<token issued to this kiosk>"})
    with pytest.raises(ConfigError, match="environment variable KIOSK_KIOSK_MODE"):
        load_config(env={"KIOSK_KIOSK_MODE": "live"})
