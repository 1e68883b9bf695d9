"""Ticketing tables (filled by the ticketing issues)."""
