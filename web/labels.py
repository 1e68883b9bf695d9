"""Human labels of the event and session kinds, in the request's language (for templates)."""

from __future__ import annotations

from server.i18n import _


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
