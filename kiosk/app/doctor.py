"""`kiosk doctor`: check each dependency of the kiosk and say how to fix what is broken.

Each check is a small function ``check(ctx) -> CheckResult`` (status PASS/WARN/FAIL, a message,
a fix). Anything that might block (Qt, the printer system, pcscd, a camera) runs in a child process
with a timeout, so doctor never hangs and never loads Qt itself (``kiosk`` stays Qt-free). A check
that raises is reported as FAIL with the exception's type, never crashes the run.
The checks themselves live in ``kiosk.app.doctor_checks``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from kiosk.domain.ops_settings import OpsPaths, OpsSection, ops_paths, ops_settings

__all__ = ["CheckResult", "DoctorContext", "Status", "exit_status", "format_text", "probe",
           "run_checks", "to_json"]


class Status(enum.Enum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclasses.dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    message: str
    fix: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)


Runner = Callable[[Sequence[str], float, dict[str, str] | None], "subprocess.CompletedProcess[str]"]


def _run(argv: Sequence[str], timeout: float,
         env: dict[str, str] | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, env=env,
                          check=False)


@dataclasses.dataclass
class DoctorContext:
    config: Any
    clock: Callable[[], float] = time.time
    runner: Runner = _run
    subprocess_timeout_s: float = 30.0
    #: builds a portal client (url, token, connect_timeout, read_timeout, verify) -> client
    client_factory: Callable[..., Any] | None = None

    @property
    def paths(self) -> OpsPaths:
        return ops_paths(self.config)

    @property
    def ops(self) -> OpsSection:
        return ops_settings(self.config)


def probe(ctx: DoctorContext, code: str, *, env: dict[str, str] | None = None,
          timeout: float | None = None) -> tuple[dict[str, Any] | None, str]:
    """Run ``code`` in a fresh Python; it prints one JSON object last. (data, error text)."""
    import os

    full_env = {**os.environ, **(env or {})}
    try:
        done = ctx.runner([sys.executable, "-c", code], timeout or ctx.subprocess_timeout_s,
                          full_env)
    except subprocess.TimeoutExpired:
        return None, f"no answer within {timeout or ctx.subprocess_timeout_s:.0f} s"
    except OSError as exc:
        return None, f"could not start Python ({exc.strerror})"
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"exit status {done.returncode}: {tail[:300]}"
    try:
        return json.loads(lines[-1]), ""
    except ValueError:
        return None, "unreadable answer"


def run_checks(ctx: DoctorContext,
               checks: Sequence[Callable[[DoctorContext], CheckResult]] | None = None
               ) -> list[CheckResult]:
    if checks is None:
        from kiosk.app.doctor_checks import DEFAULT_CHECKS

        checks = DEFAULT_CHECKS
    results = []
    for check in checks:
        name = check.__name__.removeprefix("check_")
        try:
            results.append(check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            results.append(CheckResult(name, Status.FAIL,
                                       f"the check itself failed ({type(exc).__name__})",
                                       "report this to the kiosk developers with `kiosk doctor "
                                       "--json` output"))
    return results


def exit_status(results: Sequence[CheckResult]) -> int:
    """1 when anything FAILed (WARN alone still exits 0: the kiosk can run)."""
    return 1 if any(r.status is Status.FAIL for r in results) else 0


def format_text(results: Sequence[CheckResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"[{r.status.value}] {r.name:<14} {r.message}")
        if r.fix and r.status is not Status.PASS:
            lines.append(f"       {'':<14} fix: {r.fix}")
    counts = {s: sum(r.status is s for r in results) for s in Status}
    lines.append(f"{counts[Status.PASS]} passed, {counts[Status.WARN]} warnings, "
                 f"{counts[Status.FAIL]} failed")
    return "\n".join(lines)


def to_json(results: Sequence[CheckResult]) -> str:
    return json.dumps({"ok": exit_status(results) == 0,
                       "checks": [{**dataclasses.asdict(r), "status": r.status.value}
                                  for r in results]}, ensure_ascii=False, default=str)
