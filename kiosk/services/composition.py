"""Builds the kiosk's non-visual parts from a Config (no Qt): the GUI and the CLI share this.

The one place where the portal clients, the outbox and its relay, the operations stores, the
submission service and the devices are made and closed. The main window receives a started
``Services`` and wires it to screens; tests build one on a temporary data folder with the
embedded reference portal. The reference portal, the store and the devices are imported when
built (a kiosk without them configured never loads them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kiosk.domain.config import Config
from kiosk.domain.flow import Flow
from kiosk.domain.paths import PROCEDURES_DIR, PROFILES_DIR
from kiosk.portal.client import PortalClient
from kiosk.domain.procedures import Catalogue

if TYPE_CHECKING:
    from devices.camera import Camera
    from devices.card import CardReader
    from devices.hotplug import HotplugMonitor
    from devices.printer import ReceiptPrinter
    from devices.scanner import Scanner
    from kiosk.portal.embedded import EmbeddedPortal
    from kiosk.services.ops.wiring import Operations
    from kiosk.services.submission import SubmissionService
    from offline_store.outbox import Outbox
    from offline_store.sync import SyncEngine, SyncThread

log = logging.getLogger(__name__)

__all__ = ["SYNC_STOP_S", "Services", "portal_client"]

#: At exit, the longest the sync thread is waited for (a portal call in flight keeps its lease, and
#: the next start asks the portal before sending that entry again).
SYNC_STOP_S = 2.0


@dataclasses.dataclass
class Services:
    config: Config
    catalogue: Catalogue
    client: PortalClient
    health_client: PortalClient
    outbox: Outbox
    engine: SyncEngine
    sync_thread: SyncThread
    submission: SubmissionService
    card_reader: CardReader
    camera: Camera | None
    ops: Operations
    embedded_portal: EmbeddedPortal | None = None
    scanner: Scanner | None = None
    receipt_printer: ReceiptPrinter | None = None  # an ESC/POS printer; None: Qt or PDF
    hotplug: HotplugMonitor | None = None
    profiles_dir: Path = PROFILES_DIR
    _stack: contextlib.ExitStack = dataclasses.field(default_factory=contextlib.ExitStack)

    @classmethod
    def build(cls, config: Config, *, procedures_dir: Path = PROCEDURES_DIR) -> Services:
        """Open everything; on any failure close what was opened and re-raise.

        The steps register their closers on one stack in this order, so ``close`` undoes them
        newest first: devices (once started), submission, ops, sync thread, outbox, clients,
        embedded portal."""
        stack = contextlib.ExitStack()
        try:
            data = config.data_path()
            data.mkdir(parents=True, exist_ok=True)
            catalogue = Catalogue.load(procedures_dir)
            portal = _open_portal(config, data, procedures_dir, stack)
            store = _open_store(config, data, portal.client, stack)
            ops, submission = _start_ops(config, store, stack)
            reader, camera = _open_devices(config)
            scanner, printer = _open_scanner(config), _open_receipt_printer(config, data)
        except BaseException:
            stack.close()
            raise
        hotplug = None
        if config.devices.hotplug:
            from devices.hotplug import HotplugMonitor

            hotplug = HotplugMonitor()  # started with the devices; subscribers may join before
        return cls(config, catalogue, portal.client, portal.health_client, store.outbox,
                   store.engine, store.sync_thread, submission, reader, camera, ops,
                   portal.embedded, scanner=scanner, receipt_printer=printer, hotplug=hotplug,
                   _stack=stack)

    def new_flow(self) -> Flow:
        return Flow(self.catalogue, unit_code=self.config.kiosk.unit_code,
                    kiosk_id=self.config.kiosk.kiosk_id)

    def start_devices(self) -> None:
        """Start the devices' threads (after the GUI has subscribed to their events)."""
        self.card_reader.subscribe(self.ops.on_reader_event)
        self.card_reader.start()
        self._stack.callback(self.card_reader.stop)
        if self.camera is not None:
            self.camera.start()
            self._stack.callback(self.camera.stop)
            camera = self.camera  # asked at each metrics scrape: a camera that stopped delivering is down
            self.ops.metrics.add_device_probe("camera", lambda: camera.error is None)
        if self.scanner is not None:
            self.scanner.start()
            self._stack.callback(self.scanner.stop)
            scanner = self.scanner
            self.ops.metrics.add_device_probe("scanner", lambda: scanner.attached)
        if self.hotplug is not None:
            self._start_hotplug()

    def _start_hotplug(self) -> None:
        """Scanners try their device again at once when a device node appears (the GUI restarts
        a camera that came back: see ui/device_watch.py)."""
        from devices.hotplug import DeviceAdded

        scanner, hotplug = self.scanner, self.hotplug
        if hotplug is None:
            return
        if scanner is not None:
            hotplug.subscribe(lambda e: scanner.nudge() if isinstance(e, DeviceAdded) else None)
        hotplug.start()
        self._stack.callback(hotplug.stop)

    def close(self) -> None:
        """Stop threads and close files, newest first. Safe to call twice."""
        self._stack.close()


