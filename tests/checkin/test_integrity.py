"""checkin.event and checkin.device are plain integers (no foreign key, see the 2026-11-25T12:20
migration): the code keeps them right, and the ticket's foreign key still removes check-ins."""

from __future__ import annotations

from checkin import services
from checkin.tables import CheckIn
from events.tables import Event
from tests.checkin.helpers import code_of, make_device, make_event, make_ticket, make_type, scan_id
from ticketing.tables import Ticket


async def test_a_check_in_records_the_tickets_event_and_the_device_and_goes_with_the_event():
    event = await make_event()
    ticket = await make_ticket(event, await make_type(event))
    device, _token = await make_device(event, "Phone", "North")
    scan = services.Scan(event_id=event.id, device_id=device.id, door=device.door)
    result = await services.redeem(scan, scan_id=scan_id(), code=code_of(ticket))
    assert result["status"] == "ok"
    row = await CheckIn.objects().first()
    assert (row.event, row.device, row.ticket) == (event.id, device.id, ticket.id)
    # deleting the event removes its tickets, and with them their check-ins
    await Event.delete().where(Event.id == event.id)
    assert await Ticket.count().where(Ticket.id == ticket.id) == 0
    assert await CheckIn.count() == 0
