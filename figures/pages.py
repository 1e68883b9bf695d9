"""The staff figures pages (thin: the figures come from figures.compute): the dashboard of a year or of
one edition, the activity report PDF (always in French, for the funders) and every table as CSV."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.response import Template

from accounts.guards import staff_guard
from events.statistics import held_events
from figures import charts, exports
from figures.compute import check_year, year_figures
from figures.format import value
from figures.model import YearFigures
from figures.report import report_pdf
from figures.sections import event_title
from lib import csv_export
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, current_locale
from members.register import today
from web.controllers.staff_common import EXCEPTION_HANDLERS, render


def _event_id(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(str(raw))
    except ValueError:
        raise ValidationFailed({"event": _("Choose an event from the list.")}) from None


async def _figures(year: str | None, event: str | None) -> YearFigures:
    return await year_figures(check_year(year) if year not in (None, "") else today().year, _event_id(event))


def _query(figures: YearFigures) -> str:
    return f"year={figures.year}" + (f"&event={figures.event.id}" if figures.event else "")


class FiguresPages(Controller):
    path = "/staff/figures"
    include_in_schema = False
    guards = [staff_guard]
    exception_handlers = EXCEPTION_HANDLERS

    @get("/", name="staff-figures")
    async def dashboard(self, year: str | None = None, event: str | None = None) -> Template:
        try:
            figures = await _figures(year, event)
        except ValidationFailed as exc:
            figures, errors = await year_figures(today().year), exc.errors
        else:
            errors = {}
        return render(
            "figures/dashboard.html",
            status_code=422 if errors else 200,
            errors=errors,
            figures=figures,
            year_events=await held_events(figures.year),
            event_title=event_title,
            shown=value,
            chart_svg=charts.svg,
            csv_keys=exports.table_keys(figures),
            table_title=lambda key: exports.table_of(figures, key).title,  # type: ignore[union-attr]
            query=_query(figures),
        )

    @get("/report.pdf", name="staff-figures-report")
    async def report(self, year: str | None = None, event: str | None = None) -> Response[bytes]:
        # The funders' report is in French whatever the staff member's language.
        token = current_locale.set("fr")
        try:
            figures = await _figures(year, event)
            content = report_pdf(figures)
        finally:
            current_locale.reset(token)
        scope = str(figures.year) if figures.event is None else figures.event.slug
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="rapport-activite-{scope}.pdf"'},
        )

    @get("/csv/{table:str}", name="staff-figures-csv")
    async def csv(
        self, request: Request, table: str, year: str | None = None, event: str | None = None
    ) -> Response[bytes]:
        figures = await _figures(year, event)
        found = exports.table_of(figures, table.removesuffix(".csv"))
        if found is None:
            raise NotFound(_("This table does not exist."))
        dialect = csv_export.dialect_from_query(request.query_params.get("format"))
        return csv_export.response(exports.table_csv(found, dialect), exports.filename(figures, found.key))


ROUTES = [FiguresPages]
