"""Schemathesis against /schema/openapi.json, through the real app (its ASGI transport on create_app()):
every operation with bounded, reproducible examples (explicit examples, the coverage phase's boundary
and wrong-type values, then fuzzing; fixed seed, deterministic, no example database) and every check.

Two passes over the demo data (server.demo): the operations anyone may call, anonymously (with the CSRF
cookie and header, as the site's own scripts send them; the door device API with a device's token), and the
staff operations with a signed-in staff session. No answer may be a 5xx, and every answer must be the one the document describes (status code,
content type, body schema, Allow header...).

Left out, and why:
- positive_data_acceptance: many request bodies are free-form objects (`dict[str, Any]`) and the rules
  on them (dates in order, a known ticket type, a college from 1 to 5) are not expressible in the schema;
  such a body is "schema-valid" and correctly refused with a 422 naming the field, which this check
  counts as a failure.
- the stateful phase (chains of calls through links): the document declares no links; the unit phases
  already reach every operation, and the runtime must stay small.
- generated security parameters: authentication is the real session cookie of the signed-in client,
  not a value to fuzz (the check that a staff operation refuses an anonymous caller runs on its own:
  ignored_auth, and the anonymous pass).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi as asgi_transport

from tests.auth import DEFAULT_PASSWORD, make_staff

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
MAX_EXAMPLES = 5  # fuzzing examples per operation, after the explicit and coverage cases
SEED = 20261201
EXCLUDED_CHECKS = ["positive_data_acceptance"]
STAFF_SCHEMES = ("staffSession",)


def config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
                "no-shrink": True,
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {name: {"enabled": False} for name in EXCLUDED_CHECKS},
            "suppress-health-check": ["all"],
        }
    )


def is_staff_operation(ctx: Any) -> bool:
    security = ctx.operation.definition.raw.get("security") or []
    return any(scheme in requirement for requirement in security for scheme in STAFF_SCHEMES)


@dataclass
class Run:
    """What one pass did, printed at the end (operations, cases, statuses)."""

    operations: set[str] = field(default_factory=set)
    cases: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def record(self, label: str, status: int) -> None:
        self.operations.add(label)
        self.cases += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self, name: str) -> str:
        seconds = time.monotonic() - self.started
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return f"schemathesis {name}: {len(self.operations)} operations, {self.cases} cases in {seconds:.1f} s ({statuses})"


@dataclass
class ApiClient:
    """How a pass calls the app: the CSRF cookie and header; the staff session cookie (staff pass) or
    a door device's bearer token (anonymous pass, for the device API)."""

    csrf: str
    run: Run
    session: str | None = None
    device: str | None = None


def _csrf_token(app: Any) -> str:
    with asgi_transport.get_client(app) as client:  # starts the app's lifespan (database, job worker) once
        client.get("/schema/openapi.json")
        token = client.cookies.get("csrftoken")
    assert token, "no CSRF cookie"
    return token


