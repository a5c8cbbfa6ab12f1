"""Where the kiosk finds its bundled assets and keeps its data.

The assets are the package ``kiosk_assets``: the repository's top-level ``assets/`` folder, mapped
into the wheel by ``setup.py`` and, in a source checkout, by the editable install. They are opened
through ``importlib.resources``, so an installed kiosk needs no source tree.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

__all__ = ["ADDRESS_DATA_DIR", "APP_NAME", "ASSETS_DIR", "PROCEDURES_DIR", "PROFILES_DIR",
           "SAMPLES_DIR", "TEST_PKI_DIR", "THEMES_DIR", "TRANSLATIONS_DIR", "default_data_dir"]

APP_NAME = "motcua-kiosk"
_SOURCE_ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _assets_dir() -> Path:
    """The installed ``kiosk_assets`` package as a folder (wheels install unzipped)."""
    try:
        root = resources.files("kiosk_assets")
    except ModuleNotFoundError:
        # A source checkout whose venv predates the package mapping: the folder is right here.
        if (_SOURCE_ASSETS / "__init__.py").is_file():
            return _SOURCE_ASSETS
        raise RuntimeError("the kiosk's assets (package kiosk_assets) are not installed: "
                           "reinstall motcua-kiosk") from None
    if not isinstance(root, Path):
        raise RuntimeError(f"the kiosk's assets must be installed as files, not in {root}")
    return root


ASSETS_DIR = _assets_dir()
PROCEDURES_DIR = ASSETS_DIR / "procedures"
PROFILES_DIR = ASSETS_DIR / "profiles"
SAMPLES_DIR = ASSETS_DIR / "samples"
TRANSLATIONS_DIR = ASSETS_DIR / "translations"
THEMES_DIR = ASSETS_DIR / "themes"
ADDRESS_DATA_DIR = ASSETS_DIR / "address-data"
#: TEST-ONLY keys and certificates for the demo's virtual chips; never a production trust anchor.
TEST_PKI_DIR = ASSETS_DIR / "test-pki"


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/motcua-kiosk)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
