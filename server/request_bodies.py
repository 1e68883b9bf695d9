"""The fields of the JSON bodies that handlers take as a free-form object (`data: dict[str, Any]`), for the
API document: a client (and schemathesis) then knows what to send, and what the server refuses.

Keyed by operation id; server.openapi puts each one in its operation's request body. Types are what the
handler and its service accept: where they also read a string of digits as a number, or any value as a
yes/no, the schema says so rather than promise a refusal that does not happen. tests/api/test_docs.py checks
that every free-form body of the API is described here.
"""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {"type": "string"}
NAME: dict[str, Any] = {"type": "string", "maxLength": 200}
EMAIL: dict[str, Any] = {"type": "string", "format": "email", "maxLength": 254}
WHOLE: dict[str, Any] = {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}]}
WHEN: dict[str, Any] = {"type": "string", "format": "date-time", "description": "ISO 8601 date and time"}
ANY_FLAG: dict[str, Any] = {"description": "true/false (a non-empty value counts as true)"}
LOCALE: dict[str, Any] = {"description": '"fr" or "en"; anything else: the language of the request'}


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


PERSON = obj({"name": NAME, "email": EMAIL, "organisation": NAME})
ORDER = obj(
    {
        "buyer": obj({"name": NAME, "email": EMAIL, "organisation": NAME}, ("name", "email")),
        "items": {
            "type": "array",
            "minItems": 1,
            "items": obj({"ticket_type": WHOLE, "quantity": WHOLE}, ("ticket_type", "quantity")),
        },
        "attendees": {
            "type": "array",
            "items": PERSON,
            "description": "One per ticket, in the order of items",
        },
        "locale": LOCALE,
    },
    ("buyer", "items"),
)
# Profile texts are read with str(): any value is taken, only their length is checked.
PROFILE: dict[str, Any] = {
    "organisation_name": {"maxLength": 200},
    "role": {"maxLength": 150},
    "offer": {"maxLength": 2000},
    "looking_for": {"maxLength": 2000},
    "territory": {"maxLength": 150},
    "genres": {"description": "Comma-separated text or a list of texts"},
    "formats": {"description": "Comma-separated text or a list of texts"},
    "audiences": {"description": "Comma-separated text or a list of texts"},
    "needs_accessible": ANY_FLAG,
}
PROGRAMME: dict[str, Any] = {
    "meeting_minutes": WHOLE,
    "max_meetings": WHOLE,
    "wish_limit": WHOLE,
    "tables": WHOLE,
    "reserved_tables": WHOLE,
    "commission_rate_bp": WHOLE,
    "fairness_budget_bp": {"description": "Basis points of the best total (100 = 1 %), or empty"},
    "accessible_tables": {"description": "Table numbers: comma-separated text or a list"},
    "wishes_open_at": WHEN,
    "wishes_close_at": WHEN,
    "publish_at": WHEN,
    "status": {"type": "string", "enum": ["draft", "wishes_open", "scheduled", "published"]},
}
SCAN = obj(
    {
        "scan_id": {"type": "string", "pattern": "^[A-Za-z0-9-]{8,64}$"},
        "code": {"description": "The QR code's text (anything else is an invalid ticket)"},
        # the door answers 200 {"status": "invalid", "reason": ...} for a ticket it cannot read
        "ticket_id": {"description": "A ticket id typed at the door, instead of code"},
        "scanned_at": {"description": "ISO 8601 date and time of the scan; empty or absent: now"},
        "door": {"description": "Which door (text, cut to 100 characters); the device's own door by default"},
    },
    ("scan_id",),
)

