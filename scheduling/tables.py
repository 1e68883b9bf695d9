"""Scheduling tables (filled by the scheduling issues)."""
