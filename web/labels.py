"""Human labels of every code shown to people (kinds, statuses, colleges, bands), in the current
language: the one table used by the pages, the PDFs and emails, and the French Excel CSVs."""

from __future__ import annotations

from lib.i18n import _, pgettext


def event_kind_labels() -> dict[str, str]:
    """Kind code -> label, in the order the public filter shows them."""
    return {
        "mima": _("MIMA – Image and Music Market of Auvergne"),
        "court_dici": _("Le Court d'Ici – members' short films"),
        "cles": _("Les Clés pour réussir – workshops"),
        "ced": _("Culture Experience Days – hackathon"),
        "general_assembly": _("General Assembly"),
        "breakfast": _("Member breakfast"),
        "training": _("Professional training"),
        "thematic_meeting": _("Thematic professional meeting"),
        "apero_projet": _("Apéro-projet"),
        "networking": _("Networking"),
        "other": _("Other"),
    }


def event_kind_label(kind: str) -> str:
    return event_kind_labels().get(kind, kind)


def session_kind_labels() -> dict[str, str]:
    return {
        "showcase": _("Showcase"),
        "screening": _("Screening"),
        "round_table": _("Round table"),
        "workshop": _("Workshop"),
        "speed_meeting": _("Speed-meeting"),
        "networking": _("Networking"),
        "hackathon_phase": _("Hackathon phase"),
        "talk": _("Talk"),
        "other": _("Other"),
    }


def session_kind_label(kind: str) -> str:
    return session_kind_labels().get(kind, kind)


def status_label(status: str) -> str:
    return {
        "draft": _("Draft"),
        "published": _("Published"),
        "cancelled": _("Cancelled"),
    }.get(status, status)


def person_role_label(role: str) -> str:
    return {
        "speaker": _("Speaker"),
        "performer": _("Performer"),
        "moderator": _("Moderator"),
    }.get(role, role)


def college_label(college: int) -> str:
    return {
        1: _("College 1 – Music"),
        2: _("College 2 – Image"),
        3: _("College 3 – Service providers and support activities"),
        4: _("College 4 – Higher education and research"),
        5: _("College 5 – Local authorities and institutions"),
    }.get(college, str(college))


# ---- statuses and codes of ticketing, speed-meetings and the register: the one table ------------
# Staff pages, the attendee's pages, PDFs and the French Excel CSVs all read their words here.
def order_status_labels() -> dict[str, str]:
    return {
        "reserved": pgettext("order status", "Reserved (to be confirmed)"),
        "awaiting_member": pgettext("order status", "Awaiting the members' confirmation"),
        "pending_payment": pgettext("order status", "Awaiting payment"),
        "paid": pgettext("order status", "Paid"),
        "confirmed": pgettext("order status", "Confirmed"),
        "cancelled": pgettext("order status", "Cancelled"),
        "expired": pgettext("order status", "Expired"),
        "refunded": pgettext("order status", "Refunded"),
    }


def order_status_label(status: str) -> str:
    return order_status_labels().get(status, status)


def ticket_status_label(status: str) -> str:
    return {
        "valid": pgettext("ticket status", "Valid"),
        "cancelled": pgettext("ticket status", "Cancelled"),
    }.get(status, status)


def order_source_label(source: str) -> str:
    return {
        "public": _("Online"),
        "staff": _("Issued by the team"),
    }.get(source, source)


def programme_status_label(status: str) -> str:
    """The phase of a speed-meeting programme."""
    return {
        "draft": _("Draft"),
        "wishes_open": _("Wishes open"),
        "scheduled": _("Scheduled"),
        "published": _("Published"),
    }.get(status, status)


def run_status_label(status: str) -> str:
    """The scheduler's verdict on a run (HiGHS's status, possibly with a note)."""
    text = (status or "").strip().lower()
    if text.startswith("optimal"):
        return _("best schedule proven")
    if text.startswith("time limit"):
        return _("best schedule found in the time allowed")
    if text.startswith("heuristic"):
        return _("quick schedule (heuristic)")
    return status


def commission_status_label(status: str) -> str:
    return {
        "proposed": pgettext("commission status", "Proposed"),
        "confirmed": pgettext("commission status", "Confirmed"),
    }.get(status, status)


def revenue_band_label(band: str) -> str:
    return {"lt20k": "< 20 k€", "20k-60k": "20-60 k€", "60k-250k": "60-250 k€", "gt250k": "> 250 k€"}.get(
        band, band
    )


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def all_labels() -> dict[str, object]:
    """The label helpers, for every template (see lib.templating.configure_environment)."""
    return {
        "kind_label": event_kind_label,
        "event_kind_label": event_kind_label,
        "session_kind_label": session_kind_label,
        "status_label": status_label,
        "role_label": person_role_label,
        "person_role_label": person_role_label,
        "college_label": college_label,
        "order_status_label": order_status_label,
        "ticket_status_label": ticket_status_label,
        "order_source_label": order_source_label,
        "programme_status_label": programme_status_label,
        "commission_status_label": commission_status_label,
        "run_status_label": run_status_label,
        "revenue_band_label": revenue_band_label,
    }
