"""Staff accounts: staff ID + PIN, hashed with scrypt, with lockout after repeated failures.

Why scrypt: a PIN has few possible values, so a stolen ``staff.json`` must be expensive to brute
force; scrypt (memory-hard, in ``cryptography``, already a dependency) costs ~32 MiB and ~0.1 s per
guess at the default n=2**15, r=8, p=1. Each account has its own 16-byte salt; the KDF parameters
are stored with the hash so they can be raised later. A PIN is never stored, logged, put in an
exception message or a repr.

Lockout: ``max_failures`` wrong PINs in a row lock the account, for ``lockout_s`` the first time and
twice as long after each further lockout (up to ``max_lockout_s``); a good sign-in, ``unlock`` or
``reset-pin`` starts over. The counters are persisted, so restarting the kiosk resets nothing.

Never say which: an unknown staff ID, a wrong PIN and a locked account get the same answer
(``BadCredentials``, which mentions that an account may be locked) after the same time: each runs
one KDF (an unknown ID against a dummy salt, a locked account against its own, the result thrown
away) and every answer is held until ``answer_s`` has passed since the attempt began (injected
clock and sleep). Only the audit log says which it was.

The store is one JSON file (mode 0600) replaced atomically; a ``flock`` on ``<file>.lock`` makes
the kiosk and ``kiosk staff`` (another process) safe together. Every change and every sign-in,
failed or not, goes to the audit log when one is given.

Errors (phase order)::

    StaffError
     +-- StaffStoreError     opening/saving: the file is unreadable, damaged or readable by others
     +-- StaffInputError     add/reset: the staff ID or the PIN does not meet the rules
     +-- StaffExists         add: that staff ID already has an account
     +-- UnknownStaff        remove/reset/unlock: no account with that ID
     +-- BadCredentials      sign-in: unknown ID, wrong PIN or locked account (never says which)
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hmac
import json
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.services.ops.audit import AuditLog
from kiosk.services.ops.locking import LockTimeout, lock_exclusive

__all__ = ["BadCredentials", "KdfParams", "StaffAccount", "StaffDirectory", "StaffError",
           "StaffExists", "StaffInputError", "StaffSession", "StaffStoreError",
           "UnknownStaff", "check_pin", "check_staff_id"]

_ID = re.compile(r"[A-Za-z][A-Za-z0-9._-]{1,31}")
_PIN = re.compile(r"\d{6,12}")


class StaffError(Exception):
    """Staff accounts cannot do what was asked; the message says what the person can do."""


class StaffStoreError(StaffError):
    pass


class StaffInputError(StaffError, ValueError):
    pass


class StaffExists(StaffError):
    pass


class UnknownStaff(StaffError):
    pass


class BadCredentials(StaffError):
    def __init__(self) -> None:
        super().__init__("Mã nhân viên hoặc mã PIN không đúng, hoặc tài khoản đang tạm khoá. / "
                         "Wrong staff ID or PIN, or the account is locked for a while.")


@dataclasses.dataclass(frozen=True)
class KdfParams:
    n: int = 2 ** 15
    r: int = 8
    p: int = 1

    def derive(self, pin: str, salt: bytes) -> bytes:
        return Scrypt(salt=salt, length=32, n=self.n, r=self.r, p=self.p).derive(pin.encode())


@dataclasses.dataclass(frozen=True)
class StaffAccount:
    """What callers may see of an account: never the hash or the salt."""

    staff_id: str
    role: str
    created_at: float
    pin_changed_at: float
    failures: int
    locked_until: float | None


@dataclasses.dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member, for the UI: who, since when, until when."""

    staff_id: str
    role: str
    started_at: float
    expires_at: float

    def remaining_s(self, now: float) -> float:
        return max(0.0, self.expires_at - now)

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    def extended(self, now: float, ttl_s: float) -> StaffSession:
        """Activity keeps the session alive: a new expiry ``ttl_s`` from ``now``."""
        return dataclasses.replace(self, expires_at=now + ttl_s)


def check_staff_id(staff_id: str) -> str:
    if not _ID.fullmatch(staff_id or ""):
        raise StaffInputError("a staff ID is 2-32 letters, digits, '.', '_' or '-', starting with a "
                              "letter (not a citizen ID number)")
    return staff_id


