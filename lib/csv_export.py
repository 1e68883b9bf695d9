"""The one CSV writer of every export (orders, attendance, member register).

Two dialects, chosen by the `format` query parameter of each export:

- "excel" (the default): what French Excel opens by a double click - UTF-8 with a BOM (or accents
  break), ";" between cells, decimal comma for amounts, dates as dd/mm/yyyy HH:MM in Paris time,
  translated headers and human labels instead of internal codes;
- "plain": for scripts and English spreadsheets - UTF-8 without BOM, ",", decimal point, ISO 8601
  dates with their Paris offset, English column keys and the raw codes.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) is neutralised with a leading single quote, in both dialects (OWASP's advice against CSV
injection); `restore` undoes it for the imports that read our exports back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import quote

from litestar.response import Response

from lib.i18n import _
from lib.templating import to_local

EXCEL = "excel"
PLAIN = "plain"


class Dialect(StrEnum):
    EXCEL = EXCEL
    PLAIN = PLAIN


PLAIN_ALIASES = frozenset({"plain", "en", "raw", "csv", "comma"})


def dialect_from_query(value: str | None, delimiter: str | None = None) -> Dialect:
    """?format=plain (or en/raw/comma) -> PLAIN; anything else, or nothing, -> EXCEL (French Excel).

    `delimiter` is the register export's former parameter: delimiter=, still asks for plain CSV."""
    if not value and (delimiter or "").strip().lower() in (",", "comma"):
        return Dialect.PLAIN
    return Dialect.PLAIN if (value or "").strip().lower() in PLAIN_ALIASES else Dialect.EXCEL


Kind = Literal["text", "code", "money", "int", "datetime", "date", "bool"]


@dataclass(frozen=True)
class Column:
    """One column: `key` names it in the plain dialect (and in the row mappings), `label` in Excel.

    kind: text (user input: neutralised), code (an internal code: `labels` turns it into words in
    Excel), money (integer cents), int, datetime (aware, shown in Paris time), date, bool.
    """

    key: str
    label: str
    kind: Kind = "text"
    labels: Callable[[str], str] | None = None


# A leading = + - @ (after any quotes already there), a tab or a CR: a formula for a spreadsheet.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)": shown as text, never evaluated.

    Values already starting with quotes before such a character get one more quote, so `restore`
    gives back exactly what was written."""
    return "'" + text if _FORMULA.match(text) else text


def restore(text: str) -> str:
    """The inverse of neutralise, for imports that read our exports back."""
    return text[1:] if _NEUTRALISED.match(text) else text


def _money(cents: int | None, dialect: Dialect) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}{',' if dialect is Dialect.EXCEL else '.'}{part:02d}"


def _datetime(value: Any, dialect: Dialect) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | str):
        local = to_local(value)  # stored values are UTC; Paris wall time in both dialects
        if dialect is Dialect.EXCEL:
            return local.strftime("%d/%m/%Y %H:%M")
        return local.isoformat(timespec="seconds")
    return _date(value, dialect)


def _date(value: Any, dialect: Dialect) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if dialect is Dialect.EXCEL else value.isoformat()
    return str(value)


def cell(column: Column, value: Any, dialect: Dialect) -> str:
    """One value as the dialect writes it."""
    kind = column.kind
    if kind == "money":
        return _money(value, dialect)
    if kind == "int":
        return "" if value is None else str(int(value))
    if kind == "datetime":
        return _datetime(value, dialect)
    if kind == "date":
        return _date(value, dialect)
    if kind == "bool":
        if value is None or value == "":
            return ""
        if dialect is Dialect.PLAIN:
            return "true" if value else "false"
        return _("yes") if value else _("no")
    text = "" if value is None else str(value)
    if kind == "code" and dialect is Dialect.EXCEL and column.labels is not None and text:
        text = column.labels(text)
    return neutralise(text)


def write(columns: list[Column], rows: Iterable[Mapping[str, Any]], dialect: Dialect) -> bytes:
    """The whole file, encoded: a header line, then one line per row (CRLF line ends, RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=";" if dialect is Dialect.EXCEL else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writerow([neutralise(c.label if dialect is Dialect.EXCEL else c.key) for c in columns])
    for row in rows:
        writer.writerow([cell(c, row.get(c.key), dialect) for c in columns])
    text = out.getvalue()
    return (("\ufeff" + text) if dialect is Dialect.EXCEL else text).encode("utf-8")


def response(content: bytes, filename: str) -> Response[bytes]:
    """The download: one Content-Type (Litestar adds the charset to text/* once) and a
    Content-Disposition that survives accents in the file name (RFC 6266 filename*)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type="text/csv", headers={"Content-Disposition": disposition})


__all__ = [
    "Column",
    "Dialect",
    "cell",
    "dialect_from_query",
    "neutralise",
    "response",
    "restore",
    "write",
]
