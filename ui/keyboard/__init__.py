"""On-screen Vietnamese keyboard (issue 6): the widget, its layouts and where to dock it."""

from __future__ import annotations

from ui.keyboard.editing import Method, TargetEditor, word_before
from ui.keyboard.layouts import Layout
from ui.keyboard.placement import Placement, dock, place_keyboard
from ui.keyboard.widget import OnScreenKeyboard

__all__ = ["Layout", "Method", "OnScreenKeyboard", "Placement", "TargetEditor", "dock",
           "place_keyboard", "word_before"]
