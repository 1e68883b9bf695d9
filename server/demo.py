"""Demo data for `make run` (filled in by the foundation work)."""


async def load(if_empty: bool = True) -> str:
    return "no demo data yet"
