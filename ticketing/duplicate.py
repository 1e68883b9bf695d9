"""A new edition keeps last year's ticket types (prices, limits, flags), their sales dates shifted;
nothing sold is copied (no order, no ticket, counters at zero)."""

from __future__ import annotations

from lib.editions import EditionShift
from ticketing.tables import TicketType
from ticketing.types import copy_types


async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> str | None:
    copies = await copy_types(source_event_id, new_event_id)
    sources = (
        await TicketType.select(TicketType.sales_start, TicketType.sales_end)
        .where(TicketType.event == source_event_id)
        .order_by(TicketType.position)
        .order_by(TicketType.id)
    )
    if len(sources) == len(copies):  # copied from the source (not the kind's defaults): shift the dates
        for copy, source in zip(copies, sources, strict=True):
            if source["sales_start"] or source["sales_end"]:
                await TicketType.update(
                    {
                        TicketType.sales_start: shift.at(source["sales_start"]),
                        TicketType.sales_end: shift.at(source["sales_end"]),
                    }
                ).where(TicketType.id == copy.id)
    return f"{len(copies)} ticket types" if copies else None
