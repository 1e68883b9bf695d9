"""The speed-meeting scheduler, without database or HTTP: data in, schedule out.

- model     the instance: participants, slots, tables, wishes and their priorities;
- prepared  the instance compiled to arrays, and `check`, which verifies any schedule against every rule;
- pairs     the pair-selection integer program (HiGHS);
- solver    slots for the chosen pairs, late additions, the time-indexed model;
- greedy    the fast heuristic, the fallback and the reference the solver is measured against.
"""
