"""The kiosk's PySide6 screens and widgets.

Importing ``ui`` loads PySide6 and turns off one of its start-up costs: after PySide6 is loaded it
reads the whole source of every module imported later (and keeps it in ``linecache`` for the life
of the process) to learn whether that module switches on one of PySide's optional Python-style
features (``from __feature__ import snake_case, true_property``). The kiosk uses none of them;
the scan held about 14 MB of an idle kiosk's memory (OpenCV's, numpy's and the kiosk's own
sources) and slowed every import after Qt's. A module that does import ``__feature__`` still gets
its features: PySide records those at that import, not from the scan."""

from __future__ import annotations

import sys

import PySide6  # noqa: F401 - loads PySide's import hooks, which are adjusted below


def _uses_no_feature(_module: object) -> bool:
    return False


def _skip_feature_scan() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature


_skip_feature_scan()