# ---- juries (juries.calls, submissions, jurors, rounds, results, screening) ----
JURY_CALL = obj(
    {
        "title": NAME,
        "title_en": NAME,
        "edition_year": WHOLE,
        "event_id": WHOLE,
        "opens_at": WHEN,
        "deadline": WHEN,
        "eligibility": {"type": "string", "enum": ["members", "anyone"]},
        "max_entries_per_organisation": WHOLE,
        "max_runtime_seconds": WHOLE,
        "min_year": WHOLE,
        "hidden_fields": {
            "type": "array",
            "items": {
                "type": "string",
                "enum": ["directors", "producer", "coproducers", "original_title", "year", "language"],
            },
        },
        "jurors_per_entry": WHOLE,
    },
    ("title", "edition_year", "opens_at", "deadline"),
)
JURY_ENTRY: dict[str, Any] = {
    "title": NAME,
    "original_title": NAME,
    "directors": {"type": "string", "maxLength": 300},
    "organisation_id": WHOLE,
    "coproducers": {
        "description": "Names (comma-separated text or a list), or {name, organisation_id} objects"
    },
    "genre": {
        "type": "string",
        "enum": ["documentary", "animation", "music_video", "video_art", "fiction", "other"],
    },
    "runtime": {"description": 'minutes:seconds ("12:30") or a whole number of seconds'},
    "year": WHOLE,
    "language": {"type": "string", "maxLength": 60},
    "subtitles": {"type": "string", "maxLength": 60},
    "synopsis_fr": {"type": "string", "maxLength": 3000},
    "synopsis_en": {"type": "string", "maxLength": 3000},
    "screener_url": {"type": "string", "maxLength": 500},
    "screener_password": {"type": "string", "maxLength": 100},
    "rights_cleared": {"description": "true/false"},
}
SCREENING_RULES: dict[str, Any] = {
    "window_min_minutes": WHOLE,
    "window_max_minutes": WHOLE,
    "target_minutes": WHOLE,
    "gap_seconds": WHOLE,
    "introduction_seconds": WHOLE,
    "max_per_organisation": WHOLE,
    "genre_min": {"type": "object", "description": "genre -> films"},
    "genre_max": {"type": "object", "description": "genre -> films"},
    "opener": WHOLE,
    "closer": WHOLE,
    "pinned": {"type": "array", "items": {"type": "integer"}},
}
JURY_BODIES: dict[str, dict[str, Any]] = {
    "createJuryCall": JURY_CALL,
    "submitJuryEntry": obj(JURY_ENTRY, ("title", "directors", "genre", "runtime", "year", "synopsis_fr")),
    "updateMyJuryEntry": obj(JURY_ENTRY),
    "inviteJuror": obj({"email": EMAIL, "name": NAME, "locale": LOCALE}, ("email",)),
    "createJuryRound": obj(
        {
            "kind": {"type": "string", "enum": ["yes_no", "rubric", "ranking"]},
            "quorum": WHOLE,
            "rubric": {
                "type": "array",
                "items": obj({"name": TEXT, "weight": {"type": "number"}}, ("name",)),
            },
        }
    ),
    "setRoundQuorum": obj({"quorum": WHOLE}, ("quorum",)),
    "decideRound": obj(
        {
            "outcome": {"type": "string", "enum": ["next_round", "selected"]},
            "top": WHOLE,
            "threshold": {"type": "number"},
            "entry_ids": {"type": "array", "items": {"type": "integer"}},
        }
    ),
    "putJuryScore": obj(
        {
            "verdict": {"type": "string", "enum": ["yes", "maybe", "no"]},
            "marks": {"type": "object", "description": "criterion -> mark on 1-10"},
            "rank": WHOLE,
            "comment": {"type": "string", "maxLength": 3000},
        }
    ),
    "declareRecusal": obj({"reason": {"type": "string", "maxLength": 300}}, ("reason",)),
    "saveScreening": obj(
        {"order": {"type": "array", "items": {"type": "integer"}}, "starts_at": WHEN, **SCREENING_RULES},
        ("order",),
    ),
    "setJuryResultTemplates": obj(
        {
            outcome: obj(
                {
                    locale: obj(
                        {"subject": {"type": "string", "maxLength": 200}, "body": TEXT}, ("subject", "body")
                    )
                    for locale in ("fr", "en")
                }
            )
            for outcome in ("selected", "not_selected")
        },
        description="{title} and {call} are replaced by the film's title and the call's",
    ),
    "updateScreeningCopy": obj(
        {
            "copy_format": {"type": "string", "maxLength": 60},
            "copy_received": ANY_FLAG,
            "copy_checked": ANY_FLAG,
        }
    ),
}

