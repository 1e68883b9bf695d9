"""The API's description at /schema: documentation pages served from vendored files, readable operation ids,
and the error answers every operation can give, documented where the framework does not see them.

- /schema (Scalar) and /schema/swagger (Swagger UI) load their scripts and styles from /static/vendor
  (copied from npm, see web/static/vendor/README.md) and /static/docs (Swagger's start-up script, the
  pages' style): nothing comes from a CDN and the pages carry no inline script or style.
- operation ids: each handler names its own (`operation_id="placeOrder"`); one that does not gets the
  camelCase of its function name (`operation_id_from_handler`).
- `document_errors` completes the generated document once, when it is first built: the project's error
  shape as a component, the 4xx answers of each operation (from its guards, CSRF, path parameters and
  body), the bounds of integer parameters (those of the integer columns, enforced by lib.validation), the fields of free-form
  JSON bodies (server.request_bodies), and how to sign in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from litestar import Litestar, Request
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.routes import HTTPRoute
from markupsafe import escape

from lib.validation import ID_MAX, ID_MIN
from server.request_bodies import REQUEST_BODIES

STATIC = "/static"
SCALAR_JS = f"{STATIC}/vendor/scalar/api-reference.standalone.js"
SWAGGER_JS = f"{STATIC}/vendor/swagger-ui/swagger-ui-bundle.js"
SWAGGER_PRESET_JS = f"{STATIC}/vendor/swagger-ui/swagger-ui-standalone-preset.js"
SWAGGER_CSS = f"{STATIC}/vendor/swagger-ui/swagger-ui.css"
DOCS_CSS = f"{STATIC}/docs/docs.css"
SWAGGER_INIT_JS = f"{STATIC}/docs/swagger-init.js"
# Scalar without what would call its servers: its fonts (docs.css sets the system's), telemetry, the AI chat
# and MCP buttons, the developer tools bar.
SCALAR_CONFIGURATION = {
    "withDefaultFonts": False,
    "telemetry": False,
    "agent": {"disabled": True},
    "mcp": {"disabled": True},
    "showDeveloperTools": "never",
}
FAVICON = "<link rel='icon' href='data:,'>"  # no favicon request at all (the default one is on a CDN)

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_SCHEMA_NAME = "Error"
# Answers a rule below cannot see: rate limits, Stripe out of reach.
EXTRA_ERRORS: dict[str, tuple[int, ...]] = {
    "apiAuthLogin": (401, 429),
    "apiAuthMe": (401,),
    "apiAuthRequestLink": (429,),
    "apiAuthRequestStaffLink": (429,),
    "placeOrder": (429,),  # unpaid holds and order/email throttles (ticketing.holds)
    "changeAttendee": (429,),
    "apiAuthUseLink": (429,),
    "stripeWebhook": (503,),
    "startStandCardPayment": (503,),  # Stripe unreachable or not configured
    "syncStandCardPayment": (503,),
}


# ---- operation ids ----------------------------------------------------------------------------------
def camel_case(name: str) -> str:
    head, *rest = [part for part in name.split("_") if part]
    return head[:1].lower() + head[1:] + "".join(p[:1].upper() + p[1:] for p in rest)


def operation_id_from_handler(route_handler: HTTPRouteHandler, http_method: str, _path: Sequence[Any]) -> str:
    """`list_events` -> `listEvents` (a handler serving several methods gets the method first)."""
    name = camel_case(route_handler.handler_name)
    if len(route_handler.http_methods) > 1:
        return http_method.lower() + name[:1].upper() + name[1:]
    return name


# ---- documentation pages --------------------------------------------------------------------------
def _page(title: str, head: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title>{FAVICON}<link rel='stylesheet' href='{DOCS_CSS}'>{head}</head>"
        f"<body>{body}</body></html>"
    ).encode()


class ScalarDocs(OpenAPIRenderPlugin):
    """Scalar API reference from the vendored standalone build (default page at /schema)."""

    def __init__(self, path: str | Sequence[str] = "/scalar") -> None:
        super().__init__(path=path, favicon=FAVICON, style="")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        url = escape(self.get_openapi_json_route(request))
        configuration = escape(json.dumps(SCALAR_CONFIGURATION, separators=(",", ":")))
        body = (
            "<noscript>The API reference needs JavaScript; the document itself is "
            f"<a href='{url}'>{url}</a>.</noscript>"
            # the standalone build mounts itself on this element (no inline start-up script)
            f"<div id='api-reference' data-url='{url}' data-configuration='{configuration}'></div>"
            f"<script src='{SCALAR_JS}'></script>"
        )
        return _page(openapi_schema["info"]["title"], "", body)


class SwaggerDocs(OpenAPIRenderPlugin):
    """Swagger UI from the vendored swagger-ui-dist files (at /schema/swagger); it sends the CSRF header."""

    def __init__(self, path: str | Sequence[str] = "/swagger") -> None:
        super().__init__(path=path, favicon=FAVICON, style="")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        url = escape(self.get_openapi_json_route(request))
        csrf = request.app.csrf_config
        cookie = escape(csrf.cookie_name) if csrf and not csrf.cookie_httponly else ""
        header = escape(csrf.header_name) if csrf else ""
        head = f"<link rel='stylesheet' href='{SWAGGER_CSS}'>"
        body = (
            f"<div id='swagger-ui' data-openapi-url='{url}' data-csrf-cookie='{cookie}' "
            f"data-csrf-header='{header}'></div>"
            f"<script src='{SWAGGER_JS}'></script><script src='{SWAGGER_PRESET_JS}'></script>"
            f"<script src='{SWAGGER_INIT_JS}'></script>"
        )
        return _page(openapi_schema["info"]["title"], head, body)


# ---- error answers and bounds in the document -----------------------------------------------------------
def error_schema() -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["status_code", "detail"],
        properties={
            "status_code": Schema(type=OpenAPIType.INTEGER),
            "detail": Schema(
                type=OpenAPIType.STRING, description="What went wrong, in the request's language"
            ),
            "errors": Schema(
                one_of=[
                    Schema(
                        type=OpenAPIType.OBJECT,
                        additional_properties=Schema(type=OpenAPIType.STRING),
                        description="Field (dotted path for nested fields) -> message",
                    ),
                    Schema(
                        type=OpenAPIType.ARRAY,
                        items=Schema(type=OpenAPIType.OBJECT),
                        description="One entry per line of an imported file (field, line, message)",
                    ),
                ],
                description="What is wrong with which field, in the request's language",
            ),
            "extra": Schema(),
        },
        description="Every error answer of the API",
    )


def _error_response(code: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=HTTPStatus(code).phrase,
        content={
            "application/json": OpenAPIMediaType(
                schema=Reference(f"#/components/schemas/{ERROR_SCHEMA_NAME}")
            )
        },
    )


def _csrf_applies(app: Litestar, path: str) -> bool:
    config = app.csrf_config
    if config is None:
        return False
    return not any(path == p or path.startswith(p.rstrip("/") + "/") for p in config.exclude or ())


def error_codes(
    app: Litestar, route: HTTPRoute, method: str, handler: HTTPRouteHandler, op: Operation
) -> set[int]:
    """The 4xx/5xx answers an operation can give, from what the framework and this project do."""
    path = route.path
    has_params = bool(op.parameters) or bool(route.path_parameters)
    unsafe = method in UNSAFE_METHODS
    codes: set[int] = set()
    if has_params or unsafe or op.request_body is not None:
        codes.add(400)  # a parameter or body of the wrong type or out of range (lib.validation)
    if _security(handler, method, path):
        codes |= {401, 403}
    if unsafe and _csrf_applies(app, path):
        codes.add(403)  # CSRF token missing or wrong
    if route.path_parameters or unsafe:
        codes.add(404)
    if unsafe:
        codes |= {409, 422}
    elif has_params:
        codes.add(422)
    if op.request_body is not None:
        codes.add(413)
    codes.update(EXTRA_ERRORS.get(op.operation_id or "", ()))
    return codes


def _bound_integers(schema: Schema | Reference | None) -> None:
    if not isinstance(schema, Schema):
        return
    types = schema.type if isinstance(schema.type, list) else [schema.type]
    if OpenAPIType.INTEGER in types:
        schema.minimum = ID_MIN if schema.minimum is None else max(schema.minimum, ID_MIN)
        schema.maximum = ID_MAX if schema.maximum is None else min(schema.maximum, ID_MAX)
    for inner in (*(schema.one_of or ()), *(schema.any_of or ())):
        _bound_integers(inner)


def _security(handler: HTTPRouteHandler, method: str, path: str) -> list[SecurityRequirement]:
    """Who may call an operation, from its guards (by name: accounts.guards, events.api,
    scheduling.api, commissions.api) and the device API's bearer token."""
    if path.startswith("/api/devices/") and not path.endswith("/public-key"):
        return [{"deviceToken": []}]
    schemes: list[SecurityRequirement] = []
    for guard in handler.resolve_guards():
        name = getattr(guard, "__name__", "")
        if name == "staff_for_writes" and method not in UNSAFE_METHODS:
            continue  # reads are public
        if name == "attendee_or_staff_guard":  # either session (alternatives of one requirement list)
            names = ["attendeeSession", "staffSession"]
        else:
            names = ["attendeeSession" if name == "attendee_guard" else "staffSession"]
        for scheme in names:
            if {scheme: []} not in schemes:
                schemes.append({scheme: []})
    return schemes


