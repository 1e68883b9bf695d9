"""Bad input stopped at the edge, for every route at once: the answer is a 4xx in the project's error shape
({"status_code", "detail", "errors": {field: message}}, lib.errors) in the request's language, and
nothing is written.

- integer path and query parameters (ids, limits, offsets) must fit the databases' integer columns, 32 bits
  on PostgreSQL (an id of 2**63 overflowed SQLite and asyncpg into a 500, one of 2**31 PostgreSQL):
  `bounded_integers_middleware`, which sees the route every request matched, checks them before the
  handler's own validation runs;
- JSON bodies are decoded by `ApiRequest` (the application's request class): nesting deeper than
  MAX_JSON_DEPTH and integers outside 64 bits anywhere in the body are refused, naming the field;
- the framework's own validation errors (a wrong type, a missing field, malformed JSON) are rendered in
  the project's shape by `bad_request_handler`, with translated messages;
- last line of defence: a number that still reaches the database beyond its column (a string of digits a
  service turned into an int, a body's 3,000,000,000 for a PostgreSQL `integer`) is a 400
  (`out_of_range_handler`), not a 500; the statement failed, so nothing was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import ParameterKwarg
from litestar.status_codes import HTTP_400_BAD_REQUEST
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.typing import FieldDefinition

from lib.errors import ValidationFailed
from lib.i18n import _

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# Piccolo's Serial, ForeignKey and Integer columns are PostgreSQL `integer`s: ids never leave 32 bits.
ID_MIN = -(2**31)
ID_MAX = 2**31 - 1
MAX_JSON_DEPTH = 32  # the deepest body the API takes is 3 levels (an order's items); 32 leaves room
_DIGITS = re.compile(r"\s*[+-]?\d+\s*")


class BadRequest(ValidationFailed):
    """Input that cannot be read at all (out of range, too deep, wrong type): 400, naming the field."""

    status_code = HTTP_400_BAD_REQUEST


def out_of_range_message(low: int = INT64_MIN, high: int = INT64_MAX) -> str:
    return _("Enter a whole number between %(low)s and %(high)s.", low=low, high=high)


def whole_number(raw: Any) -> int | None:
    """An int, or a string of digits (optional sign, spaces around); None for anything else (booleans,
    1.5, "abc"): what a form or a JSON body may send for a whole number. The range is the caller's."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        return int(raw)
    return None


def is_id(value: int) -> bool:
    """Whether a number can be an id (or any value of an integer column) on both databases."""
    return ID_MIN <= value <= ID_MAX


# ---- integer path and query parameters --------------------------------------------------------------
def _is_int(field: FieldDefinition) -> bool:
    if field.is_optional:
        inner = [t for t in field.inner_types if not t.is_none_type]
        return len(inner) == 1 and _is_int(inner[0])
    return field.annotation is int


@lru_cache(maxsize=1024)
def integer_parameters(handler: Any) -> tuple[str, ...]:
    """The names (in the path or the query string) of the integer parameters a handler reads."""
    found: list[str] = []
    for name, field in handler.parsed_fn_signature.parameters.items():
        if not _is_int(field):
            continue
        kwarg = field.kwarg_definition
        if isinstance(kwarg, ParameterKwarg) and (kwarg.header or kwarg.cookie):
            continue
        key = kwarg.query if isinstance(kwarg, ParameterKwarg) and kwarg.query else name
        found.append(key)
    return tuple(found)


def _out_of_range(value: Any, low: int = INT64_MIN, high: int = INT64_MAX) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not low <= value <= high
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        digits = value.strip().lstrip("+-")
        return len(digits) > 19 or not low <= int(value) <= high
    return False  # not a number at all: the handler's validation names it


def bounded_integers_middleware(app: ASGIApp) -> ASGIApp:
    """Refuse integer path/query parameters no integer column can hold (400 naming the parameter)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if scope["type"] == ScopeType.HTTP and handler is not None:
            params = integer_parameters(handler)
            if params:
                errors: dict[str, str] = {}
                query: dict[str, list[str]] | None = None
                path_params = scope.get("path_params") or {}
                for key in params:
                    if key in path_params:
                        values = [path_params[key]]
                    else:
                        if query is None:
                            query = {}
                            raw = scope.get("query_string", b"").decode("latin-1")
                            for k, v in parse_qsl(raw, keep_blank_values=True):
                                query.setdefault(k, []).append(v)
                        values = query.get(key, [])
                    if any(_out_of_range(v, ID_MIN, ID_MAX) for v in values):
                        errors[key] = out_of_range_message(ID_MIN, ID_MAX)
                if errors:
                    raise BadRequest(errors)
        await app(scope, receive, send)

    return middleware


# ---- JSON bodies ----------------------------------------------------------------------------------
def _walk(value: Any) -> Iterator[tuple[str, Any, int]]:
    """(field path, value, depth) of every value in a decoded JSON document, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        yield path, item, depth
        if isinstance(item, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v, depth + 1) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), v, depth + 1) for i, v in enumerate(item))


