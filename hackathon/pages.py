"""Hackathon pages (thin: the rules live in the hackathon.* capability modules).

Public: /hackathon/{edition} (theme, challenges, registration on a phone; the results once published).
Participants, by their personal link (emailed, also kept in a cookie so an invitation link finds them):
/hackathon/me/{token} (status, team, submission, mentors, withdrawal), /hackathon/join/{invite}.
Staff: /staff/hackathon (editions), /staff/hackathon/{edition} (settings, challenges, participants,
teams and their formation, jury, pitch order, accompany, mentor slots, results).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import current_staff, staff_guard
from events.tables import Event
from hackathon import (
    accompany,
    challenges,
    editions,
    formation,
    judging,
    mentors,
    registration,
    showcase,
    submissions,
    teams,
)
from hackathon.common import absolute, event_of, get_edition, participant_by_token
from hackathon.tables import ROLES, HackParticipant, Submission
from juries import rounds
from juries.tables import Entry
from lib.errors import Conflict, DomainError, NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from web.controllers.staff_common import form_data, render

COOKIE = "hackathon_me"


def _errors(exc: DomainError, field: str) -> dict[str, str]:
    return exc.errors if isinstance(exc, ValidationFailed) else {field: str(exc)}


def _page(template: str, status_code: int = 200, **context: Any) -> Template:
    page = render(
        template,
        status_code=status_code,
        hack_role_label=registration.role_label,
        participant_status_label=registration.status_label,
        localized=localized,
        locale=get_locale(),
        **context,
    )
    page.media_type = MediaType.HTML
    return page


def _back(url: str, cookie_token: str | None = None) -> Redirect:
    cookies = (
        [
            Cookie(
                key=COOKIE,
                value=cookie_token,
                path="/hackathon",
                httponly=True,
                samesite="lax",
                max_age=90 * 86400,
            )
        ]
        if cookie_token
        else None
    )
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER, cookies=cookies)


async def _participant_context(participant: HackParticipant, token: str) -> dict[str, Any]:
    edition = await get_edition(participant.edition)
    team = await teams.get_team(participant.team) if participant.team else None
    submission = await submissions.submission_of_team(team.id) if team else None
    slots = await mentors.slots_of(edition.id)
    return {
        "edition": edition,
        "event": await event_of(edition),
        "me": participant,
        "token": token,
        "team": team,
        "invite_url": absolute(teams.invite_path(teams.invite_token(team))) if team else "",
        "members": await teams.members_of(team.id) if team else [],
        "submission": submission,
        "images": submissions.images_of(submission) if submission else [],
        "challenges": await challenges.challenges_of(edition.id),
        "slots": slots,
        "waiting_position": await registration.waiting_position(participant),
        "submissions_open": editions.submissions_open(edition),
        "form": {},
    }


class HackathonPages(Controller):
    path = "/hackathon"
    include_in_schema = False

    async def _edition_page(self, edition_id: int, status_code: int = 200, **extra: Any) -> Template:
        edition = await get_edition(edition_id)
        context: dict[str, Any] = {
            "edition": edition,
            "event": await event_of(edition),
            "challenges": await challenges.challenges_of(edition.id),
            "roles": ROLES,
            "places_left": max(0, edition.capacity - edition.accepted),
            "form": {},
            "join": "",
            **extra,
        }
        return _page("hackathon/edition.html", status_code=status_code, **context)

    @get("/{edition_id:int}")
    async def edition(self, edition_id: int, join: str = "") -> Template:
        return await self._edition_page(edition_id, join=join)

    @post("/{edition_id:int}/register")
    async def register(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        join = form.pop("join", "")
        data: dict[str, Any] = {k: v for k, v in form.items() if k in registration.FIELDS}
        data["needs_accommodation"] = form.get("needs_accommodation", "")
        data["locale"] = get_locale()
        try:
            done = await registration.register(edition_id, data)
        except ValidationFailed as exc:
            return await self._edition_page(edition_id, 422, form=form, join=join, errors=exc.errors)
        if join and done.waiting_position is None:
            try:
                await teams.join_team(done.participant, join)
            except (NotFound, Conflict, ValidationFailed):
                pass  # the personal page shows they are in no team; the link can be opened again
        return _back(f"/hackathon/me/{done.token}?registered=1", cookie_token=done.token)

    @get("/me/{token:str}")
    async def me(self, token: str, registered: str = "", saved: str = "") -> Response[Any]:
        participant = await participant_by_token(token)
        flash = ""
        if registered:
            flash = _("Your registration is recorded: a confirmation is on its way by email.")
        elif saved:
            flash = _("Saved.")
        page = _page("hackathon/me.html", flash=flash, **(await _participant_context(participant, token)))
        page.cookies.append(
            Cookie(
                key=COOKIE, value=token, path="/hackathon", httponly=True, samesite="lax", max_age=90 * 86400
            )
        )
        return page

    async def _act(self, token: str, action: Any, field: str) -> Template | Redirect:
        participant = await participant_by_token(token)
        try:
            await action(participant)
        except DomainError as exc:
            if isinstance(exc, NotFound) and field not in ("team", "join"):
                raise
            context = await _participant_context(await participant_by_token(token), token)
            return _page(
                "hackathon/me.html",
                status_code=422 if isinstance(exc, ValidationFailed) else 409,
                errors=_errors(exc, field),
                **context,
            )
        return _back(f"/hackathon/me/{token}?saved=1")

    @post("/me/{token:str}/team")
    async def create_team(self, request: Request, token: str) -> Template | Redirect:
        form = await form_data(request)
        return await self._act(token, lambda p: teams.create_team(p, form), "name")

    @post("/me/{token:str}/leave")
    async def leave(self, token: str) -> Template | Redirect:
        return await self._act(token, teams.leave_team, "team")

    @post("/me/{token:str}/consent")
    async def consent(self, request: Request, token: str) -> Template | Redirect:
        form = await form_data(request)
        return await self._act(token, lambda p: teams.set_consent(p, form.get("consent") == "1"), "team")

    @post("/me/{token:str}/submission")
    async def submit(self, request: Request, token: str) -> Template | Redirect:
        form = await form_data(request)
        data = {k: form.get(k, "") for k in submissions.FIELDS}
        participant = await participant_by_token(token)
        try:
            await submissions.save_submission(participant, data)
        except ValidationFailed as exc:
            context = await _participant_context(participant, token)
            context["form"] = data
            return _page("hackathon/me.html", status_code=422, errors=exc.errors, **context)
        return _back(f"/hackathon/me/{token}?saved=1#submission")

    @post("/me/{token:str}/image")
    async def image(self, request: Request, token: str) -> Template | Redirect:
        form = await request.form()
        upload = form.get("image")
        content = await upload.read() if upload is not None and not isinstance(upload, str) else b""
        kind = str(getattr(upload, "content_type", "") or "")

        async def add(p: HackParticipant) -> None:
            if not content:
                raise ValidationFailed.one("image", _("Choose an image file."))
            await submissions.add_image(p, kind, content)

        return await self._act(token, add, "image")

    @post("/me/{token:str}/mentors/{slot_id:int}")
    async def book(self, token: str, slot_id: int) -> Template | Redirect:
        return await self._act(token, lambda p: mentors.book(p, slot_id), "slot")

    @post("/me/{token:str}/mentors/{slot_id:int}/cancel")
    async def unbook(self, token: str, slot_id: int) -> Template | Redirect:
        return await self._act(token, lambda p: mentors.cancel_booking(p, slot_id), "slot")

    @post("/me/{token:str}/withdraw")
    async def withdraw(self, token: str) -> Template | Redirect:
        return await self._act(token, registration.withdraw, "withdraw")

    @get("/join/{invite:str}")
    async def join_page(self, request: Request, invite: str) -> Template:
        team = await teams.team_by_invite(invite)
        edition = await get_edition(team.edition)
        me = None
        token = request.cookies.get(COOKIE)
        if token:
            try:
                found = await participant_by_token(token)
                me = found if found.edition == edition.id else None
            except NotFound:
                me = None
        return _page(
            "hackathon/join.html",
            team=team,
            members=await teams.members_of(team.id),
            edition=edition,
            event=await event_of(edition),
            me=me,
            invite=invite,
        )

    @post("/join/{invite:str}")
    async def join(self, request: Request, invite: str) -> Template | Redirect:
        token = request.cookies.get(COOKIE)
        if not token:
            raise NotFound(_("Open your personal link first (from your registration email)."))
        return await self._act(token, lambda p: teams.join_team(p, invite), "join")

    @get("/{edition_id:int}/results")
    async def results(self, edition_id: int) -> Template:
        edition = await get_edition(edition_id)
        return _page(
            "hackathon/results.html",
            edition=edition,
            event=await event_of(edition),
            board=await showcase.board(edition.id),
        )

    @get("/{edition_id:int}/images/{name:str}")
    async def image_file(self, request: Request, edition_id: int, name: str) -> Response[bytes]:
        sid = int(name.split("-", 1)[0]) if name.split("-", 1)[0].isdigit() else 0
        submission = await submissions.get_submission(sid)
        if not (current_staff(request) or await showcase.is_public(submission)):
            raise NotFound(_("This image does not exist."))
        content, kind = submissions.image_bytes(submission, name)
        return Response(content, media_type=kind, headers={"cache-control": "private, max-age=300"})


class StaffHackathonPages(Controller):
    path = "/staff/hackathon"
    guards = [staff_guard]
    include_in_schema = False

    async def _index(self, **extra: Any) -> Template:
        all_editions = await editions.list_editions()
        with_edition = {e.event for e in all_editions}
        events = await Event.objects().where(Event.kind == "ced").order_by(Event.starts_at, ascending=False)
        titles = {e.id: e.title for e in events}
        return _page(
            "hackathon/staff_index.html",
            editions=all_editions,
            titles=titles,
            free_events=[e for e in events if e.id not in with_edition],
            **extra,
        )

    @get("/")
    async def index(self) -> Template:
        return await self._index()

    @post("/")
    async def create(self, request: Request) -> Template | Redirect:
        form = await form_data(request)
        try:
            event_id = int(form.get("event_id") or 0)
        except ValueError:
            event_id = 0
        try:
            edition = await editions.create_edition(event_id, {"capacity": form.get("capacity") or "40"})
        except DomainError as exc:
            return await self._index(errors=_errors(exc, "event_id"))
        return _back(f"/staff/hackathon/{edition.id}")

    async def _edition(self, edition_id: int, status_code: int = 200, **extra: Any) -> Template:
        edition = await get_edition(edition_id)
        people = await registration.participants_of(edition.id)
        all_teams = await teams.teams_of(edition.id)
        subs = await submissions.submissions_of(edition.id)
        entries = {
            e.id: e
            for e in await Entry.objects().where(Entry.id.is_in([s.entry for s in subs if s.entry] or [0]))
        }
        return _page(
            "hackathon/staff_edition.html",
            status_code=status_code,
            edition=edition,
            event=await event_of(edition),
            participants=people,
            teams=all_teams,
            team_names={t.id: t.name for t in all_teams},
            team_sizes={
                t.id: sum(1 for p in people if p.team == t.id and p.status == "accepted") for t in all_teams
            },
            challenges=await challenges.challenges_of(edition.id),
            submissions=subs,
            entries=entries,
            selected={s.id for s in await judging.selected_submissions(edition.id)},
            slots=await mentors.slots_of(edition.id),
            skills_of=registration.skills_of,
            **extra,
        )

    @get("/{edition_id:int}")
    async def edition(self, edition_id: int, saved: str = "") -> Template:
        return await self._edition(edition_id, flash=_("Saved.") if saved else "")

    async def _do(
        self, edition_id: int, action: Any, field: str, then: str | None = None
    ) -> Template | Redirect:
        try:
            await action()
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            return await self._edition(
                edition_id, 422 if isinstance(exc, ValidationFailed) else 409, errors=_errors(exc, field)
            )
        return _back(then or f"/staff/hackathon/{edition_id}?saved=1")

    @post("/{edition_id:int}/settings")
    async def settings(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        data = {k: v for k, v in form.items() if k in editions.SETTINGS}
        data["registration_open"] = form.get("registration_open", "")
        return await self._do(edition_id, lambda: editions.update_edition(edition_id, data), "settings")

    @post("/{edition_id:int}/challenges")
    async def add_challenge(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        data = {k: v for k, v in form.items() if k in challenges.FIELDS and v != ""}
        return await self._do(edition_id, lambda: challenges.add_challenge(edition_id, data), "title")

    @post("/{edition_id:int}/participants/{participant_id:int}/withdraw")
    async def withdraw(self, edition_id: int, participant_id: int) -> Template | Redirect:
        participant = await HackParticipant.objects().where(HackParticipant.id == participant_id).first()
        if participant is None or participant.edition != edition_id:
            raise NotFound(_("This participant does not exist."))
        return await self._do(edition_id, lambda: registration.withdraw(participant), "participants")

    @get("/{edition_id:int}/formation")
    async def formation_preview(self, edition_id: int) -> Template:
        edition = await get_edition(edition_id)
        try:
            seen = await formation.preview(edition.id)
            problems: dict[str, str] = {}
        except ValidationFailed as exc:
            seen, problems = None, exc.errors
        return _page(
            "hackathon/staff_formation.html",
            edition=edition,
            event=await event_of(edition),
            seen=seen,
            errors=problems,
            render_message=lambda m: m.render(_),
        )

    @post("/{edition_id:int}/formation")
    async def formation_apply(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        return await self._do(
            edition_id, lambda: formation.apply(edition_id, form.get("key", "")), "formation"
        )

    @post("/{edition_id:int}/jury")
    async def jury(self, edition_id: int) -> Template | Redirect:
        async def start() -> None:
            round_ = await judging.open_round(edition_id)
            await rounds.assign_round(round_.id)

        edition = await get_edition(edition_id)
        response = await self._do(edition_id, start, "jury")
        if isinstance(response, Redirect):
            edition = await get_edition(edition.id)
            return _back(f"/staff/juries/{edition.jury_call}")
        return response

    @post("/{edition_id:int}/mentors")
    async def add_slot(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        data = {k: v for k, v in form.items() if k in mentors.FIELDS and v != ""}
        return await self._do(edition_id, lambda: mentors.offer_slot(edition_id, data), "mentor_name")

    @get("/{edition_id:int}/pitch")
    async def pitch(self, edition_id: int) -> Template:
        edition = await get_edition(edition_id)
        return _page(
            "hackathon/staff_pitch.html",
            edition=edition,
            event=await event_of(edition),
            sheet=await judging.pitch_sheet(edition.id),
        )

    @post("/{edition_id:int}/pitch")
    async def pitch_order(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        edition = await get_edition(edition_id)
        try:
            if form.get("pitch_starts_at"):
                await editions.update_edition(edition.id, {"pitch_starts_at": form["pitch_starts_at"]})
            await judging.set_pitch_order(edition.id, form.get("order", ""))
        except ValidationFailed as exc:
            return _page(
                "hackathon/staff_pitch.html",
                status_code=422,
                edition=edition,
                event=await event_of(edition),
                sheet=await judging.pitch_sheet(edition.id),
                errors=exc.errors,
            )
        return _back(f"/staff/hackathon/{edition_id}/pitch")

    @post("/{edition_id:int}/submissions/{submission_id:int}/accompany")
    async def accompany(self, request: Request, edition_id: int, submission_id: int) -> Template | Redirect:
        form = await form_data(request)
        sub = await Submission.objects().where(Submission.id == submission_id).first()
        if sub is None or (await teams.get_team(sub.team)).edition != edition_id:
            raise NotFound(_("This submission does not exist."))
        created: list[Any] = []

        async def act() -> None:
            created.append(await accompany.accompany(submission_id, form))

        response = await self._do(edition_id, act, f"accompany-{submission_id}")
        if created:
            return _back(f"/staff/projects/{created[0].project.id}")
        return response

    @post("/{edition_id:int}/results")
    async def publish(self, request: Request, edition_id: int) -> Template | Redirect:
        form = await form_data(request)
        return await self._do(
            edition_id, lambda: judging.publish_results(edition_id, form.get("published") != "0"), "results"
        )


ROUTES = [HackathonPages, StaffHackathonPages]
