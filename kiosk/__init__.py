"""Một Cửa Kiosk: the Qt-free core (config, the citizen flow, procedures, the portal, the CLI)."""

__version__ = "0.1.0"