_SCHEMA_KEYS = {
    "oneOf": "one_of",
    "anyOf": "any_of",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
    "additionalProperties": "additional_properties",
}


def schema_of(data: dict[str, Any]) -> Schema:
    """A JSON-schema dict (server.request_bodies) as Litestar's OpenAPI Schema."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = _SCHEMA_KEYS.get(key, key)
        if key == "type":
            value = OpenAPIType(value)
        elif key == "properties":
            value = {k: schema_of(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = schema_of(value)
        elif key in ("oneOf", "anyOf"):
            value = [schema_of(v) for v in value]
        values[name] = value
    return Schema(**values)


def _any_json_when_bytes(op: Operation) -> None:
    """A handler that answers JSON it encoded itself (Response[bytes], e.g. the door's gzip ticket list)
    is documented by the framework as a string: it is a JSON document."""
    for code, response in (op.responses or {}).items():
        if not code.startswith("2") or isinstance(response, Reference):
            continue
        media = (response.content or {}).get("application/json")
        if media is not None and isinstance(media.schema, Schema) and media.schema.type == OpenAPIType.STRING:
            media.schema = Schema(description="A JSON document")


def _describe_body(op: Operation) -> None:
    fields = REQUEST_BODIES.get(op.operation_id or "")
    body = op.request_body
    if fields is None or body is None or isinstance(body, Reference):
        return
    for media in (body.content or {}).values():
        media.schema = schema_of(fields)


def document_errors(openapi: OpenAPI, app: Litestar) -> None:
    components = openapi.components if isinstance(openapi.components, Components) else Components()
    components.schemas = {**(components.schemas or {}), ERROR_SCHEMA_NAME: error_schema()}
    components.security_schemes = {
        **(components.security_schemes or {}),
        "staffSession": SecurityScheme(
            type="apiKey",
            name="session",
            security_scheme_in="cookie",
            description="Staff session cookie from POST /api/auth/login; unsafe methods also need the "
            "x-csrftoken header (the value of the csrftoken cookie).",
        ),
        "attendeeSession": SecurityScheme(
            type="apiKey",
            name="session",
            security_scheme_in="cookie",
            description="An attendee's session cookie, after signing in with an emailed one-time link.",
        ),
        "deviceToken": SecurityScheme(
            type="http", scheme="bearer", description="A door device's token (staff authorise devices)."
        ),
    }
    openapi.components = components
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path_item = (openapi.paths or {}).get(route.path_format or "/")
        if path_item is None:
            continue
        for method, (handler, _kwargs) in route.route_handler_map.items():
            if not handler.include_in_schema:
                continue
            op = getattr(path_item, method.lower(), None)
            if not isinstance(op, Operation):
                continue
            responses = dict(op.responses or {})
            for code in sorted(error_codes(app, route, method, handler, op)):
                responses[str(code)] = _error_response(code)  # replaces the framework's own 400 shape
            op.responses = responses
            _describe_body(op)
            _any_json_when_bytes(op)
            for parameter in op.parameters or ():
                _bound_integers(getattr(parameter, "schema", None))
            security = _security(handler, method, route.path)
            if security:
                op.security = security


class DocumentedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, completing the document it builds (once, on first use)."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        openapi = super()._build_openapi()
        document_errors(openapi, self.app)
        return openapi


def install(app: Litestar) -> Litestar:
    """Make the app's own OpenAPI plugin complete its document. Litestar creates that plugin itself; its
    class is swapped for the subclass above (same slots), which changes nothing else (litestar is pinned,
    and tests/api checks the served document)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = DocumentedOpenAPIPlugin
    return app
