"""After the event: attendance CSV and attendance sheets per session (feuilles d'émargement, PDF).

Workshops count as professional training: their sheet lists every expected attendee with the
arrival time recorded at the door and a signature box.
"""

from __future__ import annotations

from typing import Any

from checkin.services import ADMISSIBLE_ORDER_STATUSES, raw, type_name
from events.tables import Event, Session
from lib import csv_export
from lib.clock import aware
from lib.errors import NotFound
from lib.i18n import _, localized
from lib.pdf import new_pdf
from lib.settings import get_settings
from lib.templating import fmt_date, fmt_time


async def attendance_rows(event_id: int, session_key: int = 0) -> list[dict[str, Any]]:
    """Every ticket holder expected at the event (valid, paid or confirmed) with their check-in."""
    statuses = ", ".join(f"'{s}'" for s in ADMISSIBLE_ORDER_STATUSES)
    return await raw(
        "SELECT t.public_id, t.attendee_name, t.attendee_email, t.attendee_organisation, "
        "tt.name AS type_name, tt.name_en AS type_name_en, c.scanned_at, c.door, c.offline, "
        "d.name AS device_name, s.name AS staff_name "
        'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        "JOIN ticket_type tt ON tt.id = t.ticket_type "
        "LEFT JOIN checkin c ON c.ticket = t.id AND c.status = 'ok' AND c.session_key = {} "
        "LEFT JOIN checkin_device d ON d.id = c.device LEFT JOIN staff_user s ON s.id = c.staff "
        f"WHERE t.event = {{}} AND t.status = 'valid' AND o.status IN ({statuses}) "
        "ORDER BY LOWER(t.attendee_name), t.id",
        session_key,
        event_id,
    )


def attendance_csv_columns() -> list[csv_export.Column]:
    Column = csv_export.Column
    return [
        Column("ticket", _("Ticket")),
        Column("name", _("Name")),
        Column("email", _("Email")),
        Column("organisation", _("Organisation")),
        Column("ticket_type", _("Ticket type")),
        Column("checked_in", _("Checked in"), "bool"),
        Column("arrival", _("Arrival"), "datetime"),
        Column("door", _("Door")),
        Column("device", _("Device")),
        Column("staff", _("Staff")),
        Column("offline", _("Offline"), "bool"),
    ]


async def attendance_csv(
    event_id: int, session_key: int = 0, dialect: csv_export.Dialect = csv_export.Dialect.EXCEL
) -> bytes:
    if not await Event.exists().where(Event.id == event_id):
        raise NotFound(_("This event does not exist."))
    rows = []
    for r in await attendance_rows(event_id, session_key):
        arrived = aware(r["scanned_at"])
        rows.append(
            {
                "ticket": r["public_id"],
                "name": r["attendee_name"],
                "email": r["attendee_email"],
                "organisation": r["attendee_organisation"],
                "ticket_type": type_name(r),
                "checked_in": arrived is not None,
                "arrival": arrived,
                "door": r["door"] or "",
                "device": r["device_name"] or "",
                "staff": r["staff_name"] or "",
                "offline": bool(r["offline"]) if arrived else None,
            }
        )
    return csv_export.write(attendance_csv_columns(), rows, dialect)


async def attendance_sheet_pdf(event_id: int, session_id: int) -> bytes:
    """The attendance sheet of one session: expected attendees, arrival time, signature box."""
    event = await Event.objects().where(Event.id == event_id).first()
    session = await Session.objects().where((Session.id == session_id) & (Session.event == event_id)).first()
    if event is None or session is None:
        raise NotFound(_("This session does not exist."))
    # A session with its own door devices has its own check-ins; otherwise the event entrance counts.
    has_own = await raw(
        "SELECT 1 AS one FROM checkin WHERE event = {} AND session_key = {} LIMIT 1", event_id, session_id
    )
    rows = await attendance_rows(event_id, session_id if has_own else 0)
    starts, ends = aware(session.starts_at), aware(session.ends_at)

    pdf = new_pdf()
    pdf.set_title(_("Attendance sheet"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 9, _("Attendance sheet"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"{get_settings().org_name} — {get_settings().org_address}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, localized(event, "title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, localized(session, "title"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        6,
        _(
            "Date: %(day)s, %(start)s–%(end)s",
            day=fmt_date(starts, "short"),
            start=fmt_time(starts),
            end=fmt_time(ends),
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    present = sum(1 for r in rows if r["scanned_at"])
    pdf.cell(
        0,
        6,
        _("Present: %(present)s of %(expected)s", present=present, expected=len(rows)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    widths = (52, 50, 30, 18, 40)
    heads = (_("Name"), _("Organisation"), _("Ticket type"), _("Arrival"), _("Signature"))
    pdf.set_font("DejaVu", "B", 9)
    for w, h in zip(widths, heads, strict=True):
        pdf.cell(w, 8, h, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    for r in rows:
        arrived = aware(r["scanned_at"])
        cells = (
            r["attendee_name"],
            r["attendee_organisation"] or "",
            type_name(r),
            fmt_time(arrived),
            "",
        )
        for w, text in zip(widths, cells, strict=True):
            while text and pdf.get_string_width(text) > w - 2:
                text = text[:-1]
            pdf.cell(w, 11, text, border=1)
        pdf.ln()
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        0,
        5,
        _("Arrival times come from the door check-in. Each attendee signs in person."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
