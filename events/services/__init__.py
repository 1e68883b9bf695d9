"""Event catalogue and programme rules, one file per capability (the names callers use are re-exported
here, so `from events import services` and `services.create_event(...)` keep working):

- fields     Paris time, slugs, uids, the field checks and the venue's JSON shape every rule shares;
- venues     venues and their rooms;
- catalogue  events: create, update, status and publication, read one, list them, unique slugs;
- sessions   the programme: sessions in rooms, speakers/performers/moderators, people to choose from;
- editions   a new edition copied from a previous one (and, through lib.editions, each domain's part).

Every rule can be tested without HTTP. Every write runs in write_transaction() (BEGIN IMMEDIATE on
SQLite, so the checks and the write are serialised); bad input raises ValidationFailed({field:
translated message}) before anything is written.

Times: functions accept timezone-aware datetimes (naive ones mean Europe/Paris local time), store
UTC, and return aware datetimes in Europe/Paris.
"""

from events.services.catalogue import (
    EVENT_FIELDS,
    SlugTaken,
    bump_event,
    cancel_event,
    create_event,
    event_row,
    get_event,
    list_events,
    publish_event,
    set_status,
    unique_slug,
    unpublish_event,
    update_event,
)
from events.services.editions import duplicate_event
from events.services.fields import (
    PARIS,
    SLUG_MAX,
    SLUG_RE,
    aware,
    new_uid,
    paris,
    slugify,
    venue_address,
)
from events.services.sessions import (
    SESSION_FIELDS,
    SPEAKER_ROLES,
    add_session,
    add_speaker,
    delete_session,
    event_with_programme,
    get_session,
    person_choices,
    programme,
    remove_speaker,
    update_session,
)
from events.services.venues import (
    create_room,
    create_venue,
    delete_room,
    delete_venue,
    get_room,
    get_venue,
    list_rooms,
    list_venues,
    update_room,
    update_venue,
)

# The errors these rules raise, for callers that catch them through this package (as they did before).
from lib.errors import NotFound, ValidationFailed

__all__ = [
    "EVENT_FIELDS",
    "PARIS",
    "SESSION_FIELDS",
    "SLUG_MAX",
    "SLUG_RE",
    "SPEAKER_ROLES",
    "NotFound",
    "SlugTaken",
    "ValidationFailed",
    "add_session",
    "add_speaker",
    "aware",
    "bump_event",
    "cancel_event",
    "create_event",
    "create_room",
    "create_venue",
    "delete_room",
    "delete_session",
    "delete_venue",
    "duplicate_event",
    "event_row",
    "event_with_programme",
    "get_event",
    "get_room",
    "get_session",
    "get_venue",
    "list_events",
    "list_rooms",
    "list_venues",
    "new_uid",
    "paris",
    "person_choices",
    "programme",
    "publish_event",
    "remove_speaker",
    "set_status",
    "slugify",
    "unique_slug",
    "unpublish_event",
    "update_event",
    "update_room",
    "update_session",
    "update_venue",
    "venue_address",
]
