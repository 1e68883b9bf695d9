"""Membership dues: the year's dues called with one staff action, invoiced, paid, reminded, lapsed."""
