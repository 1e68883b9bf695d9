"""Scheduling domain."""