def check_json_document(value: Any) -> None:
    """Raise BadRequest for nesting deeper than MAX_JSON_DEPTH or an integer outside 64 bits."""
    errors: dict[str, str] = {}
    for path, item, depth in _walk(value):
        if depth > MAX_JSON_DEPTH:
            raise too_deep()
        if isinstance(item, int) and not isinstance(item, bool) and _out_of_range(item):
            errors[path or "body"] = out_of_range_message()
    if errors:
        raise BadRequest(errors)


def too_deep() -> BadRequest:
    return BadRequest(
        {"body": _("The request body is nested too deeply (at most %(max)d levels).", max=MAX_JSON_DEPTH)}
    )


class ApiRequest(Request[Any, Any, Any]):
    """The application's request: its JSON and MessagePack bodies are checked once decoded."""

    __slots__ = ("_body_checked",)

    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise too_deep() from None
        self._check(value)
        return value

    async def msgpack(self) -> Any:
        try:
            value = await super().msgpack()
        except RecursionError:
            raise too_deep() from None
        self._check(value)
        return value

    def _check(self, value: Any) -> None:
        if getattr(self, "_body_checked", False):
            return
        check_json_document(value)
        self._body_checked = True


# ---- the framework's validation errors, in the project's shape ---------------------------------------
_LIMIT = re.compile(r"(<=|>=|<|>) (-?\d+)")


def translate_message(message: str) -> str:
    """A msgspec/Litestar validation message -> a sentence for the user, in the request's language."""
    if "missing required" in message.lower() or message.startswith("Missing required"):
        return _("This field is required.")
    if "of length" in message:
        limit = _LIMIT.search(message)
        if limit and limit.group(1).startswith("<"):
            return _("At most %(limit)d characters.", limit=int(limit.group(2)))
        return _("This field is required.") if limit and limit.group(2) in ("0", "1") else _("Too short.")
    if message.startswith("Expected `int`") or message.startswith("Expected `integer`"):
        if _LIMIT.search(message):
            return _("This number is out of range.")
        return _("Enter a whole number.")
    if message.startswith(("Expected `float`", "Expected `number`", "Expected `decimal`")):
        return _("Enter a number.")
    if message.startswith("Expected `bool`"):
        return _("Enter true or false.")
    if message.startswith("Expected `str`"):
        return _("Enter text.")
    if message.startswith("Expected `object`"):
        return _("This must be a JSON object.")
    if message.startswith("Expected `array`"):
        return _("This must be a list.")
    if "datetime" in message:
        return _("Enter a valid date and time.")
    if "date" in message:
        return _("Enter a valid date (YYYY-MM-DD).")
    if "time" in message:
        return _("Enter a valid time.")
    if "enum" in message.lower():
        return _("Choose one of the allowed values.")
    if "out of range" in message.lower():
        return out_of_range_message()
    if "malformed" in message.lower() or "json" in message.lower():
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")


def _errors_of(exc: HTTPException) -> dict[str, str]:
    errors: dict[str, str] = {}
    extra = exc.extra if isinstance(exc, ValidationException) else None
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        key = str(item.get("key") or "body")
        missing = _MISSING_FIELD.search(message)
        if missing:  # the framework blames the whole body: name the field that is missing
            key = missing.group(1) if key in ("data", "body") else f"{key}.{missing.group(1)}"
        elif key == "data":
            key = "body"
        errors.setdefault(key, translate_message(message))
    if not errors:
        errors["body"] = translate_message(str(exc.detail or ""))
    return errors


def bad_request_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Every 400: the fields at fault and what to do, in the request's language."""
    errors = exc.errors if isinstance(exc, ValidationFailed) else _errors_of(exc)  # type: ignore[arg-type]
    return Response(
        content={"status_code": HTTP_400_BAD_REQUEST, "detail": "; ".join(errors.values()), "errors": errors},
        status_code=HTTP_400_BAD_REQUEST,
    )


_OVERFLOW = re.compile(r"out of int\d+ range|out of range for type (small|big)?int|integer out of range")


def _is_integer_overflow(exc: Exception) -> bool:
    if isinstance(exc, OverflowError):
        return (
            True  # sqlite3 "Python int too large to convert to SQLite INTEGER", asyncpg "out of int32 range"
        )
    return bool(_OVERFLOW.search(str(exc)))  # asyncpg.DataError / PostgreSQL


def out_of_range_handler(
    fallback: Callable[[Request[Any, Any, Any], Exception], Response[Any]],
) -> Callable[[Request[Any, Any, Any], Exception], Response[Any]]:
    """The handler for OverflowError/DataError: a 400 for an integer out of range, else `fallback`
    (the wiring passes the site's 500 page; the kernel does not know the pages)."""

    def handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if not _is_integer_overflow(exc):
            return fallback(request, exc)
        errors = {"body": out_of_range_message()}
        return Response(
            content={"status_code": HTTP_400_BAD_REQUEST, "detail": errors["body"], "errors": errors},
            status_code=HTTP_400_BAD_REQUEST,
        )

    return handler
