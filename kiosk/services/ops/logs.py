"""Structured, rotated logs with personal data removed from every record.

Why a filter on the handlers (not on loggers): records from every library propagate to the root
logger's handlers, so a handler filter sees all of them, whoever logged. The filter renders each
record once (message with its arguments, exception text, stack, extra fields), redacts the text
(``kiosk.services.ops.pii``) and replaces the record's fields with the result, so no later formatter can
render the raw arguments or exception again. Output is JSON Lines (one object a line) in a file
that rotates by size (``RotatingFileHandler``) and is created with mode 0600.

``configure_logging`` returns a handle whose ``close()`` removes exactly what it installed (tests,
and ``kiosk`` commands that configure logging twice).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import logging.handlers
import os
import sys
import threading
import traceback
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.services.ops.pii import redact

__all__ = ["JsonFormatter", "LoggingSetup", "PrivateRotatingFileHandler", "RedactionFilter",
           "configure_logging"]

_TZ = timezone(timedelta(hours=7), "ICT")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                          "taskName"}


def _safe_text(value: Any) -> str:
    try:
        return redact(str(value))
    except Exception:  # noqa: BLE001 - a broken __str__ must not break logging
        return f"<unprintable {type(value).__name__}>"


class RedactionFilter(logging.Filter):
    """Renders and redacts each record in place; never drops a record."""

    _marker = "_kiosk_redacted"

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, self._marker, False):
            return True  # already done by another handler's filter
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - bad format arguments: keep the template only
            message = f"{record.msg} (bad log arguments)"
        record.msg, record.args = redact(str(message)), None
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text, record.exc_info = redact(text), None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name in [n for n in vars(record) if n not in _STANDARD and not n.startswith("_")]:
            value = getattr(record, name)
            if not isinstance(value, (bool, int, float)) and value is not None:
                setattr(record, name, _safe_text(value))
        setattr(record, self._marker, True)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, exception, thread, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, _TZ).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "thread": record.threadName,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                data[name] = value if isinstance(value, (bool, int, float, str)) else str(value)
        return json.dumps(data, ensure_ascii=False, default=str)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created 0600 in a 0700 folder."""

    def _open(self) -> Any:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


@dataclasses.dataclass
class LoggingSetup:
    handlers: list[logging.Handler]
    previous_level: int
    previous_hooks: tuple[Any, Any] | None = None

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(self.previous_level)
        if self.previous_hooks is not None:
            sys.excepthook, threading.excepthook = self.previous_hooks


def configure_logging(log_file: str | Path | None, *, max_bytes: int = 5_000_000,
                      backup_count: int = 5, level: int = logging.INFO, console: bool = True,
                      excepthooks: bool = False) -> LoggingSetup:
    """Install redacting JSON handlers on the root logger (file: rotated; console: stderr).

    ``excepthooks``: also send uncaught exceptions (main and other threads) through logging, so
    their tracebacks are redacted too instead of going to stderr raw."""
    root = logging.getLogger()
    handlers: list[logging.Handler] = []
    if log_file is not None:
        handlers.append(PrivateRotatingFileHandler(log_file, maxBytes=max_bytes,
                                                   backupCount=backup_count, encoding="utf-8"))
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.addFilter(RedactionFilter())
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    setup = LoggingSetup(handlers, root.level)
    root.setLevel(level)
    if excepthooks:
        setup.previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = _log_uncaught
        threading.excepthook = _log_uncaught_thread
    return setup


def _log_uncaught(kind: type[BaseException], value: BaseException,
                  tb: TracebackType | None) -> None:
    logging.getLogger("kiosk.uncaught").critical("uncaught exception", exc_info=(kind, value, tb))


def _log_uncaught_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    logging.getLogger("kiosk.uncaught").critical(
        "uncaught exception in thread %s", getattr(args.thread, "name", "?"),
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
