"""Accounts: staff (password + role) and attendees (one-time email links)."""