class _Portal(NamedTuple):
    client: PortalClient
    health_client: PortalClient
    embedded: EmbeddedPortal | None


class _Store(NamedTuple):
    outbox: Outbox
    engine: SyncEngine
    sync_thread: SyncThread


def preload(config: Config) -> None:
    """Import what ``Services.build`` will import, without opening anything.

    ``kiosk run`` calls it before loading Qt: once PySide6 is loaded it reads the source of every
    module imported after it, looking for PySide's optional features, which more than doubled the
    import time of the kiosk's Qt-free modules. Importing ``ui`` turns that scan off; the preload
    keeps the cost away wherever the switch does not take (another PySide6 release)."""
    import importlib

    from devices.camera import BACKENDS as CAMERAS
    from devices.card import BACKENDS as READERS

    modules = ["offline_store.outbox", "offline_store.sync", "kiosk.services.ops.wiring",
               "kiosk.services.submission", "devices.qr.classify", "devices.qr.quality"]
    if config.portal.url == "embedded":
        modules.append("kiosk.portal.embedded")
    for backends, name in ((READERS, config.devices.card_reader), (CAMERAS, config.devices.camera)):
        if name in backends:
            modules.append(backends[name].split(":")[0])
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:  # Services.build reports a missing backend clearly; not this
            log.debug("Could not preload %s", module)


def _open_portal(config: Config, data: Path, procedures_dir: Path,
                 stack: contextlib.ExitStack) -> _Portal:
    """The portal's clients, after starting the embedded reference portal if the config asks."""
    embedded, url = None, config.portal.url
    if url == "embedded":
        from kiosk.portal.embedded import EmbeddedPortal

        embedded = EmbeddedPortal(data / "portal" / "portal.sqlite3",
                                  token=config.portal.token,
                                  procedures_dir=procedures_dir)
        url = embedded.start()
        stack.callback(embedded.stop)
    # One client per thread: the sync thread sends, the GUI's health checks use their own.
    client = portal_client(config, url)
    stack.callback(client.close)
    health_client = portal_client(config, url)
    stack.callback(health_client.close)
    return _Portal(client, health_client, embedded)


def _open_store(config: Config, data: Path, client: PortalClient,
                stack: contextlib.ExitStack) -> _Store:
    """The encrypted outbox and the sync thread that drains it through ``client`` (started)."""
    from offline_store.outbox import Outbox
    from offline_store.sync import SyncEngine, SyncThread

    outbox = Outbox.open(data / "outbox.sqlite3", data / "outbox.key",
                         busy_timeout_s=config.store.busy_timeout_s,
                         retention_s=config.store.retention_days * 86400.0)
    stack.callback(outbox.close)
    engine = SyncEngine(outbox, client, rng=random.Random(),
                        backoff_base_s=config.sync.backoff_base_s,
                        backoff_cap_s=config.sync.backoff_cap_s)
    sync_thread = SyncThread(engine, idle_interval_s=config.sync.idle_interval_s)
    sync_thread.start()
    stack.callback(sync_thread.stop, timeout=SYNC_STOP_S)
    return _Store(outbox, engine, sync_thread)


