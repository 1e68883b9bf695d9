"""Juries pages (thin): the juror's page (phone first, blind: only the fields the call shows), the still
images, and the staff selection page (close a round, see the results, select, build and publish)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import attendee_email, current_staff, staff_guard
from juries import (
    calls,
    eligibility,
    jurors,
    programme_editor,
    recusals,
    results,
    rounds,
    screening,
    submissions,
)
from juries.labels import CRITERION_LABELS, GENRE_LABELS
from juries.tables import GENRES, Entry, Juror, Round, ScreeningProgramme
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from web.controllers.staff_common import form_data, render

VERDICT_LABELS = {"yes": lambda: _("Yes"), "maybe": lambda: _("Maybe"), "no": lambda: _("No")}
ROUND_STATUS_LABELS = {"open": lambda: _("open"), "closed": lambda: _("closed")}
ENTRY_STATUS_LABELS = {
    "received": lambda: _("received"),
    "eligible": lambda: _("eligible"),
    "in_selection": lambda: _("in selection"),
    "selected": lambda: _("selected"),
    "not_selected": lambda: _("not selected"),
    "withdrawn": lambda: _("withdrawn"),
}
FORM_FIELDS = (
    "title",
    "original_title",
    "directors",
    "coproducers",
    "genre",
    "runtime",
    "year",
    "language",
    "subtitles",
    "synopsis_fr",
    "synopsis_en",
    "screener_url",
    "screener_password",
)


def _label(table: dict[str, Any], key: str) -> str:
    return table[key]() if key in table else key.replace("_", " ")


def _page(template: str, status_code: int = 200, **context: Any) -> Template:
    page = render(
        template,
        status_code=status_code,
        genre_label=lambda g: _label(GENRE_LABELS, g),
        criterion_label=lambda c: _label(CRITERION_LABELS, c),
        verdict_label=lambda v: _label(VERDICT_LABELS, v),
        round_status_label=lambda s: _label(ROUND_STATUS_LABELS, s),
        entry_status_label=lambda s: _label(ENTRY_STATUS_LABELS, s),
        locale=get_locale(),
        **context,
    )
    page.media_type = MediaType.HTML
    return page


def content_type_of(upload: Any) -> str:
    return str(getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()


def _back(url: str) -> Redirect:
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


class JurorPages(Controller):
    path = "/juries"
    include_in_schema = False

    async def _jury(self, request: Request, call_id: int, **extra: Any) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back(f"/auth/link?next={quote(request.url.path, safe='/')}")
        call = await calls.get_call(call_id)
        juror = await jurors.juror_for(call.id, email)
        round_ = await rounds.open_round_of(call.id)
        work = await rounds.juror_round(juror, round_) if round_ else None
        return _page("juries/jury.html", call=call, work=work, **extra)

    @get("/{call_id:int}/jury")
    async def jury(self, request: Request, call_id: int, saved: str = "") -> Template | Redirect:
        return await self._jury(request, call_id, flash=_("Your rating is saved.") if saved else "")

    @post("/{call_id:int}/jury/{round_id:int}/{entry_id:int}")
    async def rate(self, request: Request, call_id: int, round_id: int, entry_id: int) -> Template | Redirect:
        email = attendee_email(request)
        juror = await jurors.juror_for(call_id, email)
        form = await form_data(request)
        data: dict[str, Any] = {"comment": form.get("comment", "")}
        marks = {k[5:]: v for k, v in form.items() if k.startswith("mark_")}
        if marks:
            data["marks"] = marks
        for key in ("verdict", "rank"):
            if key in form:
                data[key] = form[key]
        round_ = await rounds.get_round(round_id)
        if round_.kind == "yes_no":
            data.setdefault("verdict", "")
        try:
            await rounds.record_score(juror, round_id, entry_id, data)
        except ValidationFailed as exc:
            return await self._jury(request, call_id, errors=exc.errors)
        return _back(f"/juries/{call_id}/jury?saved=1#entry-{entry_id}")

    @post("/{call_id:int}/jury/recusals/{entry_id:int}")
    async def recuse(self, request: Request, call_id: int, entry_id: int) -> Template | Redirect:
        juror = await jurors.juror_for(call_id, attendee_email(request))
        form = await form_data(request)
        try:
            await recusals.declare(juror, entry_id, {"reason": form.get("reason", "")})
        except ValidationFailed as exc:
            return await self._jury(request, call_id, errors=exc.errors)
        return _back(f"/juries/{call_id}/jury")

    @get("/{call_id:int}/submit")
    async def submit_form(self, request: Request, call_id: int) -> Template | Redirect:
        if not attendee_email(request):
            return _back(f"/auth/link?next={quote(request.url.path, safe='/')}")
        call = await calls.get_call(call_id)
        return _page("juries/submit.html", call=call, form={"genre": "documentary"}, genres=GENRES)

    @post("/{call_id:int}/submit")
    async def submit(self, request: Request, call_id: int) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back(f"/auth/link?next={quote(request.url.path, safe='/')}")
        call = await calls.get_call(call_id)
        form = await request.form()
        values = {k: str(form.get(k) or "").strip() for k in FORM_FIELDS}
        data: dict[str, Any] = {**values, "rights_cleared": bool(form.get("rights_cleared"))}
        still = form.get("still")
        content = await still.read() if still is not None and not isinstance(still, str) else b""
        try:
            if content and content_type_of(still) not in submissions.STILL_TYPES:
                raise ValidationFailed.one("still", _("The still must be a JPEG or PNG image."))
            entry = await submissions.submit_entry(call.id, email, data)
            if content:
                await submissions.save_still(entry.id, email, content_type_of(still), content)
        except ValidationFailed as exc:
            return _page(
                "juries/submit.html", status_code=422, call=call, form=data, genres=GENRES, errors=exc.errors
            )
        return _back(f"/juries/{call.id}/entries/{entry.id}?received=1")

    @get("/{call_id:int}/entries/{entry_id:int}")
    async def entry_page(
        self, request: Request, call_id: int, entry_id: int, received: str = ""
    ) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back(f"/auth/link?next={quote(request.url.path, safe='/')}")
        entry = await submissions.own_entry(entry_id, email)
        if entry.call != call_id:
            raise NotFound(_("This entry does not exist."))
        call = await calls.get_call(call_id)
        flash = _("Your film is received: a confirmation is on its way by email.") if received else ""
        checked = await eligibility.check(call, entry)
        return _page(
            "juries/entry.html",
            call=call,
            entry=await submissions.entry_json(entry),
            gaps=checked.gaps if entry.status == "received" else (),
            path=eligibility.PATH,
            flash=flash,
        )

    @get("/{call_id:int}/catalogue")
    async def catalogue(self, call_id: int) -> Template:
        """The buyers' catalogue of the published programme (FR/EN by the page's language)."""
        call = await calls.get_call(call_id)
        return _page("juries/catalogue.html", call=call, films=await screening.published_catalogue(call.id))

    @get("/{call_id:int}/catalogue/stills/{entry_id:int}")
    async def catalogue_still(self, call_id: int, entry_id: int) -> Response[bytes]:
        films = await screening.published_catalogue(call_id)
        entry = await Entry.objects().where(Entry.id == entry_id).first()
        content = submissions.still_bytes(entry) if entry else None
        if entry is None or content is None or entry_id not in {f["entry"]["id"] for f in films}:
            raise NotFound(_("This entry does not exist."))
        return Response(
            content, media_type=entry.still_type, headers={"cache-control": "public, max-age=300"}
        )

    @get("/stills/{entry_id:int}")
    async def still(self, request: Request, entry_id: int) -> Response[bytes]:
        """The still of an entry: for staff, its submitter, and the jurors it is assigned to."""
        entry = await Entry.objects().where(Entry.id == entry_id).first()
        if entry is None or not entry.still_name:
            raise NotFound(_("This entry does not exist."))
        email = attendee_email(request)
        allowed = await current_staff(request) is not None or email == entry.submitter_email
        if not allowed and email:
            allowed = await Juror.exists().where(
                (Juror.call == entry.call) & (Juror.email == email) & Juror.active.eq(True)
            )
        content = submissions.still_bytes(entry) if allowed else None
        if content is None:
            raise NotFound(_("This entry does not exist."))
        return Response(
            content, media_type=entry.still_type, headers={"cache-control": "private, max-age=300"}
        )


class StaffJuryPages(Controller):
    path = "/staff/juries"
    guards = [staff_guard]
    include_in_schema = False

    async def _call_page(self, call_id: int, **extra: Any) -> Template:
        call = await calls.get_call(call_id)
        entries = await submissions.entries_of_call(call.id)
        all_rounds = await Round.objects().where(Round.call == call.id).order_by(Round.number)
        res = {r.id: await results.round_results(r.id) for r in all_rounds if r.status == "closed"}
        programme = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call.id).first()
        call_jurors = await jurors.jurors_of(call.id)
        return _page(
            "juries/staff_call.html",
            call=call,
            entries=entries,
            jurors=call_jurors,
            recusals=await recusals.recusals_of_call(call.id),
            juror_names={j.id: j.name for j in call_jurors},
            entry_titles={e.id: e.title for e in entries},
            rounds=all_rounds,
            results=res,
            selected=[e for e in entries if e.status == "selected"],
            programme=programme,
            **extra,
        )

    @get("/")
    async def calls_page(self) -> Template:
        return _page("juries/staff_calls.html", calls=await calls.list_calls())

    @get("/{call_id:int}")
    async def call_page(self, call_id: int) -> Template:
        return await self._call_page(call_id)

    @post("/{call_id:int}/jurors")
    async def invite(self, request: Request, call_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await jurors.invite_juror(call_id, {k: form.get(k, "") for k in ("email", "name", "locale")})
        except (ValidationFailed, Conflict) as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else {"email": str(exc)}
            return await self._call_page(call_id, errors=errors)
        return _back(f"/staff/juries/{call_id}")

    @post("/{call_id:int}/rounds")
    async def open_round(self, request: Request, call_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            round_ = await rounds.create_round(call_id, {"kind": form.get("kind", "rubric")})
            await rounds.assign_round(round_.id, form.get("k") or None)
        except (ValidationFailed, Conflict) as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else {"round": str(exc)}
            return await self._call_page(call_id, errors=errors)
        return _back(f"/staff/juries/{call_id}")

    @post("/{call_id:int}/rounds/{round_id:int}/close")
    async def close(self, request: Request, call_id: int, round_id: int) -> Redirect:
        user = await current_staff(request)
        await rounds.close_round(round_id, user.email if user else "")
        return _back(f"/staff/juries/{call_id}")

    @post("/{call_id:int}/rounds/{round_id:int}/select")
    async def select(self, request: Request, call_id: int, round_id: int) -> Template | Redirect:
        user = await current_staff(request)
        form = await form_data(request)
        try:
            await results.decide(
                round_id, {"outcome": "selected", "top": form.get("top", "")}, user.email if user else ""
            )
        except ValidationFailed as exc:
            return await self._call_page(call_id, errors=exc.errors)
        return _back(f"/staff/juries/{call_id}")

    @get("/{call_id:int}/programme")
    async def programme_page(self, call_id: int, saved: str = "") -> Template:
        return await self._programme_page(call_id, flash=_("Saved.") if saved else "")

    async def _programme_page(self, call_id: int, status_code: int = 200, **extra: Any) -> Template:
        call = await calls.get_call(call_id)
        return _page(
            "juries/staff_programme.html",
            status_code=status_code,
            call=call,
            view=await programme_editor.programme_view(call.id),
            clock=lambda seconds: f"{seconds // 60}:{seconds % 60:02d}",
            **extra,
        )

    @post("/{call_id:int}/programme/edit")
    async def edit_programme(self, request: Request, call_id: int) -> Template | Redirect:
        """One edit of the draft (buttons and forms of the page; the drag script posts `reorder`)."""
        form = await form_data(request)
        action = form.get("action", "")
        if ":" in action:  # a row's button: "up:12"
            action, form["entry"] = action.split(":", 1)
        try:
            await programme_editor.edit(call_id, action, form)
        except ValidationFailed as exc:
            return await self._programme_page(call_id, status_code=422, errors=exc.errors)
        anchor = f"#film-{form['entry']}" if form.get("entry", "").isdigit() else ""
        return _back(f"/staff/juries/{call_id}/programme?saved=1{anchor}")

    @post("/{call_id:int}/programme/build")
    async def build(self, call_id: int) -> Template:
        draft, _programme = await programme_editor.saved_draft(call_id)
        rules = {k: v for k, v in (draft.rules if draft else {}).items() if k in screening.RULE_FIELDS}
        try:
            built = await screening.build(call_id, rules)
        except ValidationFailed as exc:
            return await self._call_page(call_id, errors=exc.errors)
        errors = {"programme": " ".join(built["problems"])} if not built["alternatives"] else {}
        return await self._call_page(call_id, alternatives=built["alternatives"], errors=errors)

    @post("/{call_id:int}/programme/publish")
    async def publish(self, call_id: int, request: Request) -> Template | Redirect:
        """Publish an alternative as it is (`order` given) or the edited draft."""
        form = await form_data(request)
        order = [int(x) for x in form.get("order", "").split(",") if x.strip().isdigit()]
        try:
            if order:
                draft, _programme = await programme_editor.saved_draft(call_id)
                rules = {
                    k: v for k, v in (draft.rules if draft else {}).items() if k in screening.RULE_FIELDS
                }
                await screening.save_order(call_id, {**rules, "order": order})
            published = await screening.publish(call_id)
        except (ValidationFailed, Conflict) as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else {"order": str(exc)}
            if order:
                return await self._call_page(call_id, errors=errors)
            return await self._programme_page(call_id, status_code=422, errors=errors)
        return _back(f"/events/{published['event_slug']}")


ROUTES = [JurorPages, StaffJuryPages]
