"""Events domain: venues, rooms, events and their programme (the member register is members/)."""
