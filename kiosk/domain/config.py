"""The kiosk's configuration: one typed schema with defaults.

Sources, strongest first: explicit arguments (the command line) > ``KIOSK_<SECTION>_<KEY>``
environment variables > the TOML file > defaults. Everything is validated at start; an error names
the bad key and where it came from.

Errors::

    ConfigError     a key is unknown, has the wrong type or an impossible value, or the file is broken
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.domain.ops_settings import OpsSection

__all__ = ["Config", "ConfigError", "load_config", "to_toml"]


class ConfigError(Exception):
    """The configuration cannot be used. The message names the key and what to change."""


@dataclasses.dataclass(frozen=True)
class KioskSection:
    #: "demo": virtual devices, the embedded portal and demo controls are allowed (``make run``).
    #: "production": any of them stops the kiosk from starting (``kiosk.domain.production``).
    mode: str = "demo"
    kiosk_id: str = "KIOSK-DEMO-01"
    unit_code: str = "H12.22.10"
    language: str = "vi"
    fullscreen: bool = True
    idle_timeout_s: float = 120.0


@dataclasses.dataclass(frozen=True)
class UiSection:
    theme: str = "normal"
    demo_controls: bool = True


@dataclasses.dataclass(frozen=True)
class DevicesSection:
    card_reader: str = "virtual"
    camera: str = "virtual"
    camera_source: str = ""
    read_timeout_s: float = 15.0
    #: Trusted CSCAs: a folder (certificates and signed .ml master lists), a certificate or an
    #: ICAO master list file; "" = none (the virtual reader then trusts its TEST-ONLY CSCA).
    csca_dir: str = ""
    #: Certificate revocation lists (a folder or one CRL file); "" = revocation not checked.
    crl_dir: str = ""
    #: Extended-length APDUs with a PC/SC reader: "auto" (when the reader and the chip say
    #: they can), "on" (when the chip says it can), "off".
    card_extended_length: str = "auto"
    #: The receipt printer's name in the print system (Qt/CUPS, see `lpstat -p`); "" = receipts
    #: are saved as PDF files in the data folder for staff to print.
    printer: str = ""
    #: An ESC/POS thermal printer driven directly (takes precedence over ``printer``):
    #: "usb:/dev/usb/lp0", "serial:/dev/ttyUSB0:19200", "tcp:HOST:9100", "file:PATH", "virtual"
    #: (the demo printer: slips become PNG files in the data folder), or "" for none.
    escpos_printer: str = ""
    #: Dots across the thermal head: 576 (80 mm, 203 dpi), 512 (80 mm, 180 dpi), 384 (58 mm).
    escpos_width_dots: float = 576.0
    #: Print the receipt's QR code with the printer's own QR command instead of as part of the image.
    escpos_native_qr: bool = False
    #: The 2D barcode scanner: "none", "serial" (serial or USB CDC mode), "hidpos" (USB HID-POS),
    #: "wedge" (USB keyboard mode, ASCII codes only) or "virtual" (the demo's).
    scanner: str = "virtual"
    #: The scanner's device: /dev/serial/by-id/..., /dev/hidrawN or /dev/input/by-id/...-event-kbd;
    #: or leave it empty and give ``scanner_usb_id``.
    scanner_device: str = ""
    #: The scanner's USB vendor:product ID as `lsusb` shows it, e.g. "0c2e:0b61".
    scanner_usb_id: str = ""
    scanner_baudrate: float = 9600.0
    #: What the scanner sends before and after each code (its own settings): CR, CRLF, LF, TAB,
    #: STX, ETX, NONE, or escapes such as "\x02".
    scanner_prefix: str = ""
    scanner_suffix: str = "CR"
    #: Watch for devices plugged in and out (udev; without udev the device nodes are polled).
    hotplug: bool = True
    #: A help lamp lit while a citizen calls staff ("Call staff"): a file that takes "1" and "0",
    #: such as an LED's /sys/class/leds/<name>/brightness; "" = none.
    help_light: str = ""


@dataclasses.dataclass(frozen=True)
class PortalSection:
    url: str = "embedded"
    token: str = "demo-kiosk-token"
    connect_timeout_s: float = 3.05
    read_timeout_s: float = 10.0
    #: The longest any one portal call may take in total, however the server trickles.
    deadline_s: float = 20.0
    #: ... a document upload (up to 5 MiB on a slow uplink; must stay below the 60 s lease).
    upload_deadline_s: float = 50.0
    verify_tls: bool = True
    ca_bundle: str = ""
    #: This kiosk's own token in a file (0600) instead of `token` (`kiosk link token` writes it).
    token_file: str = ""
    #: This kiosk's client certificate and key for mutual TLS (`kiosk link request`/`install`).
    client_cert: str = ""
    client_key: str = ""
    #: The connection check: every `health_interval_s` while a citizen uses the kiosk; while the
    #: welcome screen waits, the gap doubles after each check up to `health_idle_max_s`.
    health_interval_s: float = 10.0
    health_idle_max_s: float = 300.0


@dataclasses.dataclass(frozen=True)
class StoreSection:
    data_dir: str = ""
    busy_timeout_s: float = 5.0
    #: Personal data of sent applications is purged after this many days (the dossier code stays).
    retention_days: float = 30.0


@dataclasses.dataclass(frozen=True)
class SyncSection:
    idle_interval_s: float = 5.0
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 300.0
    submit_wait_s: float = 8.0
    #: An unsent application whose state has not changed for this long is "stuck": the staff
    #: dashboard, `kiosk outbox status`, doctor and the metrics show it.
    stuck_after_s: float = 1800.0


@dataclasses.dataclass(frozen=True)
class FeeSection:
    """The receiving agency's bank account, shown as a VietQR code with the fee and the dossier
    code. All three empty = no code: the citizen pays at the counter."""

    #: The bank's 6-digit NAPAS BIN, e.g. "970415" (VietinBank).
    bank_bin: str = ""
    #: 1 to 19 letters or digits, as the bank writes it.
    account_number: str = ""
    #: The account holder as VietQR carries it: capitals without accents, at most 25 characters.
    account_name: str = ""


@dataclasses.dataclass(frozen=True)
class Config:
    kiosk: KioskSection = KioskSection()
    ui: UiSection = UiSection()
    devices: DevicesSection = DevicesSection()
    portal: PortalSection = PortalSection()
    store: StoreSection = StoreSection()
    sync: SyncSection = SyncSection()
    ops: OpsSection = OpsSection()
    fee: FeeSection = FeeSection()

    def data_path(self) -> Path:
        from kiosk.domain.paths import default_data_dir

        return Path(self.store.data_dir).expanduser() if self.store.data_dir else default_data_dir()

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)


_CHOICES = {
    ("kiosk", "mode"): ("demo", "production"),
    ("kiosk", "language"): ("vi", "en"),
    ("ui", "theme"): ("normal", "large", "contrast"),
    ("devices", "card_reader"): ("virtual", "pcsc"),
    ("devices", "card_extended_length"): ("auto", "on", "off"),
    ("devices", "camera"): ("virtual", "opencv", "none"),
    ("devices", "scanner"): ("none", "virtual", "serial", "hidpos", "wedge"),
    ("devices", "escpos_width_dots"): (384.0, 512.0, 576.0, 640.0),
}
_POSITIVE = {"idle_timeout_s", "read_timeout_s", "connect_timeout_s", "busy_timeout_s",
             "deadline_s", "upload_deadline_s", "stuck_after_s",
             "idle_interval_s", "backoff_base_s", "backoff_cap_s", "submit_wait_s",
             "health_interval_s", "health_idle_max_s", "retention_days",
             "log_max_bytes", "log_backup_count", "staff_max_failures", "staff_lockout_s",
             "staff_session_s", "scanner_baudrate"}


def _sections() -> dict[str, type]:
    hints = typing.get_type_hints(Config)
    return {f.name: hints[f.name] for f in dataclasses.fields(Config)}


def _coerce(value: Any, kind: type, where: str) -> Any:
    """Convert a TOML value or an environment string to ``kind``, or raise naming ``where``."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if kind is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{where}: expected text (in quotes), got {value!r}")
    raise ConfigError(f"{where}: unsupported type")  # pragma: no cover - schema bug


