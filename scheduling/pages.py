"""Speed-meeting pages (thin: business rules live in scheduling.*).

Participants (signed in by a one-time email link): /meetings/{id} (profile, wishes, availability),
/meetings/{id}/catalogue, /meetings/{id}/agenda (+ .ics, .pdf), reports after the event.
Staff: /staff/meetings (settings, grid, participants, run/pin/move/publish, table sheets, deals, figures).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from accounts.guards import attendee_email, staff_guard
from commissions import billing
from events.tables import Event
from lib.clock import now_utc
from lib.errors import ValidationFailed
from lib.i18n import _, get_locale
from scheduling import agenda, availability, deals, participants, planning, programmes, wishes
from scheduling.fields import bp_to_percent, priority_label, side_label, status_label
from scheduling.tables import Meeting, MeetingProgramme, Participant
from web import labels
from web.controllers.staff_common import form_data, local_input, parse_local_datetime, render


def _back(url: str) -> Redirect:
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


def _file(content: bytes, media_type: str, filename: str, inline: bool = False) -> Response[bytes]:
    disposition = "inline" if inline else "attachment"
    return Response(
        content,
        media_type=media_type,
        headers={"content-disposition": f'{disposition}; filename="{filename}"'},
    )


def _page(template: str, status_code: int = 200, **context: Any) -> Template:
    """A page (text/html even from handlers that may also redirect)."""
    page = render(
        template,
        status_code=status_code,
        priority_label=priority_label,
        side_label=side_label,
        programme_status_label=status_label,
        reason_label=planning.reason_label,
        local_input=local_input,
        **context,
    )
    page.media_type = MediaType.HTML
    return page


def _local(errors: dict[str, str], data: dict[str, str], field: str) -> Any:
    value = parse_local_datetime(data.get(field, ""))
    if value is None:
        errors[field] = _("Enter a valid date and time.")
    return value


# ---- participants ---------------------------------------------------------------------------------
class ParticipantPages(Controller):
    path = "/meetings"
    include_in_schema = False
    tags = ["speed-meeting pages"]

    async def _me(
        self, request: Request, programme_id: int
    ) -> tuple[Any, Participant | None, Redirect | None]:
        email = attendee_email(request)
        if not email:
            return None, None, _back(f"/auth/link?next={quote(request.url.path, safe='/')}")
        programme = await programmes.get_programme(programme_id)
        return programme, await participants.participant_for_email(programme_id, email), None

    async def _space(
        self, request: Request, programme_id: int, errors: dict[str, str] | None = None, flash: str = ""
    ) -> Template | Redirect:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect:
            return redirect
        context: dict[str, Any] = {"programme": programme, "me": None, "flash": flash, "errors": errors or {}}
        context["event"] = (
            await Event.select(Event.title, Event.title_en).where(Event.id == programme.event).first()
        )
        if me is not None:
            info = await participants.participant_info(me.id)
            others = {p["id"]: p for p in await participants.list_participants(programme_id)}
            context.update(
                me=info,
                values={**info, **{k: ", ".join(info[k]) for k in participants.PROFILE_TAGS}},
                wishes=[
                    {**w, "other": others.get(w["target"])}
                    for w in sorted(await wishes.wishes_of(me.id), key=lambda w: -w["priority"])
                ],
                declines=[others.get(t) for t in await wishes.declines_of(me.id)],
                blocks=await availability.blocks_of(me.id),
                busy=(await availability.busy_times(programme)).get(me.id, []),
                phase_open=programmes.wish_phase_open(programme),
                unmet=await planning.unmet_wishes(programme_id, me.id),
            )
        return _page(
            "scheduling/participant.html", status_code=HTTP_400_BAD_REQUEST if errors else 200, **context
        )

    @get("/", operation_id="meetings_mine")
    async def mine(self, request: Request) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back("/auth/link?next=/meetings")
        mine = await participants.programmes_for_email(email)
        registered = {p["programme"] for p in mine}
        open_ = [p for p in await programmes.open_programmes() if p["id"] not in registered]
        return _page("scheduling/mine.html", programmes=mine, open_programmes=open_)

    async def _register_page(
        self, programme_id: int, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
    ) -> Template:
        programme = await programmes.get_programme(programme_id)
        event = await Event.select(Event.title, Event.title_en).where(Event.id == programme.event).first()
        return _page(
            "scheduling/register.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            event=event,
            phase_open=programmes.wish_phase_open(programme),
            errors=errors or {},
            values=values or {},
        )

    @get("/{programme_id:int}/register", operation_id="meetings_register_form")
    async def register_form(self, request: Request, programme_id: int) -> Template | Redirect:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect:
            return redirect
        if me is not None:
            return _back(f"/meetings/{programme_id}")
        return await self._register_page(programme_id)

    @post("/{programme_id:int}/register", operation_id="meetings_register")
    async def register(self, request: Request, programme_id: int) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back(f"/auth/link?next={quote(f'/meetings/{programme_id}/register', safe='/')}")
        data = await form_data(request)
        fields = (*participants.PROFILE_TEXT, *participants.PROFILE_TAGS, "first_name", "last_name")
        try:
            await participants.self_register(
                programme_id,
                email,
                side=data.get("side", ""),
                needs_accessible=data.get("needs_accessible", ""),
                **{k: v for k, v in data.items() if k in fields},
            )
        except ValidationFailed as exc:
            return await self._register_page(programme_id, errors=exc.errors, values=data)
        return _back(f"/meetings/{programme_id}")

    @get("/{programme_id:int}", operation_id="meetings_space")
    async def space(self, request: Request, programme_id: int) -> Template | Redirect:
        return await self._space(request, programme_id)

    async def _do(self, request: Request, programme_id: int, action: Any, back: str = "") -> Any:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect:
            return redirect
        if me is None:
            return await self._space(request, programme_id)
        data = await form_data(request)
        try:
            await action(me, data)
        except ValidationFailed as exc:
            if back == "catalogue":
                return await self.catalogue(request, programme_id, errors=exc.errors, **_filters(data))
            return await self._space(request, programme_id, errors=exc.errors)
        if back == "catalogue":
            query = "&".join(f"{k}={quote(v)}" for k, v in _filters(data).items() if v)
            return _back(f"/meetings/{programme_id}/catalogue?{query}#p-{data.get('target_id', '')}")
        return _back(f"/meetings/{programme_id}")

    @post("/{programme_id:int}/profile", operation_id="meetings_profile")
    async def profile(self, request: Request, programme_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            fields = (*participants.PROFILE_TEXT, *participants.PROFILE_TAGS)
            await participants.update_profile(me.id, **{k: v for k, v in data.items() if k in fields})

        return await self._do(request, programme_id, action)

    @post("/{programme_id:int}/wishes", operation_id="meetings_wish")
    async def wish(self, request: Request, programme_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            await wishes.set_wish(me, data.get("target_id"), data.get("priority"))

        return await self._do(request, programme_id, action, back="catalogue")

    @post("/{programme_id:int}/wishes/{target_id:int}/remove", operation_id="meetings_wish_remove")
    async def unwish(self, request: Request, programme_id: int, target_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            await wishes.remove_wish(me, target_id)

        return await self._do(request, programme_id, action)

    @post("/{programme_id:int}/declines", operation_id="meetings_decline")
    async def decline(self, request: Request, programme_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            await wishes.decline(me, data.get("target_id"))

        return await self._do(request, programme_id, action, back="catalogue")

    @post("/{programme_id:int}/declines/{target_id:int}/remove", operation_id="meetings_decline_remove")
    async def undecline(self, request: Request, programme_id: int, target_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            await wishes.undecline(me, target_id)

        return await self._do(request, programme_id, action)

    @post("/{programme_id:int}/unavailable", operation_id="meetings_block")
    async def block(self, request: Request, programme_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            errors: dict[str, str] = {}
            start, end = _local(errors, data, "starts_at"), _local(errors, data, "ends_at")
            if errors:
                raise ValidationFailed(errors)
            await availability.add_block(me, start, end, data.get("note", ""))

        return await self._do(request, programme_id, action)

    @post("/{programme_id:int}/unavailable/{block_id:int}/remove", operation_id="meetings_block_remove")
    async def unblock(self, request: Request, programme_id: int, block_id: int) -> Any:
        async def action(me: Participant, data: dict[str, str]) -> None:
            await availability.remove_block(me, block_id)

        return await self._do(request, programme_id, action)

    @get("/{programme_id:int}/catalogue", operation_id="meetings_catalogue")
    async def catalogue_page(
        self,
        request: Request,
        programme_id: int,
        genre: str = "",
        format: str = "",  # noqa: A002
        audience: str = "",
        territory: str = "",
        q: str = "",
    ) -> Template | Redirect:
        return await self.catalogue(request, programme_id, genre, format, audience, territory, q)

    async def catalogue(
        self,
        request: Request,
        programme_id: int,
        genre: str = "",
        format: str = "",  # noqa: A002
        audience: str = "",
        territory: str = "",
        q: str = "",
        errors: dict[str, str] | None = None,
    ) -> Template | Redirect:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect:
            return redirect
        if me is None:
            return await self._space(request, programme_id)
        other = "buyer" if me.side == "producer" else "producer"
        filters = {"genre": genre, "format": format, "audience": audience, "territory": territory, "q": q}
        return _page(
            "scheduling/catalogue.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            me=me,
            other_side=other,
            people=await participants.catalogue(programme_id, other, **filters),
            options=await participants.filter_values(programme_id, other),
            filters=filters,
            wished={w["target"]: w["priority"] for w in await wishes.wishes_of(me.id)},
            declined=set(await wishes.declines_of(me.id)),
            phase_open=programmes.wish_phase_open(programme),
            errors=errors or {},
        )

    @get("/{programme_id:int}/agenda", operation_id="meetings_agenda")
    async def agenda_page(self, request: Request, programme_id: int) -> Template | Redirect:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect:
            return redirect
        if me is None:
            return await self._space(request, programme_id)
        return _page(
            "scheduling/agenda.html",
            programme=programme,
            me=me,
            items=await agenda.agenda(me.id, published_only=True),
            reports=await deals.reports_of(me.id),
            now=now_utc(),
        )

    @get("/{programme_id:int}/agenda.ics", operation_id="meetings_agenda_ics")
    async def agenda_ics(self, request: Request, programme_id: int) -> Any:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect or me is None:
            return redirect or await self._space(request, programme_id)
        return _file(await agenda.agenda_ics(me.id), "text/calendar", "agenda.ics")

    @get("/{programme_id:int}/agenda.pdf", operation_id="meetings_agenda_pdf")
    async def agenda_pdf(self, request: Request, programme_id: int) -> Any:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect or me is None:
            return redirect or await self._space(request, programme_id)
        return _file(await agenda.agenda_pdf(me.id), "application/pdf", "agenda.pdf", inline=True)

    @post("/{programme_id:int}/meetings/{meeting_id:int}/report", operation_id="meetings_report")
    async def report(self, request: Request, programme_id: int, meeting_id: int) -> Any:
        programme, me, redirect = await self._me(request, programme_id)
        if redirect or me is None:
            return redirect or await self._space(request, programme_id)
        data = await form_data(request)
        try:
            await deals.report(
                meeting_id,
                me,
                took_place=data.get("took_place") == "yes",
                deal=data.get("deal") == "yes",
                deal_nature=data.get("deal_nature", ""),
                amount=data.get("amount", ""),
            )
        except ValidationFailed as exc:
            return _page(
                "scheduling/agenda.html",
                status_code=HTTP_400_BAD_REQUEST,
                programme=programme,
                me=me,
                items=await agenda.agenda(me.id, published_only=True),
                reports=await deals.reports_of(me.id),
                now=now_utc(),
                errors=exc.errors,
                error_meeting=meeting_id,
            )
        return _back(f"/meetings/{programme_id}/agenda#m-{meeting_id}")


def _filters(data: dict[str, str]) -> dict[str, str]:
    return {k: data.get(k, "") for k in ("genre", "format", "audience", "territory", "q")}


# ---- staff ----------------------------------------------------------------------------------------
SETTINGS_FIELDS = (
    "status",
    "meeting_minutes",
    "max_meetings",
    "wish_limit",
    "tables",
    "reserved_tables",
    "accessible_tables",
    "commission_rate_percent",
    "fairness_budget_percent",
)


def settings_values(programme: MeetingProgramme) -> dict[str, Any]:
    """The settings form: percentages where the programme stores basis points."""
    values: dict[str, Any] = {f: getattr(programme, f) for f in SETTINGS_FIELDS if hasattr(programme, f)}
    values["commission_rate_percent"] = bp_to_percent(programme.commission_rate_bp, get_locale())
    values["fairness_budget_percent"] = bp_to_percent(programme.fairness_budget_bp, get_locale())
    return values


def fairness_sentence(budget_bp: int | None) -> str:
    if budget_bp is None:
        return _("Strict fairness: any share of the total may be given up to help the worst-off participant.")
    return _(
        "At most %(percent)s %% of the total may be given up for fairness.",
        percent=bp_to_percent(budget_bp, get_locale()),
    )


class StaffMeetingPages(Controller):
    path = "/staff/meetings"
    guards = [staff_guard]
    include_in_schema = False
    tags = ["staff pages"]

    @get("/", operation_id="staff_meetings_list")
    async def programmes_get(self) -> Template:
        return await self.programmes()

    async def programmes(self, errors: dict[str, str] | None = None) -> Template:
        taken = {r["event"] for r in await MeetingProgramme.select(MeetingProgramme.event)}
        events = await Event.select(Event.id, Event.title, Event.title_en, Event.starts_at).order_by(
            Event.starts_at, ascending=False
        )
        return _page(
            "scheduling/staff_list.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programmes=await programmes.list_programmes(),
            events=[e for e in events if e["id"] not in taken],
            errors=errors or {},
        )

    @post("/", operation_id="staff_meetings_create")
    async def create(self, request: Request) -> Any:
        data = await form_data(request)
        try:
            programme = await programmes.create_programme(int(data.get("event_id") or 0))
        except ValidationFailed as exc:
            return await self.programmes(errors=exc.errors)
        except ValueError:
            return await self.programmes(errors={"event_id": _("Choose an event.")})
        return _back(f"/staff/meetings/{programme.id}")

    async def _programme_page(
        self, programme_id: int, errors: dict[str, str] | None = None, flash: str = "", values: Any = None
    ) -> Template:
        programme = await programmes.get_programme(programme_id)
        people = await participants.list_participants(programme_id)
        names = {p["id"]: p["organisation"] or p["name"] for p in people}
        return _page(
            "scheduling/staff_programme.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            title=await programmes.event_title(programme),
            values=values or settings_values(programme),
            fairness_sentence=fairness_sentence(programme.fairness_budget_bp),
            run_status_label=labels.run_status_label,
            days=await programmes.list_days(programme_id),
            slots=await programmes.grid_slots(programme),
            statuses=[(s, status_label(s)) for s in ("draft", "wishes_open", "scheduled", "published")],
            run=await planning.latest_run(programme_id),
            unmet=await planning.unmet_wishes(programme_id),
            names=names,
            counts={
                "producers": sum(1 for p in people if p["side"] == "producer"),
                "buyers": sum(1 for p in people if p["side"] == "buyer"),
                "meetings": await Meeting.count().where(Meeting.programme == programme_id),
            },
            figures=await deals.figures(programme_id),
            errors=errors or {},
            flash=flash,
        )

    @get("/{programme_id:int}", operation_id="staff_meetings_programme")
    async def programme(self, programme_id: int, flash: str = "") -> Template:
        return await self._programme_page(programme_id, flash=flash)

    @post("/{programme_id:int}/settings", operation_id="staff_meetings_settings")
    async def settings(self, request: Request, programme_id: int) -> Any:
        data = await form_data(request)
        values = {k: data.get(k, "") for k in SETTINGS_FIELDS}
        errors: dict[str, str] = {}
        for field in ("wishes_open_at", "wishes_close_at", "publish_at"):
            if data.get(field):
                values[field] = _local(errors, data, field)
            else:
                values[field] = None
        if errors:
            return await self._programme_page(programme_id, errors=errors, values=values)
        try:
            await programmes.update_programme(programme_id, **values)
        except ValidationFailed as exc:
            return await self._programme_page(programme_id, errors=exc.errors, values=values)
        return _back(f"/staff/meetings/{programme_id}")

    @post("/{programme_id:int}/days", operation_id="staff_meetings_add_day")
    async def add_day(self, request: Request, programme_id: int) -> Any:
        data = await form_data(request)
        errors: dict[str, str] = {}
        start, end = _local(errors, data, "starts_at"), _local(errors, data, "ends_at")
        breaks = []
        if data.get("break_start") or data.get("break_end"):
            b0, b1 = _local(errors, data, "break_start"), _local(errors, data, "break_end")
            breaks = [(b0, b1)]
        if errors:
            return await self._programme_page(programme_id, errors=errors)
        try:
            await programmes.add_day(programme_id, start, end, breaks)
        except ValidationFailed as exc:
            return await self._programme_page(programme_id, errors=exc.errors)
        return _back(f"/staff/meetings/{programme_id}")

    @post("/{programme_id:int}/days/{day_id:int}/remove", operation_id="staff_meetings_remove_day")
    async def remove_day(self, programme_id: int, day_id: int) -> Redirect:
        await programmes.remove_day(programme_id, day_id)
        return _back(f"/staff/meetings/{programme_id}")

    # ---- mass actions: a confirmation page first (a required box, no script) --------------------
    async def _confirm_page(
        self, programme_id: int, action: str, errors: dict[str, str] | None = None
    ) -> Template:
        programme = await programmes.get_programme(programme_id)
        return _page(
            "scheduling/staff_confirm.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            title=await programmes.event_title(programme),
            action=action,
            preview=await agenda.publish_preview(programme_id),
            errors=errors or {},
        )

    @staticmethod
    def _confirmed(data: dict[str, str]) -> bool:
        return data.get("confirm") == "yes"

    @get("/{programme_id:int}/run", operation_id="staff_meetings_run_confirm")
    async def run_confirm(self, programme_id: int) -> Template:
        return await self._confirm_page(programme_id, "run")

    @post("/{programme_id:int}/run", operation_id="staff_meetings_run")
    async def run(self, request: Request, programme_id: int) -> Any:
        """Before publication a run only replaces draft meetings; after it, staff confirm first."""
        programme = await programmes.get_programme(programme_id)
        data = await form_data(request)
        if programme.status == "published" and not self._confirmed(data):
            errors = {"confirm": _("Tick the box to confirm.")} if "confirm_step" in data else None
            return await self._confirm_page(programme_id, "run", errors)
        try:
            record = await planning.run(programme_id)
        except ValidationFailed as exc:
            return await self._programme_page(programme_id, errors=exc.errors)
        return await self._programme_page(
            programme_id, flash=_("Scheduler run: %(n)d meetings.", n=record.meetings)
        )

    @get("/{programme_id:int}/publish", operation_id="staff_meetings_publish_confirm")
    async def publish_confirm(self, programme_id: int) -> Template:
        return await self._confirm_page(programme_id, "publish")

    @post("/{programme_id:int}/publish", operation_id="staff_meetings_publish")
    async def publish(self, request: Request, programme_id: int) -> Template:
        """Emails every agenda that changed: only once the confirmation box is ticked."""
        data = await form_data(request)
        if not self._confirmed(data):
            errors = {"confirm": _("Tick the box to confirm.")} if "confirm_step" in data else None
            return await self._confirm_page(programme_id, "publish", errors)
        sent = await agenda.publish(programme_id)
        return await self._programme_page(programme_id, flash=_("Published: %(n)d agendas emailed.", n=sent))

    @get("/{programme_id:int}/participants", operation_id="staff_meetings_participants")
    async def participants_get(self, programme_id: int) -> Template:
        return await self.participants(programme_id)

    async def participants(
        self, programme_id: int, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
    ) -> Template:
        programme = await programmes.get_programme(programme_id)
        return _page(
            "scheduling/staff_participants.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            title=await programmes.event_title(programme),
            participants=await participants.list_participants(programme_id),
            values=values or {"side": "producer"},
            errors=errors or {},
        )

    @post("/{programme_id:int}/participants", operation_id="staff_meetings_add_participant")
    async def add_participant(self, request: Request, programme_id: int) -> Any:
        data = await form_data(request)
        fields = ("email", "side", "first_name", "last_name", "organisation_name", "role", "needs_accessible")
        try:
            await participants.add_participant(
                programme_id, **{k: data.get(k, "") for k in fields if k in data}
            )
        except ValidationFailed as exc:
            return await self.participants(programme_id, errors=exc.errors, values=data)
        return _back(f"/staff/meetings/{programme_id}/participants")

    @get("/{programme_id:int}/grid", operation_id="staff_meetings_grid")
    async def grid_get(self, programme_id: int) -> Template:
        return await self.grid(programme_id)

    async def grid(self, programme_id: int, errors: dict[str, str] | None = None) -> Template:
        programme = await programmes.get_programme(programme_id)
        return _page(
            "scheduling/staff_grid.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            title=await programmes.event_title(programme),
            grid=await planning.grid(programme_id),
            slots=await programmes.grid_slots(programme),
            errors=errors or {},
        )

    @post("/{programme_id:int}/meetings/{meeting_id:int}/move", operation_id="staff_meetings_move")
    async def move(self, request: Request, programme_id: int, meeting_id: int) -> Any:
        data = await form_data(request)
        await planning.get_meeting(meeting_id, programme_id)
        errors: dict[str, str] = {}
        start = _local(errors, data, "starts_at")
        try:
            table = int(data.get("table_number", ""))
        except ValueError:
            errors["table_number"] = _("Enter a whole number.")
        if not errors:
            try:
                await planning.move(meeting_id, start, table)
            except ValidationFailed as exc:
                errors = exc.errors
        if errors:
            return await self.grid(programme_id, errors=errors)
        return _back(f"/staff/meetings/{programme_id}/grid")

    @post("/{programme_id:int}/meetings/{meeting_id:int}/pin", operation_id="staff_meetings_pin")
    async def pin(self, request: Request, programme_id: int, meeting_id: int) -> Redirect:
        data = await form_data(request)
        meeting = await planning.get_meeting(meeting_id, programme_id)
        await planning.set_pinned(meeting.id, data.get("pinned") == "1")
        return _back(f"/staff/meetings/{programme_id}/grid")

    @get("/{programme_id:int}/table-sheets.pdf", operation_id="staff_meetings_sheets")
    async def sheets(self, programme_id: int) -> Response[bytes]:
        return _file(
            await agenda.table_sheets_pdf(programme_id), "application/pdf", "tables.pdf", inline=True
        )

    @get("/{programme_id:int}/deals", operation_id="staff_meetings_deals")
    async def deals_page_get(self, programme_id: int) -> Template:
        return await self.deals_page(programme_id)

    async def deals_page(self, programme_id: int, errors: dict[str, str] | None = None) -> Template:
        programme = await programmes.get_programme(programme_id)
        return _page(
            "scheduling/staff_deals.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            programme=programme,
            title=await programmes.event_title(programme),
            commissions=await deals.commissions(programme_id),
            figures=await deals.figures(programme_id),
            errors=errors or {},
            commission_status_label=billing.status_label,
        )

    @post(
        "/{programme_id:int}/commissions/{commission_id:int}/confirm", operation_id="staff_meetings_confirm"
    )
    async def confirm(self, request: Request, programme_id: int, commission_id: int) -> Any:
        data = await form_data(request)
        try:
            await deals.confirm(
                commission_id, data.get("rate_bp"), data.get("amount"), data.get("rate_reason")
            )
        except ValidationFailed as exc:
            return await self.deals_page(programme_id, errors=exc.errors)
        return _back(f"/staff/meetings/{programme_id}/deals")


ROUTES: list[Any] = [ParticipantPages, StaffMeetingPages]
