"""Helpers for the ICAO protocol tests: a scripted random source and a terminal<->card loop."""

from __future__ import annotations

from collections.abc import Callable

from devices.card.icao.apdu import CommandApdu, ResponseApdu


def scripted_rng(*hex_chunks: str) -> Callable[[int], bytes]:
    """An rng that returns the given values in order and fails if asked for another size."""
    chunks = [bytes.fromhex(c) for c in hex_chunks]

    def rng(n: int) -> bytes:
        assert chunks, "the protocol asked for more randomness than the example has"
        chunk = chunks.pop(0)
        assert len(chunk) == n, f"asked for {n} bytes, example has {len(chunk)}"
        return chunk

    return rng


def run(terminal, card) -> list[tuple[str, str]]:
    """Drive a terminal step object against a card step object over encoded bytes.

    Returns the transcript as (command hex, response hex) pairs; terminal errors propagate.
    """
    transcript: list[tuple[str, str]] = []
    cmd: CommandApdu | None = terminal.start()
    while cmd is not None:
        raw_cmd = cmd.to_bytes()
        resp: ResponseApdu = card.process(CommandApdu.parse(raw_cmd))
        raw_resp = resp.to_bytes()
        transcript.append((raw_cmd.hex().upper(), raw_resp.hex().upper()))
        cmd = terminal.step(raw_resp)
    return transcript
