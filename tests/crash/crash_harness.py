"""Processes for the crash test: the reference portal and the kiosk zygote, read through one select.

Everything waits on file descriptors with deadlines (no sleeps): a line from the zygote, or the
portal's start-up line. The portal's stderr is drained on every wait so it can never block on a
full pipe.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")


class Pipes:
    """Line-oriented reading of several pipes with a deadline."""

    def __init__(self) -> None:
        self._buffers: dict[int, bytes] = {}
        self._lines: dict[int, list[str]] = {}
        self.text: dict[int, list[str]] = {}  # everything read, for failure messages

    def add(self, fd: int) -> None:
        os.set_blocking(fd, False)
        self._buffers[fd], self._lines[fd], self.text[fd] = b"", [], []

    def line(self, fd: int, deadline: float) -> str | None:
        """The next line from `fd`, or None at the deadline or end of file."""
        while not self._lines[fd]:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or fd not in self._buffers:
                return None
            ready, _, _ = select.select(list(self._buffers), [], [], remaining)
            for each in ready:
                self._pump(each)
        return self._lines[fd].pop(0)

    def _pump(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        if not data:  # end of file
            del self._buffers[fd]
            return
        *complete, rest = (self._buffers[fd] + data).split(b"\n")
        self._buffers[fd] = rest
        decoded = [c.decode("utf-8", "replace") for c in complete]
        self._lines[fd].extend(decoded)
        self.text[fd].extend(decoded)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reap(proc: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """Wait for a process that was asked to stop; SIGKILL it if it has not within ``grace_s``."""
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class PortalProcess:
    """`python -m kiosk.portal.server` in its own process, as the brief of the crash test wants."""

    def __init__(self, db: Path, token: str, pipes: Pipes) -> None:
        self.db, self._token, self._pipes = db, token, pipes
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 30.0) -> str:
        port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.portal.server", "--port", str(port), "--db", str(self.db),
             "--token", self._token], cwd=ROOT, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        self._pipes.add(fd)
        deadline = time.monotonic() + timeout
        while (line := self._pipes.line(fd, deadline)) is not None:
            if "listening on" in line:
                self.url = f"http://127.0.0.1:{port}"
                return self.url
        raise AssertionError("portal did not start: " + "\n".join(self._pipes.text[fd]))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            reap(self.proc)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()


class Zygote:
    """The kiosk zygote (see crash_child.py): `spawn()` a kiosk, `kill()` it, collect its acks."""

    def __init__(self, db: Path, key: Path, portal_url: str, pipes: Pipes, *, lease_s: float,
                 stderr_path: Path) -> None:
        self._stderr = stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "--db", str(db), "--key", str(key), "--portal",
             portal_url, "--lease-s", str(lease_s)], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self._fd = self.proc.stdout.fileno()
        self._pipes = pipes
        pipes.add(self._fd)
        self.acks: list[tuple[str, str, str]] = []
        self.deaths: list[int] = []
        self._expect("ready", time.monotonic() + 60)

    def spawn(self, generation: int) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"spawn {generation}\n".encode())
        self.proc.stdin.flush()
        return int(self._expect("pid", time.monotonic() + 10))

    def run_for(self, seconds: float) -> None:
        """Let the kiosk work, collecting its acknowledgements, for `seconds`."""
        deadline = time.monotonic() + seconds
        while (line := self._pipes.line(self._fd, deadline)) is not None:
            self._note(line)

    def kill(self, pid: int) -> int:
        """SIGKILL the kiosk and wait until the zygote has reaped it; returns the wait status."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it died on its own: the status says how
        status = int(self._expect("dead", time.monotonic() + 10).split()[1])
        self.deaths.append(status)
        return status

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # end of input: the zygote exits
        reap(self.proc)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()

    def _expect(self, word: str, deadline: float) -> str:
        while (line := self._pipes.line(self._fd, deadline)) is not None:
            head, _, rest = line.partition(" ")
            if head == word:
                return rest
            self._note(line)
        raise AssertionError(f"zygote never said {word!r}; see {self._stderr.name}")

    def _note(self, line: str) -> None:
        head, _, rest = line.partition(" ")
        if head == "ack":
            ref, status, code = rest.split()
            self.acks.append((ref, status, code))
