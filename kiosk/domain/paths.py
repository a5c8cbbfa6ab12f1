"""Where the kiosk finds its bundled assets and keeps its data."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "motcua-kiosk"

#: The repository's `assets/` folder (the kiosk is installed from its source tree).
ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
PROCEDURES_DIR = ASSETS_DIR / "procedures"
PROFILES_DIR = ASSETS_DIR / "profiles"
TRANSLATIONS_DIR = ASSETS_DIR / "translations"
THEMES_DIR = ASSETS_DIR / "themes"


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/motcua-kiosk)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
