"""Stand pages (thin: the rules live in the stands.* capability modules).

Public: /stands/{event_id} (plan SVG + list view), /stands/{event_id}/exhibitors (catalogue FR/EN).
Exhibitors (signed in by email link): /stands/{event_id}/stand/{stand_id} (request form), /stands/bookings.
Staff: /staff/stands/{event_id} (plan with who/paid, decisions, editor, exports), /staff/stands/fairs.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import attendee_email, current_staff, staff_guard
from lib import csv_export
from lib.clock import local_today
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from lib.settings import get_settings
from lib.templating import fmt_money
from members.tables import Organisation
from stands import badges, billing, booking, exhibitors, floorplan, subsidies
from stands.tables import (
    Badge,
    Booking,
    BookingOption,
    BookingShare,
    ExhibitorProfile,
    Stand,
    StandOption,
    TradeFair,
)
from ticketing import payments
from ticketing.pages import invoice_payment_page
from ticketing.tables import Invoice
from web.controllers.staff_common import form_data, render


@lru_cache(maxsize=4096)
def _money_in(cents: int, locale: str) -> str:
    return fmt_money(cents)


def money(cents: int) -> str:
    """fmt_money, remembered per amount and language: a 300-stand list repeats a handful of prices."""
    return _money_in(cents, get_locale())


def _page(template: str, status_code: int = 200, **context: Any) -> Template:
    page = render(
        template,
        status_code=status_code,
        state_label=floorplan.state_label,
        booking_status_label=booking.status_label,
        open_sides_label=floorplan.open_sides_label,
        feature_label=floorplan.feature_label,
        money=money,
        **context,
    )
    page.media_type = MediaType.HTML
    return page


def _back(url: str) -> Redirect:
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="{filename}"'},
    )


def _csv(rows: list[list[Any]], filename: str) -> Response[bytes]:
    """French Excel CSV; cells a spreadsheet would run as formulas are neutralised (lib.csv_export)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([[csv_export.neutralise(str(c)) for c in row] for row in rows])
    return csv_export.response(("\ufeff" + out.getvalue()).encode("utf-8"), filename)


async def _member_organisations() -> list[dict[str, Any]]:
    return await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)


