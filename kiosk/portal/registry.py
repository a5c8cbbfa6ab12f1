"""The reference portal's kiosks: per-kiosk tokens, revoked client certificates, hand-overs.

Why: one shared bearer token identifies no kiosk, so any holder could submit in any kiosk's name.
Here each kiosk gets its own credential and the portal binds every dossier to it: a dossier
whose `kiosk_id` is not the credential's kiosk (nor one it took over) is refused (`403
kiosk_mismatch`), and a kiosk can only look up its own dossiers by idempotency key.

* Tokens: `issue_token(kiosk_id)` returns a random token once; only its SHA-256 is stored (a
  256-bit random token needs no salt). Rotation: issue a new one, install it on the kiosk, then
  `revoke_token` the old one (both are valid in between, so the kiosk never goes dark).
* Client certificates: the TLS layer checks the chain; here only revocation by serial number.
* Hand-over: a kiosk replaced by another (its queue exported and imported there, see
  docs/outbox.md) keeps the old `kiosk_id` in those dossiers; `handover(old, new)` lets the new
  kiosk send and look them up.

Audit anchors: each kiosk sends the head of its audit chain (sequence number and hash) as it
syncs; `anchor` keeps every head it receives and refuses (records as an anomaly) one below a head
already kept (the log was cut) or one that changes a kept hash (a line was rewritten, even with the
audit key), so neither can happen unseen.

Stored in the portal's SQLite file, beside the dossiers (tables `kiosk_token`, `kiosk_cert`,
`kiosk_handover`, `audit_anchor`, `audit_anomaly`); safe from many handler threads (one connection
per call).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KioskRegistry", "TokenInfo"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosk_token (
    token_sha256 TEXT PRIMARY KEY,
    kiosk_id     TEXT NOT NULL,
    created_at   REAL NOT NULL,
    revoked_at   REAL
);
CREATE TABLE IF NOT EXISTS kiosk_cert (
    serial     TEXT PRIMARY KEY,   -- hexadecimal, as the TLS layer reports it
    kiosk_id   TEXT NOT NULL,
    revoked_at REAL
);
CREATE TABLE IF NOT EXISTS audit_anchor (
    kiosk_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (kiosk_id, seq)
);
CREATE TABLE IF NOT EXISTS audit_anomaly (
    kiosk_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    kind        TEXT NOT NULL,   -- regressed (the log was cut) | forked (a line was rewritten)
    received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosk_handover (
    from_id TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    at      REAL NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
"""


@dataclass(frozen=True)
class TokenInfo:
    token_id: str   # the first 12 hex digits of its SHA-256: safe to show and to revoke by
    kiosk_id: str
    created_at: float
    revoked_at: float | None


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class KioskRegistry:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with closing(self._connect()) as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    def issue_token(self, kiosk_id: str, now: float) -> tuple[str, str]:
        """(token id, token): the token is shown once and stored only as its SHA-256."""
        token = "mk_" + secrets.token_urlsafe(32)
        digest = _sha(token)
        with closing(self._connect()) as conn:
            conn.execute("INSERT INTO kiosk_token (token_sha256, kiosk_id, created_at)"
                         " VALUES (?, ?, ?)", (digest, kiosk_id, now))
        return digest[:12], token

    def revoke_token(self, token_id: str, now: float) -> bool:
        if len(token_id) < 8:
            raise ValueError("give at least 8 hex digits of the token id")
        with closing(self._connect()) as conn:
            return conn.execute("UPDATE kiosk_token SET revoked_at = ? WHERE revoked_at IS NULL"
                                " AND token_sha256 LIKE ?", (now, token_id + "%")).rowcount > 0

    def tokens(self) -> list[TokenInfo]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT token_sha256, kiosk_id, created_at, revoked_at"
                                " FROM kiosk_token ORDER BY created_at").fetchall()
        return [TokenInfo(r[0][:12], r[1], r[2], r[3]) for r in rows]

    def kiosk_of_token(self, token: str) -> str | None:
        """The kiosk a valid (not revoked) per-kiosk token belongs to, or None."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT kiosk_id FROM kiosk_token WHERE token_sha256 = ?"
                               " AND revoked_at IS NULL", (_sha(token),)).fetchone()
        return None if row is None else str(row[0])

    def record_cert(self, serial: int, kiosk_id: str) -> None:
        with closing(self._connect()) as conn:
            conn.execute("INSERT OR IGNORE INTO kiosk_cert (serial, kiosk_id) VALUES (?, ?)",
                         (f"{serial:X}", kiosk_id))

    def revoke_cert(self, serial_hex: str, now: float) -> bool:
        with closing(self._connect()) as conn:
            return conn.execute("UPDATE kiosk_cert SET revoked_at = ? WHERE serial = ?"
                                " AND revoked_at IS NULL", (now, serial_hex.upper())).rowcount > 0

    def cert_revoked(self, serial_hex: str) -> bool:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT revoked_at FROM kiosk_cert WHERE serial = ?",
                               (serial_hex.upper(),)).fetchone()
        return row is not None and row[0] is not None

    def handover(self, from_id: str, to_id: str, now: float) -> None:
        with closing(self._connect()) as conn:
            conn.execute("INSERT OR IGNORE INTO kiosk_handover (from_id, to_id, at)"
                         " VALUES (?, ?, ?)", (from_id, to_id, now))

    def anchor(self, kiosk_id: str, seq: int, digest: str, now: float) -> str:
        """Keep a kiosk's audit chain head: "stored" (new), "same" (known), or, recorded as an
        anomaly and not stored, "regressed" (below a head already anchored: the log was cut) or
        "forked" (a known sequence number with another hash: the log was rewritten)."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                known = conn.execute("SELECT hash FROM audit_anchor WHERE kiosk_id = ? AND seq = ?",
                                     (kiosk_id, seq)).fetchone()
                (top,) = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_anchor"
                                      " WHERE kiosk_id = ?", (kiosk_id,)).fetchone()
                if known is not None:
                    outcome = "same" if known[0] == digest else "forked"
                else:
                    outcome = "regressed" if seq < top else "stored"
                if outcome == "stored":
                    conn.execute("INSERT INTO audit_anchor (kiosk_id, seq, hash, received_at)"
                                 " VALUES (?, ?, ?, ?)", (kiosk_id, seq, digest, now))
                elif outcome != "same":
                    conn.execute("INSERT INTO audit_anomaly (kiosk_id, seq, hash, kind,"
                                 " received_at) VALUES (?, ?, ?, ?, ?)",
                                 (kiosk_id, seq, digest, outcome, now))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return outcome

    def anchors(self, kiosk_id: str, limit: int = 1000) -> list[dict[str, object]]:
        """The kiosk's anchored heads, newest first."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT seq, hash, received_at FROM audit_anchor WHERE kiosk_id = ?"
                                " ORDER BY seq DESC LIMIT ?", (kiosk_id, limit)).fetchall()
        return [{"seq": r[0], "hash": r[1], "received_at": r[2]} for r in rows]

    def may_act_for(self, identity: str, kiosk_id: str) -> bool:
        """May the kiosk `identity` submit or look up dossiers of `kiosk_id`?"""
        if identity == kiosk_id:
            return True
        with closing(self._connect()) as conn:
            return conn.execute("SELECT 1 FROM kiosk_handover WHERE from_id = ? AND to_id = ?",
                                (kiosk_id, identity)).fetchone() is not None
