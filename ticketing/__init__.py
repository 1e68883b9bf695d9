"""Ticketing domain."""
