"""The kiosk's PC/SC reader in a child process, for tests whose pcscd is their own.

libpcsclite finds pcscd through ``PCSCLITE_CSOCK_NAME`` once per process, so a test that
talks to a private pcscd runs the reader here: every reader event is printed as one JSON line
on stdout; ``read ID12`` on stdin reads the card and prints the outcome; ``quit`` stops.

Usage: python reader_events_child.py READER_NAME_PART CSCA_DIR
"""

from __future__ import annotations

import json
import sys

from devices.card import errors
from devices.card.base import ReadProgress
from devices.card.pcsc import PcscCardReader
from devices.card.reader_session import AccessKey


def emit(kind: str, **fields: object) -> None:
    print(json.dumps({"event": kind, **fields}), flush=True)


def on_event(event: object) -> None:
    if isinstance(event, ReadProgress):
        return
    name = getattr(event, "name", None) or getattr(event, "reader", None)
    emit(type(event).__name__, reader=name)


def main(argv: list[str]) -> int:
    reader = PcscCardReader(reader=argv[0], csca_dir=argv[1])
    reader.subscribe(on_event)
    reader.start()
    emit("Started", readers=reader.readers())
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        try:
            read = reader.read_identity(timeout=20.0, key=AccessKey.from_id(words[1]))
        except errors.CardError as exc:
            emit("ReadFailed", error=type(exc).__name__)
        else:
            emit("Read", verified=read.verified, id_tail=read.identity.id_number[-3:])
    reader.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
