"""Check-in HTTP: the device API (bearer token), the staff API, and the door and staff pages.

Device API (/api/devices, `Authorization: Bearer <device token>`; CSRF-exempt because no cookie
authenticates it): what the door page and third-party scanners use. A copied page URL carries no
token, so it cannot check anyone in.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED

from accounts.guards import current_staff, door_guard, staff_guard
from checkin import reports, services
from checkin.tables import Device
from events.tables import Event, Session
from lib import csv_export
from lib.clock import now_utc
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, localized
from lib.settings import ROOT, get_settings
from ticketing import signing


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException(_("A device token is required."))
    return token.strip()


async def device_of(request: Request) -> Device:
    device = await services.device_for_token(bearer(request))
    if device is None:
        raise NotAuthorizedException(_("Unknown or revoked device token."))
    return device


async def staff_id_of(request: Request) -> int | None:
    user = await current_staff(request)
    return user.id if user else None


def scan_of(device: Device, door: Any = None, staff_id: int | None = None) -> services.Scan:
    return services.Scan(
        event_id=device.event,
        session_key=device.session or 0,
        device_id=device.id,
        door=str(door or device.door)[:100],
        staff_id=staff_id,
    )


def _body(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed({"body": _("A JSON object is expected.")})
    return data


class DeviceApiController(Controller):
    """JSON check-in API for door devices and third-party scanners (bearer device token)."""

    path = "/api/devices"
    tags = ["check-in devices"]

    @get("/public-key", operation_id="checkinPublicKey", summary="Public key to verify ticket codes offline")
    async def public_key(self) -> dict[str, Any]:
        return signing.public_key_info()

    @get("/me", operation_id="checkinDeviceInfo", summary="The device, its event and door")
    async def me(self, request: Request) -> dict[str, Any]:
        device = await device_of(request)
        await services.touch_device(device)
        event = await Event.objects().where(Event.id == device.event).first()
        session = None
        if device.session:
            session = await Session.objects().where(Session.id == device.session).first()
        return {
            "device": device.id,
            "name": device.name,
            "door": device.door,
            "event": {
                "id": device.event,
                "title": localized(event, "title") if event else "",
                "starts_at": event.starts_at.isoformat() if event else None,
            },
            "session": {"id": session.id, "title": localized(session, "title")} if session else None,
            "server_time": now_utc().isoformat(),
        }

    @post("/redeem", operation_id="checkinRedeem", summary="Check a ticket in", status_code=200)
    async def redeem(self, request: Request, data: dict[str, Any]) -> dict[str, Any]:
        """Body: {"scan_id": client UUID, "code": QR text | "ticket_id": id, "scanned_at"?, "door"?}.

        status: ok | already | cancelled | refunded | unpaid | wrong_event | invalid. A retry with the
        same scan_id returns the first result and is never counted twice."""
        data = _body(data)
        bearer(request)  # 401 without a token, before any validation
        scan_id = services.check_scan_id(data.get("scan_id"))
        scanned_at = services.parse_time(data.get("scanned_at")) or now_utc()
        code = data.get("code")
        # On PostgreSQL the common case never gets here: checkin.hotpath.lane answers it with one statement.
        device = await device_of(request)
        return await services.redeem(
            scan_of(device, data.get("door"), await staff_id_of(request)),
            scan_id=scan_id,
            code=code if isinstance(code, str) else None,
            ticket_id=data.get("ticket_id"),
            scanned_at=scanned_at,
        )

    @post(
        "/scans", operation_id="checkinUploadScans", summary="Upload scans recorded offline", status_code=200
    )
    async def upload(self, request: Request, data: dict[str, Any]) -> dict[str, Any]:
        """Body: {"scans": [{"scan_id", "code" | "ticket_id", "scanned_at", "door"?, "accepted"?}]}.
        The earliest scan of a ticket wins; duplicates and tickets cancelled since the last list
        download are flagged for staff."""
        device = await device_of(request)
        results = await services.reconcile(device, _body(data).get("scans"))
        return {"results": results, "server_time": now_utc().isoformat()}

    @get("/tickets", operation_id="checkinTicketList", summary="Compact ticket list for offline checks")
    async def tickets(self, request: Request) -> Response[bytes]:
        """Every ticket of the event as [ticket id, state, initials, ticket type id, short code, name,
        reason, checked in at, door, by] (trailing empty fields left out; `fields` names them);
        gzip-encoded when the client accepts it."""
        device = await device_of(request)
        body = json.dumps(await services.ticket_list(device), separators=(",", ":")).encode()
        headers = {"cache-control": "no-store", "vary": "accept-encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            headers["content-encoding"] = "gzip"
        return Response(body, media_type=MediaType.JSON, headers=headers)

    @post("/undo", operation_id="checkinUndo", summary="Undo a mistaken check-in", status_code=200)
    async def undo(self, request: Request, data: dict[str, Any]) -> dict[str, Any]:
        device = await device_of(request)
        data = _body(data)
        return await services.undo(
            device.event,
            checkin_id=data.get("checkin_id"),
            scan_id=data.get("scan_id"),
            staff_id=await staff_id_of(request),
        )

    @get("/search", operation_id="checkinSearch", summary="Find tickets by name, email or order")
    async def search(self, request: Request, q: str = "") -> list[dict[str, Any]]:
        device = await device_of(request)
        return await services.search(device.event, q, session_key=device.session or 0)

    @get("/counters", operation_id="checkinDeviceCounters", summary="Checked in / expected")
    async def counters(self, request: Request) -> dict[str, Any]:
        device = await device_of(request)
        return await services.counters(device.event, device.session or 0)


def _event_or_404(event: Event | None) -> Event:
    if event is None:
        raise NotFound(_("This event does not exist."))
    return event


def pairing_url(code: str) -> str:
    """The link a phone opens to pair (a one-time code in the path: it survives the sign-in)."""
    return f"{get_settings().base_url}/door/pair/{code}"


def pairing_qr(code: str) -> str:
    return "data:image/png;base64," + base64.b64encode(signing.qr_png(pairing_url(code), box_size=5)).decode()


def pairing_json(pairing: services.Pairing) -> dict[str, Any]:
    return {
        "pairing_code": pairing.code,
        "pairing_url": pairing_url(pairing.code),
        "pairing_expires_at": pairing.expires_at.isoformat(),
    }


def pairing_view(name: str, pairing: services.Pairing, token: str | None = None) -> dict[str, Any]:
    """What the staff page shows for a new pairing link."""
    return {
        "name": name,
        "code": pairing.code,
        "url": pairing_url(pairing.code),
        "qr": pairing_qr(pairing.code),
        "expires_at": pairing.expires_at,
        "token": token,
    }


class StaffCheckinApiController(Controller):
    path = "/api/staff/checkin/events/{event_id:int}"
    guards = [staff_guard]
    tags = ["check-in staff"]

    @get("/devices", operation_id="checkinListDevices")
    async def devices(self, event_id: int) -> list[dict[str, Any]]:
        return await services.list_devices(event_id)

    @post("/devices", operation_id="checkinAuthoriseDevice", status_code=HTTP_201_CREATED)
    async def authorise(self, request: Request, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        data = _body(data)
        device, token = await services.authorise_device(
            event_id,
            str(data.get("name") or ""),
            str(data.get("door") or ""),
            data.get("session"),
            await staff_id_of(request),
        )
        pairing = await services.issue_pairing(event_id, device.id)
        # token: for a third-party scanner configured by hand; a phone pairs with the one-time link
        # instead, which gives it its own token (and voids this one).
        return {
            "id": device.id,
            "name": device.name,
            "door": device.door,
            "token": token,
            **pairing_json(pairing),
        }

    @post(
        "/devices/{device_id:int}/pairing",
        operation_id="checkinReissuePairing",
        summary="A new one-time pairing link for a device (a lost or replaced phone)",
        status_code=HTTP_201_CREATED,
    )
    async def reissue_pairing(self, event_id: int, device_id: int) -> dict[str, Any]:
        return {"id": device_id, **pairing_json(await services.issue_pairing(event_id, device_id))}

    @post("/devices/{device_id:int}/revoke", operation_id="checkinRevokeDevice", status_code=200)
    async def revoke(self, event_id: int, device_id: int) -> dict[str, Any]:
        await services.revoke_device(event_id, device_id)
        return {"id": device_id, "revoked": True}

    @get("/counters", operation_id="checkinCounters")
    async def counters(self, event_id: int, session: int = 0) -> dict[str, Any]:
        return await services.counters(event_id, session)

    @get("/conflicts", operation_id="checkinConflicts")
    async def conflicts(self, event_id: int, all: bool = False) -> list[dict[str, Any]]:  # noqa: A002
        return await services.conflicts(event_id, include_reviewed=all)

    @post("/conflicts/{checkin_id:int}/reviewed", operation_id="checkinConflictReviewed", status_code=200)
    async def reviewed(self, request: Request, event_id: int, checkin_id: int) -> dict[str, Any]:
        await services.mark_reviewed(event_id, checkin_id, await staff_id_of(request))
        return {"id": checkin_id, "reviewed": True}

    @get(
        "/attendance.csv",
        operation_id="checkinAttendanceCsv",
        media_type="text/csv",
        summary="Expected attendees and their check-in (format=excel: French Excel, the default; format=plain)",
    )
    async def attendance(
        self,
        event_id: int,
        session: int = 0,
        format: str | None = None,  # noqa: A002 (the query parameter's name)
    ) -> Response[bytes]:
        body = await reports.attendance_csv(event_id, session, csv_export.dialect_from_query(format))
        return csv_export.response(body, f"attendance-{event_id}.csv")

    @get(
        "/sessions/{session_id:int}/attendance.pdf",
        operation_id="checkinAttendanceSheet",
        media_type="application/pdf",
    )
    async def sheet(self, event_id: int, session_id: int) -> Response[bytes]:
        body = await reports.attendance_sheet_pdf(event_id, session_id)
        return Response(
            body,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="attendance-{event_id}-{session_id}.pdf"'},
        )


NO_STORE = {"cache-control": "no-store"}


def _pair_page(context: dict[str, Any], status_code: int = 200) -> Template:
    """The pairing page: it holds a one-time code, so no cache keeps it."""
    return Template(
        template_name="checkin/pair.html", context=context, status_code=status_code, headers=NO_STORE
    )


class DoorPagesController(Controller):
    """The door app (door, staff and admin roles). It checks people in only with a paired device token.

    Pairing: staff show a one-time link /door/pair/<code> (QR code); the phone opens it, signs in if it
    must (the path survives the sign-in page's `next`), confirms, and is sent to /door#pair=<token>,
    where door.js keeps the token and takes it out of the address bar."""

    path = "/door"
    guards = [door_guard]
    include_in_schema = False

    @get("/", operation_id="door_app")
    async def door(self) -> Template:
        return Template(template_name="checkin/door.html")

    @get("/pair", operation_id="door_pair_form")
    async def pair_form(self) -> Template:
        return _pair_page({"device": None, "code": "", "errors": {}})

    @get("/pair/{code:str}", operation_id="door_pair_page")
    async def pair_page(self, code: str) -> Template:
        try:
            device = await services.device_for_pairing(code)
        except ValidationFailed as exc:
            return _pair_page({"device": None, "code": code[:40], "errors": exc.errors}, 404)
        return _pair_page(await self._pairing_context(device, code))

    @post("/pair", operation_id="door_pair")
    async def pair(self, request: Request) -> Response:
        form = await request.form()
        code = str(form.get("code") or "")[:40]
        try:
            _device, token = await services.redeem_pairing(code)
        except ValidationFailed as exc:
            return _pair_page({"device": None, "code": code, "errors": exc.errors}, 422)
        # The token travels in the fragment: never sent to the server, never in its logs.
        return Redirect(f"/door#pair={token}", status_code=303, headers=NO_STORE)

    @staticmethod
    async def _pairing_context(device: Device, code: str) -> dict[str, Any]:
        event = await Event.objects().where(Event.id == device.event).first()
        session = None
        if device.session:
            session = await Session.objects().where(Session.id == device.session).first()
        return {
            "device": device,
            "code": code,
            "event_title": localized(event, "title") if event else "",
            "session_title": localized(session, "title") if session else "",
            "errors": {},
        }


@get("/door-sw.js", operation_id="door_service_worker", include_in_schema=False, sync_to_thread=False)
def service_worker() -> Response[bytes]:
    """The service worker, served from the root so that its scope covers /door and /api/devices."""
    body = (ROOT / "web" / "static" / "checkin" / "sw.js").read_bytes()
    return Response(
        body,
        media_type="application/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


def _with_datetimes(row: dict[str, Any]) -> dict[str, Any]:
    """A device of list_devices (ISO strings, as the API gives them) with datetimes for the page."""
    return {k: datetime.fromisoformat(v) if k.endswith("_at") and v else v for k, v in row.items()}


class StaffCheckinPagesController(Controller):
    path = "/staff/checkin"
    guards = [staff_guard]
    include_in_schema = False

    @get("/", operation_id="staff_checkin_events")
    async def events(self) -> Template:
        events = await Event.select(Event.id, Event.title, Event.title_en, Event.starts_at).order_by(
            Event.starts_at, ascending=False
        )
        return Template(template_name="checkin/staff_events.html", context={"events": events})

    @get("/events/{event_id:int}", operation_id="staff_checkin_event")
    async def event(self, event_id: int) -> Template:
        return await self._page(event_id)

    @post("/events/{event_id:int}/devices", operation_id="staff_checkin_authorise")
    async def authorise(self, request: Request, event_id: int) -> Template:
        form = await request.form()
        try:
            device, token = await services.authorise_device(
                event_id,
                str(form.get("name") or ""),
                str(form.get("door") or ""),
                form.get("session"),
                await staff_id_of(request),
            )
        except ValidationFailed as exc:
            return await self._page(event_id, errors=exc.errors, status_code=422)
        pairing = await services.issue_pairing(event_id, device.id)
        return await self._page(event_id, new_device=pairing_view(device.name, pairing, token))

    @post("/events/{event_id:int}/devices/{device_id:int}/pairing", operation_id="staff_checkin_reissue")
    async def reissue(self, event_id: int, device_id: int) -> Template:
        pairing = await services.issue_pairing(event_id, device_id)
        device = await Device.objects().where(Device.id == device_id).first()
        return await self._page(event_id, new_device=pairing_view(device.name if device else "", pairing))

    @post("/events/{event_id:int}/devices/{device_id:int}/revoke", operation_id="staff_checkin_revoke")
    async def revoke(self, event_id: int, device_id: int) -> Template:
        await services.revoke_device(event_id, device_id)
        return await self._page(event_id, flash=_("Device revoked: it can no longer check anyone in."))

    @post("/events/{event_id:int}/conflicts/{checkin_id:int}/reviewed", operation_id="staff_checkin_reviewed")
    async def reviewed(self, request: Request, event_id: int, checkin_id: int) -> Template:
        await services.mark_reviewed(event_id, checkin_id, await staff_id_of(request))
        return await self._page(event_id)

    @get("/events/{event_id:int}/counters", operation_id="staff_checkin_counters_fragment")
    async def counters_fragment(self, event_id: int) -> Template:
        return Template(
            template_name="checkin/_counters.html",
            context={"counters": await services.counters(event_id)},
        )

    async def _page(self, event_id: int, status_code: int = 200, **extra: Any) -> Template:
        event = _event_or_404(await Event.objects().where(Event.id == event_id).first())
        sessions = (
            await Session.select(Session.id, Session.title, Session.title_en, Session.kind, Session.starts_at)
            .where(Session.event == event_id)
            .order_by(Session.starts_at)
        )
        return Template(
            template_name="checkin/staff_event.html",
            context={
                "event": event,
                "event_title": localized(event, "title"),
                "devices": [_with_datetimes(d) for d in await services.list_devices(event_id)],
                "counters": await services.counters(event_id),
                "conflicts": [
                    {**_with_datetimes(c), "winner": _with_datetimes(c["winner"]) if c["winner"] else None}
                    for c in await services.conflicts(event_id)
                ],
                "sessions": [{**s, "label": localized(s, "title")} for s in sessions],
                "errors": {},
                **extra,
            },
            status_code=status_code,
        )


ROUTES: list[Any] = [
    DeviceApiController,
    StaffCheckinApiController,
    DoorPagesController,
    service_worker,
    StaffCheckinPagesController,
]
