"""One-ticket PDF confirmations rendered in a loop, in this process (no database, no server).

    .venv/bin/python bench/ticket_pdf.py [--documents 200] [--name "Zoé Dupont-Ærø"]

Renders the ticket PDF a confirmation email attaches (ticketing.documents, as the job worker does:
fonts parsed once per process, then each document subset at output) and prints the CPU per document,
for a name in the common Latin characters and for one that needs the whole font (Cyrillic).
To compare two revisions in one run: PYTHONPATH=<other checkout> .venv/bin/python bench/ticket_pdf.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-pdf-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()

    from events.tables import Event
    from lib.i18n import set_locale
    from ticketing import documents

    set_locale("fr")
    starts = datetime(2026, 12, 10, 14, tzinfo=UTC)
    event = Event(
        id=42, title="Les Clés pour réussir — atelier son", title_en="Keys to success", starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )  # fmt: skip
    venue = {"name": "Cocotte Numérique", "address": "5 rue Gilbert-Romme", "postal_code": "63000",
             "city": "Clermont-Ferrand"}  # fmt: skip
    print(f"module: {documents.__file__}")
    for label, name in (("Latin name", "Zoé Dupont-Ærø"), ("Cyrillic name", "Зоя Дюпон")):

        def render(n: int, name: str = name) -> bytes:
            order = SimpleNamespace(id=n, token=f"tok{n:08d}xxxxxxxxxxxxxxxxx")
            ticket = {"id": 1000 + n, "status": "valid", "attendee_name": name,
                      "attendee_organisation": "Label Auvergne", "type_name": "Non-membre",
                      "type_name_en": "Non-member"}  # fmt: skip
            return documents._render_tickets(event, order, [ticket], venue)

        render(0)  # fonts parsed once per process, as in the job worker
        cpu = time.process_time()
        for n in range(1, args.documents + 1):
            size = len(render(n))
        per = (time.process_time() - cpu) / args.documents * 1000
        print(f"{label}: {per:.1f} ms CPU per one-ticket PDF ({args.documents} documents, {size:,} bytes)")


if __name__ == "__main__":
    main()
