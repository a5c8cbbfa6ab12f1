"""On-screen Vietnamese keyboard: the widget, its layouts, where to dock it, and the Telex/VNI
composer (``vnkeys``, Qt-free) that both it and a USB keyboard type through."""

from __future__ import annotations

from ui.keyboard.editing import Method, TargetEditor, word_before
from ui.keyboard.layouts import Layout
from ui.keyboard.placement import Placement, dock, place_keyboard
from ui.keyboard.widget import OnScreenKeyboard

__all__ = ["Layout", "Method", "OnScreenKeyboard", "Placement", "TargetEditor", "dock",
           "place_keyboard", "word_before"]
