"""Một Cửa Kiosk's core, in layers: ``domain`` (the leaf), ``portal`` (beside ``devices`` and
``offline_store``), ``services`` above them, ``app`` (the command line, benchmarks, doctor) on top.
See docs/architecture.md."""

__version__ = "0.1.0"