def _start_ops(config: Config, store: _Store,
               stack: contextlib.ExitStack) -> tuple[Operations, SubmissionService]:
    """Operations (audit, staff, metrics) on the running store, then the submission service."""
    from kiosk.services.ops.wiring import Operations
    from kiosk.services.submission import SubmissionService

    ops = Operations.start(config, store.engine, store.outbox)
    stack.callback(ops.close)
    submission = SubmissionService(store.outbox, store.sync_thread, store.engine,
                                   wait_s=config.sync.submit_wait_s)
    stack.callback(submission.close)
    return ops, submission


def _open_devices(config: Config) -> tuple[CardReader, Camera | None]:
    """The card reader and the camera (or None), built but not started: see ``start_devices``."""
    from devices.camera import open_camera
    from devices.card import open_reader

    devices = config.devices
    options: dict[str, Any] = {"csca_dir": devices.csca_dir or None,
                               "crl_dir": devices.crl_dir or None}
    if devices.card_reader == "pcsc":
        options["extended_length"] = devices.card_extended_length
    reader = open_reader(devices.card_reader, **options)
    camera = None
    if config.devices.camera != "none":
        options = {"source": config.devices.camera_source} if config.devices.camera_source else {}
        camera = open_camera(config.devices.camera, **options)
    return reader, camera


def _open_scanner(config: Config) -> Scanner | None:
    """The barcode scanner (not started), or None when none is configured."""
    devices = config.devices
    if devices.scanner == "none":
        return None
    from devices.scanner import open_scanner

    if devices.scanner == "virtual":
        return open_scanner("virtual", prefix=devices.scanner_prefix,
                            suffix=devices.scanner_suffix)
    options: dict[str, Any] = {"device": devices.scanner_device,
                               "usb_id": devices.scanner_usb_id}
    if devices.scanner in ("serial", "wedge"):
        options.update(prefix=devices.scanner_prefix, suffix=devices.scanner_suffix)
    if devices.scanner == "serial":
        options["baudrate"] = int(devices.scanner_baudrate)
    return open_scanner(devices.scanner, **options)


def _open_receipt_printer(config: Config, data: Path) -> ReceiptPrinter | None:
    """The ESC/POS printer, or None (receipts then go through Qt: CUPS or PDF)."""
    spec = config.devices.escpos_printer
    if not spec:
        return None
    from devices.printer import open_printer

    width = int(config.devices.escpos_width_dots)
    if spec == "virtual":
        return open_printer("virtual", out_dir=data / "receipts" / "escpos", width_dots=width)
    return open_printer("escpos", connection=spec, width_dots=width)


def portal_client(config: Config, url: str) -> PortalClient:
    """A portal client with the config's timeouts, deadlines, TLS settings and credential (the
    kiosk, `kiosk outbox sync` and doctor all build theirs here)."""
    portal = config.portal
    token: str | None = portal.token
    if portal.token_file:
        token = Path(portal.token_file).expanduser().read_text(encoding="ascii").strip()
    elif portal.client_cert and portal.token == type(portal).token:
        token = None  # the certificate alone identifies the kiosk: no shared demo token
    cert = ((str(Path(portal.client_cert).expanduser()), str(Path(portal.client_key).expanduser()))
            if portal.client_cert else None)
    return PortalClient(url, token, client_cert=cert,
                        connect_timeout=portal.connect_timeout_s,
                        read_timeout=portal.read_timeout_s,
                        deadline_s=portal.deadline_s, upload_deadline_s=portal.upload_deadline_s,
                        verify=portal.ca_bundle or portal.verify_tls)
