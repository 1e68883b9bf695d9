"""Accompanied projects: carriers, the 4-at-once and 2-year limits, support hours and their bills, expert costs.

One capability per module: carriers (who carries, the members rule), capacity (at most N active, the
queue, the duration limit), hours (log and the hourly brackets), billing (invoices split among the
carriers), experts (the covered share of expert invoices under a yearly cap).
"""