def check_pin(pin: str) -> None:
    """6-12 digits, not one digit repeated, not a run like 123456 or 654321."""
    if not _PIN.fullmatch(pin or ""):
        raise StaffInputError("a PIN is 6 to 12 digits")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise StaffInputError("that PIN is too easy to guess; choose another")


class StaffDirectory:
    """The staff accounts of one kiosk, in one JSON file."""

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time,
                 max_failures: int = 5, lockout_s: float = 300.0, session_s: float = 900.0,
                 kdf: KdfParams = KdfParams(), audit: AuditLog | None = None,
                 max_lockout_s: float = 24 * 3600.0, answer_s: float = 0.5,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """`answer_s`: every sign-in answer (good or bad) is held until this long after the
        attempt began, so the time taken never tells an unknown ID from a wrong PIN or a lock."""
        if max_failures < 1 or lockout_s <= 0 or session_s <= 0 or answer_s < 0:
            raise ValueError("max_failures, lockout_s and session_s must be positive")
        self.path = Path(path)
        self._clock = clock
        self._max_lockout_s = max(max_lockout_s, lockout_s)
        self._answer_s = answer_s
        self._monotonic = monotonic
        self._sleep = sleep
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._session_s = session_s
        self._kdf = kdf
        self._audit = audit
        self._lock = threading.Lock()
        self._dummy_salt = secrets.token_bytes(16)

    def __repr__(self) -> str:
        return f"StaffDirectory({str(self.path)!r})"

    # -- administration ------------------------------------------------------------------------------

    def add(self, staff_id: str, pin: str, *, role: str = "staff", by: str = "system") -> StaffAccount:
        check_staff_id(staff_id)
        check_pin(pin)
        with self._locked() as accounts:
            if staff_id in accounts:
                raise StaffExists(f"staff ID {staff_id} already has an account; use reset-pin")
            now = self._clock()
            accounts[staff_id] = {"role": role, "created_at": now, "failures": 0,
                                  "locked_until": None, **self._hash(pin, now)}
        self._log(by, "staff.add", staff_id, {"role": role})
        return self._account(staff_id, accounts[staff_id])

    def remove(self, staff_id: str, *, by: str = "system") -> None:
        with self._locked() as accounts:
            self._require(accounts, staff_id)
            del accounts[staff_id]
        self._log(by, "staff.remove", staff_id)

    def reset_pin(self, staff_id: str, pin: str, *, by: str = "system") -> None:
        """A new PIN; also lifts a lockout."""
        check_pin(pin)
        with self._locked() as accounts:
            record = self._require(accounts, staff_id)
            record.update(self._hash(pin, self._clock()), failures=0, locked_until=None,
                          lockouts=0)
        self._log(by, "staff.reset_pin", staff_id)

    def unlock(self, staff_id: str, *, by: str = "system") -> None:
        with self._locked() as accounts:
            self._require(accounts, staff_id).update(failures=0, locked_until=None, lockouts=0)
        self._log(by, "staff.unlock", staff_id)

    def list(self) -> list[StaffAccount]:
        with self._locked(write=False) as accounts:
            return [self._account(sid, rec) for sid, rec in sorted(accounts.items())]

    # -- signing in ----------------------------------------------------------------------------------

    def authenticate(self, staff_id: str, pin: str) -> StaffSession:
        """A session for the right PIN; otherwise BadCredentials, the same for an unknown ID, a
        wrong PIN and a locked account, after the same time (audited with which it was)."""
        started = self._monotonic()
        try:
            return self._authenticate(staff_id, pin)
        finally:
            left = self._answer_s - (self._monotonic() - started)
            if left > 0:
                self._sleep(left)

    def _authenticate(self, staff_id: str, pin: str) -> StaffSession:
        with self._locked() as accounts:
            now = self._clock()
            record = accounts.get(staff_id)
            if record is None:
                self._kdf.derive(pin, self._dummy_salt)  # same cost as a real check
                outcome: tuple[str, dict[str, Any]] | StaffSession = ("unknown_id", {})
            else:
                outcome = self._check(record, pin, now)
        if isinstance(outcome, StaffSession):
            self._log(staff_id, "staff.sign_in", staff_id)
            return dataclasses.replace(outcome, staff_id=staff_id)
        why, details = outcome
        action = "staff.locked_out" if why == "locked_now" else "staff.sign_in_failed"
        self._log("system", action, staff_id if record is not None else "(unknown ID)",
                  {"why": why, **details})
        raise BadCredentials()

    def _check(self, record: dict[str, Any], pin: str,
               now: float) -> StaffSession | tuple[str, dict[str, Any]]:
        """The session, or (why, audit details) for a refusal."""
        kdf = KdfParams(**record["kdf"])
        computed = kdf.derive(pin, base64.b64decode(record["salt"]))  # also when locked: same time
        locked_until = record.get("locked_until")
        if locked_until is not None and now < locked_until:
            return "locked", {"locked_for_s": round(locked_until - now)}
        if hmac.compare_digest(computed, base64.b64decode(record["hash"])):
            record.update(failures=0, locked_until=None, lockouts=0)
            return StaffSession("", record["role"], now, now + self._session_s)
        record["failures"] = int(record.get("failures", 0)) + 1
        if record["failures"] >= self._max_failures:
            lockouts = int(record.get("lockouts", 0)) + 1
            wait = min(self._lockout_s * 2.0 ** (lockouts - 1), self._max_lockout_s)
            record.update(failures=0, locked_until=now + wait, lockouts=lockouts)
            return "locked_now", {"lockouts": lockouts, "locked_for_s": round(wait)}
        return "wrong_pin", {"failures": record["failures"]}

    # -- internals -----------------------------------------------------------------------------------

    def _hash(self, pin: str, now: float) -> dict[str, Any]:
        salt = secrets.token_bytes(16)
        return {"kdf": dataclasses.asdict(self._kdf), "salt": base64.b64encode(salt).decode(),
                "hash": base64.b64encode(self._kdf.derive(pin, salt)).decode(),
                "pin_changed_at": now}

    @staticmethod
    def _require(accounts: dict[str, Any], staff_id: str) -> dict[str, Any]:
        if staff_id not in accounts:
            raise UnknownStaff(f"there is no staff account {staff_id!r} (see `kiosk staff list`)")
        return accounts[staff_id]

    @staticmethod
    def _account(staff_id: str, rec: dict[str, Any]) -> StaffAccount:
        return StaffAccount(staff_id, rec["role"], rec["created_at"], rec["pin_changed_at"],
                            rec.get("failures", 0), rec.get("locked_until"))

    def _log(self, actor: str, action: str, target: str, details: dict[str, Any] | None = None) -> None:
        if self._audit is not None:
            self._audit.append(actor, action, target, details)

    @contextlib.contextmanager
    def _locked(self, *, write: bool = True) -> Iterator[dict[str, Any]]:
        """Load the accounts under both locks; save them atomically if the block ends normally."""
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path.with_name(self.path.name + ".lock"),
                             os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise StaffStoreError(f"cannot open the staff file lock ({exc.strerror})") from None
            try:
                try:
                    lock_exclusive(fd)
                except LockTimeout:
                    raise StaffStoreError("the staff file is locked by another process (a stuck "
                                          "`kiosk staff` command?); IT: check it") from None
                accounts = self._load()
                yield accounts
                if write:
                    self._save(accounts)
            finally:
                os.close(fd)

    def _load(self) -> dict[str, Any]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise StaffStoreError(f"the staff file {self.path} is readable by other users; IT: run "
                                  f"`chmod 600 {self.path}`")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StaffStoreError(f"the staff file {self.path} cannot be read ({type(exc).__name__});"
                                  " IT: restore it from backup") from None
        if not isinstance(data, dict) or data.get("version") != 1:
            raise StaffStoreError(f"the staff file {self.path} is not a version-1 staff file")
        return data["accounts"]

    def _save(self, accounts: dict[str, Any]) -> None:
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, json.dumps({"version": 1, "accounts": accounts}, indent=1).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StaffStoreError(f"cannot save the staff file {self.path} ({exc.strerror}); IT: "
                                  "check the disk space and the folder's owner") from None
