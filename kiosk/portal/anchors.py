"""Audit chain heads on the reference portal: `PUT` and `GET /api/v1/audit-head`.

Why the portal keeps them: a kiosk's audit log is hash-chained (and keyed), but whoever controls
the kiosk could cut its tail or rewrite it and re-sign every line after. Heads kept outside the
kiosk, as it syncs, make both visible: a head that goes back or changes a kept hash is refused
(`409 audit_regressed` / `audit_forked`) and recorded as an anomaly (`kiosk.portal.registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from kiosk.portal.registry import KioskRegistry
from kiosk.portal.replies import Reply, error
from kiosk.portal.strict import StrictJSONError, audit_head_invalid, strict_json

__all__ = ["get_heads", "put_head"]


def put_head(registry: KioskRegistry | None, body: bytes, acts_for: Callable[[str], bool],
             now: float) -> Reply:
    try:
        head = strict_json(body)
    except StrictJSONError as exc:
        return 400, error("invalid_json", f"The body is not strict UTF-8 JSON: {exc}."), {}
    invalid = audit_head_invalid(head)
    if invalid is not None:
        return invalid
    if not acts_for(head["kiosk_id"]):
        return 403, error("kiosk_mismatch", "The head's kiosk_id is not the kiosk this "
                          "credential belongs to.", "kiosk_id"), {}
    if registry is None:
        return 404, error("not_found", "This portal keeps no audit heads."), {}
    outcome = registry.anchor(head["kiosk_id"], head["seq"], head["hash"], now)
    if outcome in ("regressed", "forked"):
        what = ("is below a head already kept: the log was cut" if outcome == "regressed"
                else "changes a hash already kept: a line was rewritten")
        return 409, error(f"audit_{outcome}", f"This audit head {what}.", "seq"), {}
    return 200, {"kiosk_id": head["kiosk_id"], "anchored": head["seq"]}, {}


def get_heads(registry: KioskRegistry | None, query: str,
              acts_for: Callable[[str], bool]) -> Reply:
    kiosks = parse_qs(query).get("kiosk_id", [])
    if len(kiosks) != 1 or not acts_for(kiosks[0]):
        return 404, error("not_found", "No audit heads for that kiosk here."), {}
    heads = registry.anchors(kiosks[0]) if registry is not None else []
    return 200, {"kiosk_id": kiosks[0], "anchors": heads}, {}