class StandPages(Controller):
    path = "/stands"
    include_in_schema = False

    @get("/{event_id:int}", name="stands-plan")
    async def plan(self, request: Request, event_id: int) -> Template:
        view = await floorplan.load(event_id)
        svg = floorplan.render_svg(view, link=f"/stands/{event_id}/stand/{{id}}")
        return _page(
            "stands/plan.html",
            view=view,
            svg=svg,
            email=attendee_email(request),
            flash=request.query_params.get("flash"),
        )

    @get("/{event_id:int}/exhibitors", name="stands-catalogue")
    async def catalogue(self, event_id: int) -> Template:
        view = await floorplan.load(event_id)
        entries = await exhibitors.catalogue(event_id)
        return _page(
            "stands/catalogue.html", view=view, entries=entries, svg=floorplan.render_svg(view, names=True)
        )

    @get("/{event_id:int}/stand/{stand_id:int}", name="stands-book")
    async def book_form(self, request: Request, event_id: int, stand_id: int) -> Template:
        return await self._book_page(request, event_id, stand_id, {}, {})

    async def _book_page(
        self,
        request: Request,
        event_id: int,
        stand_id: int,
        errors: dict[str, str],
        data: dict[str, Any],
        status_code: int = 200,
    ) -> Template:
        view = await floorplan.load(event_id)
        stand = next((s for s in view.stands if s["id"] == stand_id), None)
        if stand is None:
            raise NotFound(_("This stand does not exist."))
        email = attendee_email(request)
        standing = None
        if email:
            from members.standing import membership_standing

            standing = await membership_standing(email=email)
        return _page(
            "stands/book.html",
            status_code=status_code,
            view=view,
            stand=stand,
            email=email,
            standing=standing,
            errors=errors,
            data=data,
            organisations=await _member_organisations(),
            login_url=f"/auth/link?next={quote(f'/stands/{event_id}/stand/{stand_id}')}",
        )

    @post("/{event_id:int}/stand/{stand_id:int}", name="stands-book-post")
    async def book(self, request: Request, event_id: int, stand_id: int) -> Template | Redirect:
        form = await form_data(request)
        view = await floorplan.load(event_id)
        chosen = []
        for o in view.options:
            qty = form.get(f"option_{o['id']}", "")
            if qty and qty != "0":
                chosen.append({"option": o["id"], "quantity": qty})
        data: dict[str, Any] = {
            "options": chosen,
            "note": form.get("note", ""),
            "organisation_name": form.get("organisation_name", ""),
        }
        if form.get("co_organisation"):
            data["share_percent"] = form.get("share_percent", "")
            data["co_exhibitors"] = [
                {"organisation": form["co_organisation"], "percent": form.get("co_percent", "")}
            ]
        try:
            await booking.request_stand(event_id, stand_id, email=attendee_email(request), data=data)
        except ValidationFailed as exc:
            return await self._book_page(request, event_id, stand_id, exc.errors, form, 422)
        except DomainError as exc:
            return await self._book_page(
                request, event_id, stand_id, {"__all__": str(exc)}, form, exc.status_code
            )
        return _back("/stands/bookings?flash=held")

    @post("/{event_id:int}/waiting/{category_id:int}", name="stands-wait")
    async def wait(self, request: Request, event_id: int, category_id: int) -> Redirect:
        await booking.join_waiting_list(category_id, email=attendee_email(request))
        return _back(f"/stands/{event_id}?flash=waiting")

    @get("/logo/{profile_id:int}", name="stands-logo")
    async def logo(self, profile_id: int) -> Response[bytes]:
        content, mime = await exhibitors.logo(profile_id)
        return Response(
            content,
            media_type=mime,
            headers={"x-content-type-options": "nosniff", "cache-control": "public, max-age=300"},
        )

    @get("/bookings", name="stands-mine")
    async def mine(self, request: Request, paid: int | None = None) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return _back("/auth/link?next=/stands/bookings")
        paid_flash = ""
        if paid is not None:  # back from Stripe's Payment Element: ask Stripe (the webhook may be late)
            share = await badges.get_share(paid)
            if not await booking.may_act(share.booking, email):
                raise NotFound(_("This booking does not exist."))
            try:
                done = await billing.sync_card_payment(share.id)
            except payments.PaymentUnavailable:
                done = False
            paid_flash = (
                _("Thank you: your stand invoice is paid.")
                if done
                else _("The payment is not confirmed yet: reload this page in a moment.")
            )
        items = []
        for summary in await booking.bookings_of(email):
            b = await Booking.objects().where(Booking.id == summary.id).first()
            profiles = {
                p["share"]: p
                for p in await ExhibitorProfile.select().where(ExhibitorProfile.share.booking == summary.id)
            }
            items.append(
                {
                    "summary": summary,
                    "booking": b,
                    "profiles": profiles,
                    "badges": await badges.badges_of(summary.id),
                    "quota": await badges.quota(summary.id),
                }
            )
        flash = {
            "held": _("Your request is registered: the stand is held for you until staff answer."),
            "saved": _("Saved."),
        }.get(request.query_params.get("flash", ""), paid_flash)
        errors = {}
        if request.query_params.get("error"):
            errors["__all__"] = request.query_params["error"]
        return _page(
            "stands/bookings.html",
            items=items,
            email=email,
            flash=flash,
            errors=errors,
            card=payments.online_payment_enabled(),
        )

    @post("/shares/{share_id:int}/pay", name="stands-pay")
    async def pay(self, request: Request, share_id: int) -> Template | Redirect:
        """The card payment page of a share's invoice (from a POST: starting a payment is not a GET)."""
        email = attendee_email(request)
        share = await badges.get_share(share_id)
        if not email or not await booking.may_act(share.booking, email):
            raise NotFound(_("This booking does not exist."))
        if not payments.online_payment_enabled() or share.paid_at is not None or share.invoice is None:
            return _back("/stands/bookings")
        try:
            secret = await billing.start_card_payment(share.id)
        except payments.PaymentUnavailable:
            secret = ""
        except DomainError as exc:  # paid meanwhile, or cancelled
            return _back(f"/stands/bookings?error={quote(str(exc))}")
        number = await Invoice.select(Invoice.number).where(Invoice.id == share.invoice).first()
        stand = (
            await Booking.select(Booking.stand.number.as_alias("number"))
            .where(Booking.id == share.booking)
            .first()
        )
        return invoice_payment_page(
            title=_("Stand %(number)s", number=stand["number"] if stand else ""),
            payer=share.name,
            invoice_number=number["number"] if number else "",
            amount_ttc_cents=share.amount_ttc_cents,
            client_secret=secret,
            return_url=f"{get_settings().base_url}/stands/bookings?paid={share.id}",
            back_url="/stands/bookings",
            back_label=_("Back to my stands"),
        )

    @get("/fairs", name="stands-fairs")
    async def fairs(self, request: Request) -> Template | Redirect:
        """A member's trade fairs: the upcoming ones, declare or withdraw, its support and remaining cost."""
        email = attendee_email(request)
        if not email:
            return _back("/auth/link?next=/stands/fairs")
        try:
            fairs = await subsidies.member_fairs(email)
        except ValidationFailed as exc:
            return _page("stands/fairs.html", status_code=200, fairs=[], errors=exc.errors, linked=False)
        flash = {
            "going": _("Noted: your structure goes to this fair."),
            "withdrawn": _("Noted: your structure no longer goes to this fair."),
        }.get(request.query_params.get("flash", ""), "")
        errors = {"__all__": request.query_params["error"]} if request.query_params.get("error") else {}
        return _page("stands/fairs.html", fairs=fairs, flash=flash, errors=errors, linked=True)

    @post("/fairs/{fair_id:int}/going", name="stands-fairs-going")
    async def fair_going(self, request: Request, fair_id: int) -> Redirect:
        form = await form_data(request)
        try:
            await subsidies.declare_as_member(
                fair_id, email=attendee_email(request), shares_stand=form.get("shares_stand", "")
            )
        except ValidationFailed as exc:
            return _back(f"/stands/fairs?error={quote('; '.join(exc.errors.values()))}")
        return _back(f"/stands/fairs?flash=going#fair-{fair_id}")

    @post("/fairs/{fair_id:int}/withdraw", name="stands-fairs-withdraw")
    async def fair_withdraw(self, request: Request, fair_id: int) -> Redirect:
        try:
            await subsidies.withdraw_as_member(fair_id, email=attendee_email(request))
        except ValidationFailed as exc:
            return _back(f"/stands/fairs?error={quote('; '.join(exc.errors.values()))}")
        return _back(f"/stands/fairs?flash=withdrawn#fair-{fair_id}")

    @post("/bookings/{booking_id:int}/cancel", name="stands-cancel")
    async def cancel(self, request: Request, booking_id: int) -> Redirect:
        try:
            await booking.cancel(booking_id, by_staff=False, email=attendee_email(request))
        except DomainError as exc:
            return _back(f"/stands/bookings?error={quote(str(exc))}")
        return _back("/stands/bookings?flash=saved")

    @post("/exhibitors/{profile_id:int}", name="stands-profile")
    async def profile(self, request: Request, profile_id: int) -> Redirect:
        form = await form_data(request)
        try:
            await exhibitors.update_profile(profile_id, form, email=attendee_email(request))
        except DomainError as exc:
            return _back(f"/stands/bookings?error={quote(str(exc))}")
        return _back("/stands/bookings?flash=saved")

    @post("/exhibitors/{profile_id:int}/logo", name="stands-logo-upload")
    async def upload_logo(
        self,
        request: Request,
        profile_id: int,
        data: dict[str, UploadFile] = Body(media_type=RequestEncodingType.MULTI_PART),  # noqa: B008
    ) -> Redirect:
        upload = data.get("logo")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        try:
            await exhibitors.set_logo(profile_id, content, email=attendee_email(request))
        except DomainError as exc:
            return _back(f"/stands/bookings?error={quote(str(exc))}")
        return _back("/stands/bookings?flash=saved")

    @post("/shares/{share_id:int}/badges", name="stands-badges")
    async def add_badges(self, request: Request, share_id: int) -> Redirect:
        form = await form_data(request)
        names = [n.strip() for n in form.get("names", "").splitlines() if n.strip()]
        try:
            await badges.issue(share_id, names, email=attendee_email(request))
        except DomainError as exc:
            return _back(f"/stands/bookings?error={quote(str(exc))}")
        return _back("/stands/bookings?flash=saved")

    @get("/shares/{share_id:int}/invoice.pdf", name="stands-invoice")
    async def invoice(self, request: Request, share_id: int) -> Response[bytes]:
        share = await badges.get_share(share_id)
        if await current_staff(request) is None and not await booking.may_act(
            share.booking, attendee_email(request)
        ):
            raise NotFound(_("This invoice does not exist."))
        number, pdf = await billing.invoice_pdf(share_id)
        return _pdf(pdf, f"{number}.pdf")