def _suggest(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(options)})"


def _env_layer(env: Mapping[str, str]) -> dict[tuple[str, str], tuple[Any, str]]:
    sections = _sections()
    layer: dict[tuple[str, str], tuple[Any, str]] = {}
    for name, value in env.items():
        if not name.startswith("KIOSK_"):
            continue
        rest = name[len("KIOSK_"):].lower()
        section, _, key = rest.partition("_")
        if section not in sections:
            raise ConfigError(f"environment variable {name}: unknown section '{section}'"
                              + _suggest(section, list(sections)))
        layer[(section, key)] = (value, f"environment variable {name}")
    return layer


def _file_layer(path: Path) -> dict[tuple[str, str], tuple[Any, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    sections = _sections()
    layer: dict[tuple[str, str], tuple[Any, str]] = {}
    for section, table in data.items():
        if section not in sections:
            raise ConfigError(f"{path}: unknown section [{section}]" + _suggest(section, list(sections)))
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table of keys")
        for key, value in table.items():
            layer[(section, key)] = (value, f"{path} [{section}] {key}")
    return layer


def load_config(
    path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the effective config. ``overrides`` keys are ``"section.key"`` (from the CLI)."""
    env = os.environ if env is None else env
    layers: dict[tuple[str, str], tuple[Any, str]] = {}
    file = path or env.get("KIOSK_CONFIG")
    if file:
        layers.update(_file_layer(Path(file)))
    layers.update(_env_layer({k: v for k, v in env.items() if k != "KIOSK_CONFIG"}))
    for dotted, value in (overrides or {}).items():
        section, _, key = dotted.partition(".")
        layers[(section, key)] = (value, f"command-line option for {dotted}")
    return _build(layers)


def _build(layers: dict[tuple[str, str], tuple[Any, str]]) -> Config:
    sections = _sections()
    values: dict[str, dict[str, Any]] = {name: {} for name in sections}
    for (section, key), (raw, where) in layers.items():
        cls = sections[section]
        hints = typing.get_type_hints(cls)
        if key not in hints:
            raise ConfigError(f"{where}: unknown key '{section}.{key}'" + _suggest(key, list(hints)))
        value = _coerce(raw, hints[key], where)
        _check_value(section, key, value, where)
        values[section][key] = value
    _check_fee(values["fee"], layers)
    return Config(**{name: cls(**values[name]) for name, cls in sections.items()})


def _check_value(section: str, key: str, value: Any, where: str) -> None:
    if isinstance(value, str) and _PLACEHOLDER.fullmatch(value.strip()):
        raise ConfigError(f"{where}: '{section}.{key}' still holds the sample's placeholder "
                          f"{value}: put this kiosk's value there")
    choices = _CHOICES.get((section, key))
    if choices and value not in choices:
        raise ConfigError(f"{where}: '{section}.{key}' must be one of "
                          f"{', '.join(f'{c:g}' if isinstance(c, float) else c for c in choices)}, "
                          f"got {value!r}")
    if key in _POSITIVE and not value > 0:
        raise ConfigError(f"{where}: '{section}.{key}' must be greater than 0, got {value!r}")
    if (section, key) == ("portal", "url") and value != "embedded" and not value.startswith(
        ("http://", "https://")
    ):
        raise ConfigError(f"{where}: 'portal.url' must be 'embedded' or an http(s):// URL, "
                          f"got {value!r}")
    if isinstance(value, str):
        _check_text(section, key, value, where)


#: "<...>" marks a value the sample configuration (deploy/) leaves for the installer to fill in.
_PLACEHOLDER = re.compile(r"<[^<>]+>")

_FEE_FORMATS = {
    "bank_bin": (re.compile(r"[0-9]{6}"), "the bank's 6-digit NAPAS BIN, e.g. '970415'"),
    "account_number": (re.compile(r"[0-9A-Za-z]{1,19}"), "1 to 19 letters or digits, no spaces"),
    "account_name": (re.compile(r"[A-Z0-9](?:[A-Z0-9 .,&()/-]{0,23}[A-Z0-9.)])?"),
                     "capitals without accents, at most 25 characters, e.g. "
                     "'KHO BAC NHA NUOC QUAN 1'"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _check_text(section: str, key: str, value: str, where: str) -> None:
    if (section, key) == ("devices", "printer") and (
        _CONTROL.search(value) or value != value.strip()
    ):
        raise ConfigError(f"{where}: 'devices.printer' must be a printer name as `lpstat -p` "
                          f"shows it (no spaces around it), got {value!r}")
    if section == "devices" and value:
        _check_device_text(key, value, where)
    if section == "fee" and value:
        pattern, wanted = _FEE_FORMATS[key]
        if not pattern.fullmatch(value):
            raise ConfigError(f"{where}: 'fee.{key}' must be {wanted}, got {value!r}")


_DEVICE_FORMATS = {
    "escpos_printer": (re.compile(r"virtual|(usb|file):/\S+|serial:/[^\s:]+(:[0-9]+)?"
                                  r"|tcp:[^\s:/]+(:[0-9]+)?"),
                       "usb:/dev/usb/lp0, serial:/dev/ttyUSB0:19200, tcp:HOST:9100, file:PATH or "
                       "virtual"),
    "scanner_usb_id": (re.compile(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}"),
                       "the USB vendor:product ID in hex as `lsusb` shows it, e.g. 0c2e:0b61"),
}


def _check_device_text(key: str, value: str, where: str) -> None:
    fmt = _DEVICE_FORMATS.get(key)
    if fmt is not None and not fmt[0].fullmatch(value):
        raise ConfigError(f"{where}: 'devices.{key}' must be {fmt[1]}, got {value!r}")


def _check_fee(fee: dict[str, Any], layers: dict[tuple[str, str], tuple[Any, str]]) -> None:
    """The three keys go together: a code with half an account would send money nowhere."""
    given = [key for key in _FEE_FORMATS if fee.get(key)]
    missing = [key for key in _FEE_FORMATS if not fee.get(key)]
    if given and missing:
        where = ", ".join(layers[("fee", key)][1] for key in given)
        raise ConfigError(f"{where}: the fee account also needs "
                          + ", ".join(f"'fee.{key}'" for key in missing)
                          + " (set all three, or none to have fees paid at the counter)")


def to_toml(config: Config) -> str:
    """The effective config as TOML text (for ``kiosk config show``); the token is masked."""
    lines: list[str] = []
    for section, table in config.as_dict().items():
        lines.append(f"[{section}]")
        for key, value in table.items():
            if (section, key) == ("portal", "token") and value:
                value = "***"
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, float):
                text = repr(value)
            else:
                text = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"{key} = {text}")
        lines.append("")
    return "\n".join(lines)

