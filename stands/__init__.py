"""MIMA stands: floor plan, booking, extras, billing, exhibitors, badges, and trade-fair support.

One capability per module: floorplan, pricing, booking, options, billing, exhibitors, badges, subsidies.
"""