REQUEST_BODIES: dict[str, dict[str, Any]] = {
    **JURY_BODIES,
    "placeOrder": ORDER
    | {"properties": {**ORDER["properties"], "request_approval": ANY_FLAG, "waiting_token": TEXT}},
    "staffIssueTickets": ORDER,
    "staffSetWaitingRoom": obj(
        {
            "enabled": ANY_FLAG,
            "opens_at": WHEN
            | {"description": "when the sale opens (ISO 8601; without an offset: Paris time)"},
            "admit_per_second": WHOLE | {"description": "buyers let in per second (1-1000, default 20)"},
            "window_minutes": WHOLE
            | {"description": "how long after the opening buyers go through the room (default 60)"},
            "pass_minutes": WHOLE | {"description": "how long an admitted buyer has to order (default 15)"},
        },
        ("opens_at",),
    ),
    "joinWaitingList": obj(
        {"name": NAME, "email": EMAIL, "ticket_type": WHOLE, "quantity": WHOLE},
        ("name", "email", "ticket_type"),
    ),
    "changeAttendee": PERSON | {"required": ["name"]},
    "addMeetingParticipant": obj(
        {
            "email": EMAIL,
            "side": {"type": "string", "enum": ["producer", "buyer"]},
            "first_name": NAME,
            "last_name": NAME,
            **PROFILE,
            "max_meetings": WHOLE,
        },
        ("email", "side"),
    ),
    "registerForMeetings": obj(
        {
            "side": {"type": "string", "enum": ["producer", "buyer"]},
            "first_name": NAME,
            "last_name": NAME,
            **PROFILE,
        },
        ("side", "organisation_name", "genres", "territory"),
    ),
    "createMeetingProgramme": obj({"event_id": WHOLE, **PROGRAMME}, ("event_id",)),
    "updateMeetingProgramme": obj(PROGRAMME),
    "addMeetingDay": obj(
        {
            "starts_at": WHEN,
            "ends_at": WHEN,
            "breaks": {
                "type": "array",
                "items": {"type": "array", "items": WHEN, "minItems": 2, "maxItems": 2},
            },
        },
        ("starts_at", "ends_at"),
    ),
    "placeMeeting": obj(
        {"producer_id": WHOLE, "buyer_id": WHOLE, "starts_at": WHEN, "table_number": WHOLE},
        ("producer_id", "buyer_id", "starts_at"),
    ),
    "moveMeeting": obj({"starts_at": WHEN, "table_number": WHOLE}, ("starts_at", "table_number")),
    "pinMeeting": obj({"pinned": ANY_FLAG}),
    "confirmCommission": obj(
        {
            "rate_bp": WHOLE,
            "amount": {"description": "Amount won, in euros"},
            "rate_reason": {
                "type": "string",
                "maxLength": 300,
                "description": "Required when the rate differs",
            },
        }
    ),
    "updateMyProfile": obj({k: v for k, v in PROFILE.items() if k != "needs_accessible"}),
    "setWish": obj({"priority": WHOLE}),
    "reportMeeting": obj(
        {
            "took_place": ANY_FLAG,
            "deal": ANY_FLAG,
            "deal_nature": {"maxLength": 300},
            "amount_cents": WHOLE,
            "amount": {"description": "Amount of the deal in euros (when amount_cents is not given)"},
        }
    ),
    "addUnavailability": obj({"starts_at": WHEN, "ends_at": WHEN, "note": TEXT}, ("starts_at", "ends_at")),
    "checkinAuthoriseDevice": obj(
        {
            "name": {"type": "string", "maxLength": 100},
            "door": {"type": "string", "maxLength": 100},
            "session": WHOLE,
        },
        ("name",),
    ),
    "checkinRedeem": SCAN,
    "checkinUndo": obj({"checkin_id": WHOLE, "scan_id": TEXT}),
    "checkinUploadScans": obj(
        {
            "scans": {
                "type": "array",
                "maxItems": 5000,
                "items": SCAN | {"properties": {**SCAN["properties"], "accepted": ANY_FLAG}},
            }
        },
        ("scans",),
    ),
}

# The stands domain describes its own bodies (stands.bodies).
from stands.bodies import STAND_BODIES  # noqa: E402

REQUEST_BODIES.update(STAND_BODIES)

# The hackathon domain describes its own bodies (hackathon.bodies).
from hackathon.bodies import HACKATHON_BODIES  # noqa: E402

REQUEST_BODIES.update(HACKATHON_BODIES)

# The projects domain describes its own bodies (projects.bodies).
from projects.bodies import PROJECT_BODIES  # noqa: E402

REQUEST_BODIES.update(PROJECT_BODIES)

# The dues domain describes its own bodies (dues.bodies).
from dues.bodies import DUES_BODIES  # noqa: E402

REQUEST_BODIES.update(DUES_BODIES)

# The commissions domain describes its own bodies (commissions.bodies).
from commissions.bodies import COMMISSION_BODIES  # noqa: E402

REQUEST_BODIES.update(COMMISSION_BODIES)