@dataclass
class Known:
    """Identifiers that exist in the data, swapped into half of the generated paths so that cases get past
    "not found" to the validation and the work behind it (the other half keep their random values)."""

    ids: tuple[int, ...]
    strings: dict[str, str]

    def apply(self, case: Any) -> None:
        params = case.path_parameters
        for name, value in list((params or {}).items()):
            if type(value) is int and -(2**31) <= value < 2**31 and value % 2 == 0:  # valid ids only
                params[name] = self.ids[abs(value) // 2 % len(self.ids)]
            elif isinstance(value, str) and name in self.strings and len(value) % 2 == 0:
                params[name] = self.strings[name]


KNOWN = Known(ids=(1, 2, 3, 4, 5), strings={})


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app as it is served: with its PostgreSQL connection pool (the test suite runs without one,
    because each test client has its own event loop; here every request runs on schemathesis' loop)."""
    from lib.settings import get_settings

    monkeypatch.setenv("DB_POOL", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
async def demo_app(pooled: Any, demo_data: str) -> Any:  # noqa: ARG001
    from checkin.services import authorise_device
    from events.tables import Event
    from server.app import create_app
    from ticketing import order_reads, orders
    from ticketing.tables import TicketType

    await make_staff(role="admin", email="fuzz-admin@ledamier.test")
    # one confirmed order (tickets issued by staff) for the order and ticket routes
    ttype = await TicketType.objects().where(TicketType.event.status == "published").first()
    event = await Event.objects().where(Event.id == ttype.event).first()
    placed = await orders.place_order(
        event_id=event.id,
        buyer={"name": "Fuzz Buyer", "email": "fuzz-buyer@example.org"},
        items=[{"ticket_type": ttype.id, "quantity": 1}],
        issued_by_staff=True,
    )
    [ticket] = await order_reads.order_tickets(placed.order.id)
    _device, device_token = await authorise_device(event.id, "Fuzz phone", "Main door")
    KNOWN.strings.update(token=placed.order.token, public_id=ticket["public_id"], device=device_token)
    app = create_app()
    yield app
    asgi_transport.shutdown_lifespans()


def anonymous_client(app: Any) -> ApiClient:
    return ApiClient(_csrf_token(app), Run(), device=KNOWN.strings["device"])


def staff_client(app: Any) -> ApiClient:
    token = _csrf_token(app)
    with asgi_transport.get_client(app) as client:
        client.cookies.set("csrftoken", token)
        r = client.post(
            "/api/auth/login",
            json={"email": "fuzz-admin@ledamier.test", "password": DEFAULT_PASSWORD},
            headers={"x-csrftoken": token},
        )
        assert r.status_code == 200, r.text
        session = client.cookies.get("session")
    assert session, "no session cookie"
    return ApiClient(token, Run(), session)


def load_schema(app: Any, api: ApiClient, staff: bool) -> Any:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app, config=config())
    schema = schema.include(func=is_staff_operation) if staff else schema.exclude(func=is_staff_operation)

    @schema.auth(refresh_interval=None)  # not cached: the credentials depend on the operation
    class Credentials:
        """The pass's credentials, given as schemathesis' own auth, on the operations that declare them: its
        ignored_auth check then sends each such operation without them, and with wrong ones, and expects
        401/403."""

        def get(self, case: Any, ctx: Any) -> tuple[str, str] | None:
            security = ctx.operation.definition.raw.get("security") or []
            schemes = {scheme for requirement in security for scheme in requirement}
            if "deviceToken" in schemes and api.device:
                return ("device", api.device)
            if "staffSession" in schemes and api.session:
                return ("session", api.session)
            return None

        def set(self, case: Any, data: tuple[str, str], ctx: Any) -> None:
            kind, value = data
            if kind == "device":
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {value}"}
            else:
                case.cookies = {**(case.cookies or {}), "session": value}

    return schema


MAX_FAILURES_SHOWN = 3  # per operation


def fuzz(schema: Any, api: ApiClient) -> list[str]:
    """Run every operation of `schema` through the app; the failures found, described."""
    from schemathesis.core.failures import FailureGroup
    from schemathesis.core.result import Ok
    from schemathesis.pytest.lazy import get_all_tests

    failures: list[str] = []

    def check(case: Any) -> None:
        headers = {"x-csrftoken": api.csrf}
        cookies = {"csrftoken": api.csrf}
        KNOWN.apply(case)
        try:
            response = case.call(headers=headers, cookies=cookies)
            api.run.record(case.operation.label, response.status_code)
            case.validate_response(response, headers=headers, transport_kwargs={"cookies": cookies})
        except FailureGroup as exc:
            found = [f for f in failures if f.startswith(case.operation.label + "\n")]
            if len(found) < MAX_FAILURES_SHOWN:
                failures.append(f"{case.operation.label}\n{exc}")

    for result in get_all_tests(schema=schema, test_func=check, settings=None, given_kwargs=None):
        assert isinstance(result, Ok), result.err()
        operation, test = result.ok()
        test()
    return failures


def test_every_operation_answers_as_documented_anonymous_and_staff(demo_app: Any) -> None:
    """One test for both passes: the demo data is loaded once (it takes seconds)."""
    anonymous = anonymous_client(demo_app)
    failures = fuzz(load_schema(demo_app, anonymous, staff=False), anonymous)
    print(anonymous.run.summary("anonymous"))
    staff = staff_client(demo_app)
    failures += fuzz(load_schema(demo_app, staff, staff=True), staff)
    print(staff.run.summary("staff"))
    assert len(anonymous.run.operations) + len(staff.run.operations) >= 110  # every operation was called
    assert not failures, "\n\n".join(failures)
