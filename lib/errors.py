"""Domain errors raised by services and how the web layer renders them."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY


class DomainError(Exception):
    status_code = HTTP_422_UNPROCESSABLE_ENTITY


class ValidationFailed(DomainError):
    """Bad input: field name -> message already translated into the request's language.

    Raised before anything is written (or inside a transaction that it rolls back).
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: message})


class NotFound(DomainError):
    status_code = HTTP_404_NOT_FOUND

    def __init__(self, what: str = "") -> None:
        super().__init__(what)


class Conflict(DomainError):
    status_code = HTTP_409_CONFLICT


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    body: dict[str, object] = {"status_code": exc.status_code, "detail": str(exc)}
    if isinstance(exc, ValidationFailed):
        body["errors"] = exc.errors
        body["detail"] = "; ".join(exc.errors.values())
    return Response(content=body, status_code=exc.status_code)
