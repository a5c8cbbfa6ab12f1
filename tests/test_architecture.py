"""The core, the store and the devices must work on a machine without Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS_PACKAGES = ("kiosk", "offline_store", "devices")
GUI_ENTRY_POINTS = {"kiosk.app.cli.run"}  # imports ui lazily, inside its handler
#: `kiosk bench journey` and `make screenshots` drive the real window: these load Qt, and only
#: that command and that tool import them.
GUI_MODULES = {"kiosk.app.bench.journey.walk", "kiosk.app.bench.journey.driver",
               "kiosk.app.screenshots"}


def _modules() -> list[str]:
    names = []
    for package in HEADLESS_PACKAGES:
        names.append(package)
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if info.name not in GUI_MODULES:
                names.append(info.name)
    return names


def assert_runs_clean(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet): it must exit 0; its output."""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_headless_packages_import_without_qt():
    modules = _modules()
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'ui'):\n"
        "            raise ImportError('Qt is forbidden here: ' + name)\n"
        "sys.meta_path.insert(0, _Block())\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok', len(sys.modules))\n"
    )
    assert assert_runs_clean(code).startswith("ok")


def test_parsers_and_the_store_load_no_http_stack():
    """A QR payload parser, the card's data groups and the outbox decide without `requests`."""
    code = (
        "import sys\n"
        "import devices.qr, devices.qr.receipt, devices.qr.cccd, devices.card.lds, offline_store.sync\n"
        "import kiosk.domain.portal_contract\n"
        "loaded = [m for m in ('requests', 'urllib3', 'kiosk.portal') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    assert_runs_clean(code)


def test_the_welcome_screen_loads_no_image_or_http_stack():
    """What ``kiosk run`` imports before its first frame (the preload, the window and every screen)
    leaves numpy, OpenCV, zxing-cpp, the unit tables and the HTTP client's stack to the moment they
    are first needed."""
    code = (
        "import sys\n"
        "from kiosk.domain.config import Config\n"
        "from kiosk.services.composition import preload\n"
        "preload(Config())\n"
        "import ui.app, ui.main_window\n"
        "from kiosk.portal.client import PortalClient\n"
        "PortalClient('http://127.0.0.1:9', 'token').close()  # the session comes with a request\n"
        "late = ('numpy', 'cv2', 'zxingcpp', 'vietnam_provinces', 'requests', 'urllib3')\n"
        "loaded = [m for m in late if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    assert_runs_clean(code)


def test_modules_imported_after_qt_are_not_read_for_pyside_features():
    """PySide6 would read (and keep) the source of every module imported after it; ``ui`` stops it."""
    code = (
        "import linecache, sys\n"
        "import ui\n"
        "assert 'colorsys' not in sys.modules and 'PySide6' in sys.modules\n"
        "import colorsys\n"
        "from PySide6.QtCore import QObject\n"
        "read = [name for name in linecache.cache if name.endswith('colorsys.py')]\n"
        "assert not read, read\n"
    )
    assert_runs_clean(code)


def test_cli_parser_builds_without_qt():
    code = (
        "import sys\n"
        "from kiosk.app.cli import build_parser\n"
        "build_parser()\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
    )
    assert_runs_clean(code)


def test_every_file_the_readme_and_docs_link_to_exists():
    """Screenshots are renumbered when screens are added: a dead link must fail here."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md")),
             root / "docs" / "screenshots" / "README.md"]
    missing = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                missing.append(f"{page.relative_to(root)} -> {target}")
    assert missing == []
