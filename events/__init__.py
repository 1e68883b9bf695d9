"""Events domain: venues, rooms, events and their programme, member organisations, people, membership."""
