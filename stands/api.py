"""Stands JSON API (thin: the rules live in stands.floorplan/booking/options/billing/exhibitors/badges/subsidies).

Public: /api/stands/{event_id}/plan, /api/stands/{event_id}/exhibitors.
Exhibitors (signed in by a one-time email link): requests, their bookings, profile, logo, badges, waiting list,
trade fairs they go to. Staff: /api/stands/staff/... (plan editing, decisions, payments, trade fairs).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import attendee_email, current_staff, staff_guard
from lib import csv_export
from lib.clock import local_today
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _, localized
from stands import badges, billing, booking, exhibitors, floorplan, options, subsidies
from ticketing import payments


async def attendee_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if not attendee_email(connection):
        raise NotAuthorizedException("sign-in required")


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def plan_json(view: floorplan.PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        "event_id": view.event.id,
        "width_cm": plan.width_cm,
        "depth_cm": plan.depth_cm,
        "grid_cm": plan.grid_cm,
        "members_only": plan.members_only,
        "categories": [
            {
                k: c[k]
                for k in (
                    "id",
                    "name",
                    "name_en",
                    "pricing",
                    "member_price_cents",
                    "non_member_price_cents",
                    "badges_base",
                    "badges_per_m2",
                )
            }
            for c in view.categories.values()
        ],
        "stands": [
            {
                **{
                    k: s[k]
                    for k in (
                        "id",
                        "number",
                        "category",
                        "x_cm",
                        "y_cm",
                        "width_cm",
                        "depth_cm",
                        "open_sides",
                        "status",
                    )
                },
                "category_name": s["category_name"],
                "member_price_cents": s["member_price_cents"],
                "non_member_price_cents": s["non_member_price_cents"],
                "badges": s["badges"],
                "exhibitors": [e["name"] for e in s["exhibitors"] if e["status"] == "approved"],
            }
            for s in view.stands
        ],
        "features": [
            {k: f[k] for k in ("id", "kind", "label", "x_cm", "y_cm", "width_cm", "depth_cm")}
            for f in view.features
        ],
        "options": [
            {
                "id": o["id"],
                "code": o["code"],
                "name": localized(o, "name"),
                "price_cents": o["price_cents"],
                "left": o["left"],
            }
            for o in view.options
        ],
    }


class ServiceUnavailable(DomainError):
    status_code = 503


async def _own_share(request: Request, share_id: int) -> None:
    share = await badges.get_share(share_id)
    if not await booking.may_act(share.booking, attendee_email(request)):
        raise NotFound(_("This booking does not exist."))


class StandsPublicApi(Controller):
    path = "/api/stands"
    tags = ["stands"]

    @get("/{event_id:int}/plan", operation_id="getStandPlan")
    async def plan(self, event_id: int) -> dict[str, Any]:
        return plan_json(await floorplan.load(event_id))

    @get("/{event_id:int}/exhibitors", operation_id="listExhibitors")
    async def catalogue(self, event_id: int) -> list[dict[str, Any]]:
        return [dataclasses.asdict(e) for e in await exhibitors.catalogue(event_id)]


class StandsExhibitorApi(Controller):
    path = "/api/stands"
    tags = ["stands"]
    guards = [attendee_guard]

    @post(
        "/{event_id:int}/stands/{stand_id:int}/request",
        operation_id="requestStand",
        status_code=HTTP_201_CREATED,
    )
    async def request_stand(
        self, request: Request, event_id: int, stand_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        return _plain(
            await booking.request_stand(event_id, stand_id, email=attendee_email(request), data=data)
        )

    @get("/me/bookings", operation_id="myStandBookings")
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        return [_plain(b) for b in await booking.bookings_of(attendee_email(request))]

    @post("/bookings/{booking_id:int}/cancel", operation_id="cancelMyStandBooking", status_code=HTTP_200_OK)
    async def cancel(self, request: Request, booking_id: int) -> dict[str, Any]:
        return _plain(await booking.cancel(booking_id, by_staff=False, email=attendee_email(request)))

    @post(
        "/categories/{category_id:int}/waiting-list",
        operation_id="joinStandWaitingList",
        status_code=HTTP_201_CREATED,
    )
    async def wait(self, request: Request, category_id: int, data: dict[str, Any]) -> dict[str, Any]:
        name = data.get("name") if isinstance(data.get("name"), str) else ""
        return await booking.join_waiting_list(category_id, email=attendee_email(request), name=name or "")

    @patch("/exhibitors/{profile_id:int}", operation_id="updateExhibitorProfile")
    async def profile(self, request: Request, profile_id: int, data: dict[str, Any]) -> dict[str, Any]:
        p = await exhibitors.update_profile(profile_id, data, email=attendee_email(request))
        return {
            "id": p.id,
            "name": p.name,
            "activity": p.activity,
            "activity_en": p.activity_en,
            "website": p.website,
            "showcase_url": p.showcase_url,
        }

    @put("/exhibitors/{profile_id:int}/logo", operation_id="uploadExhibitorLogo", status_code=HTTP_200_OK)
    async def logo(self, request: Request, profile_id: int) -> dict[str, Any]:
        body = await request.body()
        return {"type": await exhibitors.set_logo(profile_id, body, email=attendee_email(request))}

    @post("/shares/{share_id:int}/badges", operation_id="issueExhibitorBadges", status_code=HTTP_201_CREATED)
    async def badges(self, request: Request, share_id: int, data: dict[str, Any]) -> list[dict[str, Any]]:
        return await badges.issue(share_id, data.get("names"), email=attendee_email(request))

    @post(
        "/shares/{share_id:int}/card-payment", operation_id="startStandCardPayment", status_code=HTTP_200_OK
    )
    async def card_payment(self, request: Request, share_id: int) -> dict[str, Any]:
        """A Stripe PaymentIntent for the share's invoice (TTC); confirm it with Stripe.js, then call sync."""
        await _own_share(request, share_id)
        try:
            return {"client_secret": await billing.start_card_payment(share_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc

    @post(
        "/shares/{share_id:int}/card-payment/sync",
        operation_id="syncStandCardPayment",
        status_code=HTTP_200_OK,
    )
    async def card_sync(self, request: Request, share_id: int) -> dict[str, Any]:
        await _own_share(request, share_id)
        try:
            return {"paid": await billing.sync_card_payment(share_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc

    @post("/fairs/{fair_id:int}/going", operation_id="declareTradeFair", status_code=HTTP_200_OK)
    async def going(self, request: Request, fair_id: int, data: dict[str, Any]) -> dict[str, Any]:
        await subsidies.declare_as_member(
            fair_id, email=attendee_email(request), shares_stand=data.get("shares_stand", False)
        )
        return _plain(await subsidies.fair_support(fair_id))


class StandsStaffApi(Controller):
    path = "/api/stands/staff"
    tags = ["stands"]
    guards = [staff_guard]

    @put("/{event_id:int}/plan", operation_id="saveStandPlan", status_code=HTTP_200_OK)
    async def save_plan(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        await floorplan.save_plan(event_id, data)
        return plan_json(await floorplan.load(event_id))

    @post("/{event_id:int}/categories", operation_id="addStandCategory", status_code=HTTP_201_CREATED)
    async def add_category(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await floorplan.add_category(event_id, data)

    @post("/{event_id:int}/stands", operation_id="addStand", status_code=HTTP_201_CREATED)
    async def add_stand(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await floorplan.save_stand(event_id, data)

    @patch("/{event_id:int}/stands/{stand_id:int}", operation_id="updateStand")
    async def update_stand(self, event_id: int, stand_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await floorplan.save_stand(event_id, data, stand_id)

    @delete("/{event_id:int}/stands/{stand_id:int}", operation_id="deleteStand", status_code=HTTP_200_OK)
    async def delete_stand(self, event_id: int, stand_id: int) -> dict[str, Any]:
        await floorplan.delete_stand(event_id, stand_id)
        return {"deleted": stand_id}

    @post("/{event_id:int}/features", operation_id="addPlanFeature", status_code=HTTP_201_CREATED)
    async def add_feature(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await floorplan.save_feature(event_id, data)

    @patch("/{event_id:int}/features/{feature_id:int}", operation_id="updatePlanFeature")
    async def update_feature(self, event_id: int, feature_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await floorplan.save_feature(event_id, data, feature_id)

    @delete(
        "/{event_id:int}/features/{feature_id:int}", operation_id="deletePlanFeature", status_code=HTTP_200_OK
    )
    async def delete_feature(self, event_id: int, feature_id: int) -> dict[str, Any]:
        await floorplan.delete_feature(event_id, feature_id)
        return {"deleted": feature_id}

    @post("/{event_id:int}/options", operation_id="addStandOption", status_code=HTTP_201_CREATED)
    async def add_option(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await options.save_option(event_id, data)

    @post(
        "/{event_id:int}/stands/{stand_id:int}/assign",
        operation_id="assignStand",
        status_code=HTTP_201_CREATED,
    )
    async def assign(
        self, request: Request, event_id: int, stand_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        staff = await current_staff(request)
        return _plain(
            await booking.assign(event_id, stand_id, data, staff_email=staff.email if staff else "")
        )

    @post("/bookings/{booking_id:int}/approve", operation_id="approveStandBooking", status_code=HTTP_200_OK)
    async def approve(self, booking_id: int) -> dict[str, Any]:
        return _plain(await booking.approve(booking_id))

    @post("/bookings/{booking_id:int}/refuse", operation_id="refuseStandBooking", status_code=HTTP_200_OK)
    async def refuse(self, booking_id: int, data: dict[str, Any]) -> dict[str, Any]:
        reason = data.get("reason", "")
        return _plain(await booking.refuse(booking_id, reason if isinstance(reason, str) else ""))

    @post("/bookings/{booking_id:int}/cancel", operation_id="cancelStandBooking", status_code=HTTP_200_OK)
    async def cancel(self, booking_id: int) -> dict[str, Any]:
        return _plain(await booking.cancel(booking_id, by_staff=True))

    @post("/shares/{share_id:int}/paid", operation_id="markStandSharePaid", status_code=HTTP_200_OK)
    async def paid(self, share_id: int) -> dict[str, Any]:
        share = await billing.mark_paid(share_id)
        return {"id": share.id, "paid_at": share.paid_at, "payment_method": share.payment_method}

    @post(
        "/shares/{share_id:int}/badges",
        operation_id="staffIssueExhibitorBadges",
        status_code=HTTP_201_CREATED,
    )
    async def badges(self, share_id: int, data: dict[str, Any]) -> list[dict[str, Any]]:
        return await badges.issue(share_id, data.get("names"), email=None, by_staff=True)

    @post("/fairs", operation_id="createTradeFair", status_code=HTTP_201_CREATED)
    async def create_fair(self, data: dict[str, Any]) -> dict[str, Any]:
        fair = await subsidies.save_fair(data)
        return {"id": fair.id, "name": fair.name}

    @post(
        "/fairs/{fair_id:int}/participants", operation_id="addTradeFairParticipant", status_code=HTTP_200_OK
    )
    async def add_participant(self, fair_id: int, data: dict[str, Any]) -> dict[str, Any]:
        await subsidies.declare(
            fair_id, organisation_id=data.get("organisation"), shares_stand=data.get("shares_stand", False)
        )
        return _plain(await subsidies.fair_support(fair_id))

    @get("/fairs/{fair_id:int}/support", operation_id="tradeFairSupport")
    async def support(self, fair_id: int) -> dict[str, Any]:
        return _plain(await subsidies.fair_support(fair_id))

    @get("/fairs/support.csv", operation_id="tradeFairSupportCsv", media_type="text/csv")
    async def support_csv(self, year: int | None = None) -> Response[bytes]:
        year = year or local_today().year
        if not 2000 <= year <= 2100:
            raise ValidationFailed.one("year", _("Enter a year between 2000 and 2100."))
        return csv_export.response(
            ("\ufeff" + subsidies.support_csv(await subsidies.yearly(year))).encode("utf-8"),
            f"soutien-salons-{year}.csv",
        )


ROUTES: list[Any] = [StandsPublicApi, StandsExhibitorApi, StandsStaffApi]
