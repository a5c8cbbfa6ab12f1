"""The file-system checks of `kiosk doctor`: data folder, key files, outbox, audit log, disk."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from kiosk.app.doctor import CheckResult, DoctorContext, Status

PASS, WARN, FAIL = Status.PASS, Status.WARN, Status.FAIL


def check_data_dir(ctx: DoctorContext) -> CheckResult:
    data = ctx.paths.data
    if not data.exists():
        parent = next((p for p in data.parents if p.exists()), Path("/"))
        if os.access(parent, os.W_OK):
            return CheckResult("data_dir", WARN, f"{data} does not exist yet (made at first run)",
                               "start the kiosk once, or `mkdir -m 700 -p DIR`")
        return CheckResult("data_dir", FAIL, f"{data} does not exist and cannot be made",
                           f"as root: `install -d -m 700 -o kiosk {data}`")
    if not data.is_dir():
        return CheckResult("data_dir", FAIL, f"{data} is not a folder", "set store.data_dir")
    try:
        with tempfile.NamedTemporaryFile(dir=data, prefix=".doctor-") as f:
            f.write(b"x")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        return CheckResult("data_dir", FAIL, f"{data} is not writable ({exc.strerror})",
                           f"`chown -R kiosk: {data}` (the user that runs the kiosk)")
    mode = stat.S_IMODE(data.stat().st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        return CheckResult("data_dir", FAIL, f"{data} is writable by other users (mode {mode:o})",
                           f"`chmod 700 {data}`")
    if mode & stat.S_IRWXO:
        return CheckResult("data_dir", WARN, f"{data} is open to other users (mode {mode:o})",
                           f"`chmod 700 {data}`")
    return CheckResult("data_dir", PASS, f"{data} exists, writable, mode {mode:o}")


def _private(path: Path) -> str | None:
    """Why the file is not private to this user, or None."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        return f"{path.name} is not a regular file"
    if stat.S_IMODE(st.st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        return f"{path.name} has mode {stat.S_IMODE(st.st_mode):o} (must be 600)"
    if st.st_uid != os.geteuid():
        return f"{path.name} belongs to another user (uid {st.st_uid})"
    return None


def check_key_files(ctx: DoctorContext) -> CheckResult:
    paths = ctx.paths
    files = [paths.outbox_key, paths.audit_key, paths.staff_db]
    present = [p for p in files if p.exists()]
    problems = [why for p in present if (why := _private(p))]
    if problems:
        return CheckResult("key_files", FAIL, "; ".join(problems),
                           "`chmod 600 FILE; chown kiosk: FILE`; if others could read a key, "
                           "treat it as leaked")
    if paths.outbox.exists() and not paths.outbox_key.exists():
        return CheckResult("key_files", FAIL, f"the outbox exists but {paths.outbox_key.name} is "
                           "missing: queued submissions cannot be read",
                           "restore outbox.key from backup")
    if not paths.audit_key.exists() and getattr(ctx.config.kiosk, "mode", "demo") == "production":
        return CheckResult("key_files", FAIL, f"no audit key ({paths.audit_key.name}): in "
                           "production the audit chain must be keyed, or anyone who can write "
                           "the log can rewrite it; the kiosk refuses to start",
                           "`kiosk audit keygen`, and back the key up off the kiosk")
    notes = [] if paths.audit_key.exists() else ["no audit key: the chain is plain SHA-256"]
    names = ", ".join(p.name for p in present) or "none yet"
    if notes:
        return CheckResult("key_files", WARN, f"private: {names}; " + "; ".join(notes),
                           "`kiosk audit keygen` before the first audited action, and back it up")
    return CheckResult("key_files", PASS, f"private (0600, this user): {names}")


def check_outbox(ctx: DoctorContext) -> CheckResult:
    """The outbox opens with its own key; nothing lost, set aside unrecovered, stuck, or held
    back by a wrong path to the portal."""
    from offline_store.errors import OutboxError
    from offline_store.outbox import Outbox
    from offline_store.recovery import pending, set_aside_files

    paths = ctx.paths
    if not paths.outbox.exists():
        if set_aside_files(paths.outbox):
            names = ", ".join(p.name for p in set_aside_files(paths.outbox))
            return CheckResult("outbox", FAIL, f"no outbox, but damaged copies wait to be "
                               f"recovered: {names}", "start the kiosk (it recovers them) or run "
                               "`kiosk outbox recover`; never delete them")
        return CheckResult("outbox", PASS, "no outbox yet (made at first run)")
    try:
        with Outbox.open(paths.outbox, paths.outbox_key, create=False, move_corrupt_aside=False,
                         busy_timeout_s=ctx.config.store.busy_timeout_s) as outbox:
            stats = outbox.stats(stuck_after_s=ctx.config.sync.stuck_after_s)
            waiting = [p.name for p in pending(outbox._conn, paths.outbox)]
    except OutboxError as exc:
        return CheckResult("outbox", FAIL, f"{type(exc).__name__}: {exc}",
                           "see docs/outbox.md (recovery); `kiosk outbox status` for details")
    counts = {k: v for k, v in stats.counts.items() if v}
    text = f"integrity ok; {counts or 'empty'}; breaker {stats.breaker}"
    details = {"counts": stats.counts, "oldest_queued_age_s": stats.oldest_queued_age_s,
               "stuck": stats.stuck, "lost": stats.lost, "alarm": stats.alarm,
               "set_aside_unrecovered": waiting}
    return _outbox_verdict(stats, waiting, text, details)


def _outbox_verdict(stats: Any, waiting: list[str], text: str, details: dict[str, Any]) -> CheckResult:
    from kiosk.app.cli.outbox import ALARM_TEXT

    if waiting:
        return CheckResult("outbox", FAIL, text + f"; damaged copies not recovered yet: "
                           f"{', '.join(waiting)}", "start the kiosk (it recovers them) or run "
                           "`kiosk outbox recover`; never delete them", details)
    if stats.lost:
        return CheckResult("outbox", FAIL, text + f"; {stats.lost} applications lost with a "
                           f"damaged outbox: {', '.join(stats.lost_refs)}",
                           "`kiosk outbox lost --check-portal`, then staff contact the citizens "
                           "(the references are on their receipts) and `--resolve` each", details)
    if stats.alarm:
        return CheckResult("outbox", FAIL, text + f"; {ALARM_TEXT.get(stats.alarm, stats.alarm)}",
                           "fix portal.url / the proxy / the credential; `kiosk doctor` again",
                           details)
    if stats.stuck:
        return CheckResult("outbox", WARN, text + f"; {stats.stuck} not moving: "
                           f"{', '.join(stats.stuck_refs)}", "check the portal, the network and "
                           "the clock (`timedatectl`); `kiosk outbox status`", details)
    if stats.counts.get("needs_attention"):
        return CheckResult("outbox", WARN, text, "staff: resolve them (`kiosk outbox list --state "
                           "needs_attention`, then retry or export)", details)
    if (stats.oldest_queued_age_s or 0) > 3600:
        return CheckResult("outbox", WARN, text + f"; oldest waiting "
                           f"{stats.oldest_queued_age_s / 3600:.1f} h",
                           "check the portal and the network (see the portal check)", details)
    return CheckResult("outbox", PASS, text, details=details)


def check_audit(ctx: DoctorContext) -> CheckResult:
    from kiosk.services.ops.audit import AuditError, load_key_file, verify

    paths = ctx.paths
    if not paths.audit_log.exists():
        return CheckResult("audit", PASS, "no audit log yet")
    try:
        key = load_key_file(paths.audit_key) if paths.audit_key.exists() else None
        result = verify(paths.audit_log, key=key)
    except (AuditError, OSError) as exc:
        return CheckResult("audit", FAIL, f"cannot verify: {exc}", "`kiosk audit verify`")
    if not result.ok:
        return CheckResult("audit", FAIL, result.describe(),
                           "keep the file as evidence, tell the security officer; a new log "
                           "starts when it is moved aside")
    return CheckResult("audit", PASS, result.describe())


def check_disk(ctx: DoctorContext) -> CheckResult:
    where = next((p for p in (ctx.paths.data, *ctx.paths.data.parents) if p.exists()), Path("/"))
    usage = shutil.disk_usage(where)
    free_mb = usage.free / 1e6
    text = f"{free_mb:,.0f} MB free of {usage.total / 1e6:,.0f} MB on {where}"
    fix = "free space: old logs (`logs/`), `journalctl --vacuum-size=100M`, apt caches"
    if free_mb < 50:
        return CheckResult("disk", FAIL, text + " (submissions may not be saved)", fix)
    if free_mb < ctx.ops.min_free_mb:
        return CheckResult("disk", WARN, text, fix)
    return CheckResult("disk", PASS, text)
