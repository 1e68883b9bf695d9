"""Scans recorded offline by a phone, uploaded later; the conflicts staff review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checkin.services.answers import (
    ALREADY,
    CANCELLED,
    INVALID,
    OK,
    REFUNDED,
    UNPAID,
    WRONG_EVENT,
    Scan,
    check_scan_id,
    classify,
    message,
    parse_time,
    result,
)
from checkin.services.codes import decode, raw, ticket_row
from checkin.services.redeem import already_answer, record_scan, replayed_answer, winner_of, wrong_event_extra
from checkin.tables import CheckIn, Device
from lib.clock import aware, now_utc
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _


async def reconcile(device: Device, scans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scans recorded offline by a device, uploaded later.

    Each scan: scan_id, code (or ticket_id), scanned_at (device clock), optional door and accepted
    (the device's own verdict, default true). The earliest scan of a ticket wins; the others are kept
    as duplicates flagged for staff. A ticket admitted offline but cancelled after the device's last
    list download is flagged 'cancelled_after_sync'.
    """
    if not isinstance(scans, list) or len(scans) > 5000:
        raise ValidationFailed({"scans": _("Send a list of at most 5000 scans.")})
    parsed = []
    for i, item in enumerate(scans):
        if not isinstance(item, dict):
            raise ValidationFailed({f"scans[{i}]": _("Not a scan.")})
        parsed.append(
            (
                parse_time(item.get("scanned_at"), f"scans[{i}].scanned_at") or now_utc(),
                check_scan_id(item.get("scan_id")),
                item,
            )
        )
    parsed.sort(key=lambda p: p[0])
    synced_at = aware(device.list_synced_at)
    results = []
    for scanned_at, scan_id, item in parsed:
        scan = Scan(
            event_id=device.event,
            session_key=device.session or 0,
            device_id=device.id,
            door=str(item.get("door") or device.door)[:100],
        )
        accepted = item.get("accepted", True) is not False
        results.append(await _reconcile_one(scan, scan_id, scanned_at, item, accepted, synced_at))
    await Device.update({Device.last_sync_at: now_utc()}).where(Device.id == device.id)
    return results


async def _reconcile_one(
    scan: Scan,
    scan_id: str,
    scanned_at: datetime,
    item: dict[str, Any],
    accepted: bool,
    synced_at: datetime | None,
) -> dict[str, Any]:
    tid, reason = decode(item.get("code"), item.get("ticket_id"))
    ticket = await ticket_row(tid) if tid is not None else None
    if ticket is None:
        return result(INVALID, scan_id, reason=reason or "unknown_ticket")
    refusal = classify(ticket, scan.event_id)
    async with write_transaction():
        if refusal:
            flag = ""
            if accepted:
                flag = refusal
                changed = max(
                    (t for t in (aware(ticket["updated_at"]), aware(ticket["order_cancelled_at"])) if t),
                    default=None,
                )
                if refusal in (CANCELLED, REFUNDED) and synced_at and changed and changed > synced_at:
                    flag = "cancelled_after_sync"
            if refusal == WRONG_EVENT:
                extra = await wrong_event_extra(refusal, ticket, bool(item.get("code")))
                return result(refusal, scan_id, ticket, flag=flag, **extra)
            await record_scan(ticket, scan, scan_id, scanned_at, "rejected", offline=True, flag=flag)
            return result(refusal, scan_id, ticket, flag=flag)
        checkin_id = await record_scan(ticket, scan, scan_id, scanned_at, "ok", offline=True)
        if checkin_id is not None:
            return result(OK, scan_id, ticket, checkin_id=checkin_id)
        replay = await replayed_answer(scan_id, ticket)
        if replay is not None:
            return replay
        winner = await winner_of(ticket["id"], scan.session_key)
        if winner and aware(winner["scanned_at"]) > scanned_at:
            # This offline scan happened first: it wins, the later one is reported.
            await CheckIn.update({CheckIn.status: "duplicate", CheckIn.flag: "superseded"}).where(
                (CheckIn.id == winner["id"]) & (CheckIn.status == "ok")
            )
            checkin_id = await record_scan(ticket, scan, scan_id, scanned_at, "ok", offline=True)
            return result(OK, scan_id, ticket, checkin_id=checkin_id, superseded=winner["id"])
        await record_scan(ticket, scan, scan_id, scanned_at, "duplicate", offline=True, flag="duplicate")
        return result(
            ALREADY, scan_id, ticket, flag="duplicate", **(already_answer(winner) if winner else {})
        )


def flag_label(flag: str) -> str:
    labels = {
        "duplicate": _("Duplicate (already admitted)"),
        "superseded": _("Superseded by an earlier scan"),
        "cancelled_after_sync": _("Cancelled after the device's last sync"),
    }
    return labels.get(flag) or (message(flag) if flag in (CANCELLED, REFUNDED, UNPAID, WRONG_EVENT) else flag)


async def conflicts(event_id: int, include_reviewed: bool = False) -> list[dict[str, Any]]:
    """Flagged scans for staff: offline duplicates, superseded check-ins, tickets cancelled after sync."""
    reviewed = "" if include_reviewed else "AND c.reviewed_at IS NULL "
    rows = await raw(
        "SELECT c.id, c.ticket, c.scan_id, c.flag, c.status, c.door, c.scanned_at, c.received_at, "
        "c.reviewed_at, d.name AS device_name, t.public_id, t.attendee_name, t.attendee_organisation "
        "FROM checkin c JOIN ticket t ON t.id = c.ticket LEFT JOIN checkin_device d ON d.id = c.device "
        f"WHERE c.event = {{}} AND c.flag != '' {reviewed}ORDER BY c.scanned_at",
        event_id,
    )
    out = []
    for r in rows:
        winner = await winner_of(r["ticket"], 0) if r["flag"] in ("duplicate", "superseded") else None
        out.append(
            {
                "id": r["id"],
                "flag": r["flag"],
                "reason": flag_label(r["flag"]),
                "status": r["status"],
                "ticket": r["public_id"],
                "name": r["attendee_name"],
                "organisation": r["attendee_organisation"],
                "door": r["door"],
                "device": r["device_name"] or "",
                "scanned_at": aware(r["scanned_at"]).isoformat(),
                "winner": already_answer(winner) if winner else None,
                "reviewed": r["reviewed_at"] is not None,
            }
        )
    return out


async def mark_reviewed(event_id: int, checkin_id: int, staff_id: int | None) -> None:
    done = (
        await CheckIn.update({CheckIn.reviewed_at: now_utc(), CheckIn.reviewed_by: staff_id})
        .where((CheckIn.id == checkin_id) & (CheckIn.event == event_id) & (CheckIn.flag != ""))
        .returning(CheckIn.id)
    )
    if not done:
        raise NotFound(_("Unknown check-in."))


# ---- devices -----------------------------------------------------------------------------------