class StaffStandPages(Controller):
    path = "/staff/stands"
    include_in_schema = False
    guards = [staff_guard]

    @get("/", name="staff-stands-index")
    async def index(self) -> Template:
        from events.tables import Event
        from stands.tables import FloorPlan

        with_plan = {r["event"] for r in await FloorPlan.select(FloorPlan.event)}
        events = (
            await Event.select(Event.id, Event.title, Event.title_en, Event.starts_at, Event.kind)
            .where(Event.kind == "mima")
            .order_by(Event.starts_at, ascending=False)
        )
        return _page("stands/staff_index.html", events=events, with_plan=with_plan)

    @get("/fairs", name="staff-fairs")
    async def fairs(self, request: Request, year: int | None = None) -> Template:
        year = year or local_today().year
        supports = await subsidies.yearly(year)
        return _page(
            "stands/staff_fairs.html",
            supports=supports,
            year=year,
            organisations=await _member_organisations(),
            total=sum(s.total_subsidy_cents for s in supports),
            flash=request.query_params.get("flash"),
            fairs={f.id: f for f in await TradeFair.objects()},
        )

    @post("/fairs", name="staff-fairs-create")
    async def create_fair(self, request: Request) -> Template | Redirect:
        form = await form_data(request)
        euros = {}
        for field in ("accreditation", "shared_stand"):
            raw = form.get(f"{field}_eur", "").replace(",", ".").replace(" ", "")
            try:
                euros[f"{field}_cents"] = (
                    round(float(raw) * 100) if raw else ("" if field == "shared_stand" else None)
                )
            except ValueError:
                euros[f"{field}_cents"] = "x"
        try:
            fair = await subsidies.save_fair({**form, **euros})
        except ValidationFailed as exc:
            supports = await subsidies.yearly(local_today().year)
            return _page(
                "stands/staff_fairs.html",
                status_code=422,
                supports=supports,
                year=local_today().year,
                errors=exc.errors,
                organisations=await _member_organisations(),
                total=0,
                fairs={},
                data=form,
            )
        return _back(f"/staff/stands/fairs?year={fair.starts_on.year}")

    @post("/fairs/{fair_id:int}/participants", name="staff-fairs-participant")
    async def add_participant(self, request: Request, fair_id: int) -> Redirect:
        form = await form_data(request)
        fair = await subsidies.get_fair(fair_id)
        await subsidies.declare(
            fair_id, organisation_id=form.get("organisation"), shares_stand=form.get("shares_stand", "")
        )
        return _back(f"/staff/stands/fairs?year={fair.starts_on.year}")

    @get("/fairs/support.csv", name="staff-fairs-csv")
    async def fairs_csv(self, year: int | None = None) -> Response[bytes]:
        year = year or local_today().year
        text = subsidies.support_csv(await subsidies.yearly(year))
        return csv_export.response(("\ufeff" + text).encode("utf-8"), f"soutien-salons-{year}.csv")

    @get("/{event_id:int}", name="staff-stands")
    async def plan(self, request: Request, event_id: int) -> Template:
        try:
            view = await floorplan.load(event_id)
        except NotFound:
            event = await floorplan.get_event(event_id)
            return _page("stands/staff_plan.html", view=None, event=event, flash=None)
        bookings = await Booking.select().where(Booking.event == event_id).order_by(Booking.id)
        shares = (
            await BookingShare.select()
            .where(BookingShare.booking.event == event_id)
            .order_by(BookingShare.id)
        )
        numbers = {s["id"]: s["number"] for s in view.stands}
        for b in bookings:
            b["stand_number"] = numbers.get(b["stand"], "")
            b["shares"] = [s for s in shares if s["booking"] == b["id"]]
            b["options"] = await BookingOption.select(
                BookingOption.quantity, BookingOption.option.name.as_alias("name")
            ).where(BookingOption.booking == b["id"])
        return _page(
            "stands/staff_plan.html",
            view=view,
            event=view.event,
            svg=floorplan.render_svg(view, names=True),
            bookings=bookings,
            organisations=await _member_organisations(),
            flash=request.query_params.get("flash"),
            errors={"__all__": request.query_params["error"]} if request.query_params.get("error") else {},
        )

    @post("/{event_id:int}/plan", name="staff-stands-plan")
    async def save_plan(self, request: Request, event_id: int) -> Redirect:
        form = await form_data(request)
        form["members_only"] = form.get("members_only", "")
        return await self._do(event_id, floorplan.save_plan(event_id, form))

    @post("/{event_id:int}/categories", name="staff-stands-category")
    async def add_category(self, request: Request, event_id: int) -> Redirect:
        return await self._do(event_id, floorplan.add_category(event_id, await form_data(request)))

    @post("/{event_id:int}/stands", name="staff-stands-add")
    async def add_stand(self, request: Request, event_id: int) -> Redirect:
        return await self._do(event_id, floorplan.save_stand(event_id, await form_data(request)))

    @post("/{event_id:int}/features", name="staff-stands-feature")
    async def add_feature(self, request: Request, event_id: int) -> Redirect:
        return await self._do(event_id, floorplan.save_feature(event_id, await form_data(request)))

    @post("/{event_id:int}/options", name="staff-stands-option")
    async def add_option(self, request: Request, event_id: int) -> Redirect:
        from stands import options

        return await self._do(event_id, options.save_option(event_id, await form_data(request)))

    @post("/{event_id:int}/assign", name="staff-stands-assign")
    async def assign(self, request: Request, event_id: int) -> Redirect:
        form = await form_data(request)
        staff = await current_staff(request)
        return await self._do(
            event_id,
            booking.assign(event_id, form.get("stand"), form, staff_email=staff.email if staff else ""),
        )

    @post("/{event_id:int}/bookings/{booking_id:int}/{action:str}", name="staff-stands-decide")
    async def decide(self, request: Request, event_id: int, booking_id: int, action: str) -> Redirect:
        form = await form_data(request)
        actions = {
            "approve": lambda: booking.approve(booking_id),
            "refuse": lambda: booking.refuse(booking_id, form.get("reason", "")),
            "cancel": lambda: booking.cancel(booking_id, by_staff=True),
        }
        if action not in actions:
            raise NotFound(_("Unknown action."))
        return await self._do(event_id, actions[action]())

    @post("/{event_id:int}/shares/{share_id:int}/paid", name="staff-stands-paid")
    async def paid(self, event_id: int, share_id: int) -> Redirect:
        return await self._do(event_id, billing.mark_paid(share_id))

    async def _do(self, event_id: int, action: Any) -> Redirect:
        try:
            await action
        except ValidationFailed as exc:
            return _back(
                f"/staff/stands/{event_id}?error={quote('; '.join(f'{k}: {v}' for k, v in exc.errors.items()))}"
            )
        except DomainError as exc:
            return _back(f"/staff/stands/{event_id}?error={quote(str(exc))}")
        return _back(f"/staff/stands/{event_id}?flash={quote(_('Saved.'))}")

    @get("/{event_id:int}/exhibitors.csv", name="staff-stands-exhibitors-csv")
    async def exhibitors_csv(self, event_id: int) -> Response[bytes]:
        rows: list[list[Any]] = [
            [
                _("Stand"),
                _("Exhibitor"),
                _("Email"),
                _("Share %"),
                _("Member price"),
                _("Total incl. VAT"),
                _("Invoice"),
                _("Paid"),
                _("Status"),
            ]
        ]
        shares = (
            await BookingShare.select(
                BookingShare.all_columns(),
                BookingShare.booking.stand.number.as_alias("number"),
                BookingShare.booking.status.as_alias("status"),
                BookingShare.invoice.number.as_alias("invoice_number"),
            )
            .where(BookingShare.booking.event == event_id)
            .order_by(BookingShare.id)
        )
        for s in shares:
            rows.append(
                [
                    s["number"],
                    s["name"],
                    s["email"],
                    f"{s['share_bp'] / 100:g}",
                    _("yes") if s["member_price"] else _("no"),
                    f"{s['amount_ttc_cents'] / 100:.2f}".replace(".", ","),
                    s["invoice_number"] or "",
                    _("yes") if s["paid_at"] else _("no"),
                    s["status"],
                ]
            )
        return _csv(rows, f"exposants-{event_id}.csv")

    @get("/{event_id:int}/badges.csv", name="staff-stands-badges-csv")
    async def badges_csv(self, event_id: int) -> Response[bytes]:
        rows: list[list[Any]] = [[_("Stand"), _("Exhibitor"), _("Name"), _("Ticket"), _("Status")]]
        for b in (
            await Badge.select(
                Badge.name,
                Badge.ticket,
                Badge.ticket.status.as_alias("status"),
                Badge.share.name.as_alias("exhibitor"),
                Badge.share.booking.stand.number.as_alias("number"),
            )
            .where(Badge.share.booking.event == event_id)
            .order_by(Badge.id)
        ):
            rows.append([b["number"], b["exhibitor"], b["name"], b["ticket"], b["status"]])
        return _csv(rows, f"badges-{event_id}.csv")

    @get("/{event_id:int}/plan.pdf", name="staff-stands-plan-pdf")
    async def plan_pdf(self, event_id: int) -> Response[bytes]:
        from stands.printing import plan_pdf

        view = await floorplan.load(event_id)
        return _pdf(plan_pdf(view), f"plan-{event_id}.pdf")

    @get("/{event_id:int}/setup/{share_id:int}/sheet.pdf", name="staff-stands-setup")
    async def setup_sheet(self, event_id: int, share_id: int) -> Response[bytes]:
        from stands.printing import setup_sheet

        share = await badges.get_share(share_id)
        b = await Booking.objects().where((Booking.id == share.booking) & (Booking.event == event_id)).first()
        if b is None:
            raise NotFound(_("This booking does not exist."))
        stand = await Stand.objects().where(Stand.id == b.stand).first()
        opts = [
            (localized(o, "name"), row["quantity"])
            for row in await BookingOption.select().where(BookingOption.booking == b.id)
            for o in await StandOption.select().where(StandOption.id == row["option"])
        ]
        names = [x["name"] for x in await badges.badges_of(b.id) if x["share"] == share.id]
        return _pdf(
            setup_sheet(await floorplan.get_event(event_id), share.name, stand, opts, names),
            f"installation-{share_id}.pdf",
        )


ROUTES: list[Any] = [StandPages, StaffStandPages]
