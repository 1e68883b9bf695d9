"""Door check-in rules, one file per capability (the names callers use are re-exported here):

- answers    what a door is told: statuses, the answer body, refusal reasons and their sentences;
- codes      from a QR code, a typed short code or an id to the ticket's row;
- redeem     check a person in (one conditional insert decides), undo a mistaken check-in;
- reconcile  scans recorded offline and uploaded later, the conflicts staff review;
- devices    door devices, their tokens, pairing a phone by a one-time code;
- lookup     search, counters, the offline ticket list.

The hot path (one statement on PostgreSQL, answered below the framework) is checkin.hotpath.
"""

from checkin.services.answers import (
    ADMISSIBLE_ORDER_STATUSES,
    ALREADY,
    CANCELLED,
    INVALID,
    OK,
    REFUNDED,
    SCAN_ID_RE,
    UNPAID,
    UNPAID_ORDER_STATUSES,
    WRONG_EVENT,
    Scan,
    check_scan_id,
    classify,
    explain,
    new_scan_id,
    parse_time,
    refusal_reason,
    ticket_event,
    type_name,
)
from checkin.services.codes import decode, raw, ticket_row
from checkin.services.devices import (
    PAIRING_HOURS,
    Pairing,
    authorise_device,
    device_for_pairing,
    device_for_token,
    issue_pairing,
    list_devices,
    redeem_pairing,
    revoke_device,
    touch_device,
)
from checkin.services.lookup import LIST_FIELDS, counters, initials, search, staff_name, ticket_list
from checkin.services.reconcile import conflicts, flag_label, mark_reviewed, reconcile
from checkin.services.redeem import redeem, undo

__all__ = [
    "ADMISSIBLE_ORDER_STATUSES",
    "ALREADY",
    "CANCELLED",
    "INVALID",
    "LIST_FIELDS",
    "OK",
    "PAIRING_HOURS",
    "REFUNDED",
    "SCAN_ID_RE",
    "UNPAID",
    "UNPAID_ORDER_STATUSES",
    "WRONG_EVENT",
    "Pairing",
    "Scan",
    "authorise_device",
    "check_scan_id",
    "classify",
    "conflicts",
    "counters",
    "decode",
    "device_for_pairing",
    "device_for_token",
    "explain",
    "flag_label",
    "initials",
    "issue_pairing",
    "list_devices",
    "mark_reviewed",
    "new_scan_id",
    "parse_time",
    "raw",
    "reconcile",
    "redeem",
    "redeem_pairing",
    "refusal_reason",
    "revoke_device",
    "search",
    "staff_name",
    "ticket_event",
    "ticket_list",
    "ticket_row",
    "touch_device",
    "type_name",
    "undo",
]
