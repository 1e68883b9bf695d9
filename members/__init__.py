"""The member register: organisations, their people, yearly dues paid and good standing (a Piccolo app).

One module per capability: register (organisations, bands, field rules), people, standing (dues paid,
good standing), register_csv (import/export), space (a member organisation's own page); api.py (JSON),
pages.py (HTML), demo.py.
"""
