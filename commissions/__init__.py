"""Commissions: the cluster's share of business it brings to its members (DOMAIN.md: 10 % of the amount won
by default). Records come from a speed-meeting deal, a collective market won for several members, or business
brought to one member; staff confirm, invoice (French invoice, gapless numbering), record the payment, or
cancel (a credit note once invoiced). records.py (sources and rate), billing.py (invoice, payment, credit
note, reminders), totals.py (per member, source and year)."""
