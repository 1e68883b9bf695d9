"""The API documentation works without internet (issue 10, "what users hit" 10): /schema (Scalar) and
/schema/swagger (Swagger UI) reference no external host, carry no inline script, and every file they
reference is served; every operation has a readable, unique camelCase operation id."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

DOCS_PAGES = ("/schema", "/schema/swagger")
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")


class References(HTMLParser):
    """Every URL a page loads (src, href, inline CSS url()), and the inline scripts it carries."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(values[name] or "")
        self.urls += re.findall(r"url\(([^)]*)\)", values.get("style") or "")
        self._in_script = tag == "script" and not values.get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_docs_pages_load_only_files_of_this_server(client, page):
    r = client.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    refs = References()
    refs.feed(r.text)
    assert refs.urls, "the page loads nothing?"
    assert not refs.inline_scripts, refs.inline_scripts
    assert "cdn" not in r.text.lower()
    for url in refs.urls:
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        assert not parts.scheme and not parts.netloc, f"{page} loads {url} from another host"
        served = client.get(url)
        assert served.status_code == 200 and served.content, (url, served.status_code)
    scripts = [u for u in refs.urls if u.endswith(".js")]
    assert scripts and all(u.startswith("/static/") for u in scripts), scripts
    assert any("/static/vendor/" in u for u in scripts)
    # the viewer is pointed at the document by an attribute, not by an inline script
    assert "data-url='/schema/openapi.json'" in r.text or "data-openapi-url='/schema/openapi.json'" in r.text


def test_vendored_docs_files_are_recorded_with_their_licences():
    from lib.settings import ROOT

    vendor = ROOT / "web" / "static" / "vendor"
    readme = (vendor / "README.md").read_text()
    for folder, package in (("swagger-ui", "swagger-ui-dist"), ("scalar", "@scalar/api-reference")):
        assert (vendor / folder / "LICENSE").exists()
        assert package in readme
    for js in ("swagger-ui/swagger-ui-bundle.js", "scalar/api-reference.standalone.js"):
        assert "sourceMappingURL" not in (vendor / js).read_text()[-300:]  # no request for a missing .map


def test_every_operation_has_a_readable_unique_operation_id(client):
    schema = client.get("/schema/openapi.json").json()
    ids = [
        op["operationId"]
        for item in schema["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    ]
    assert len(ids) > 100
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    unreadable = [i for i in ids if not OPERATION_ID.match(i)]
    assert not unreadable, unreadable
    assert {"listEvents", "placeOrder", "stripeWebhook", "checkinRedeem"} <= set(ids)


def test_a_handler_without_an_operation_id_gets_the_camel_case_of_its_name():
    from litestar import Litestar, get
    from litestar.openapi import OpenAPIConfig

    from server.openapi import operation_id_from_handler

    @get("/things/{thing_id:int}")
    async def list_thing_parts(thing_id: int) -> list[int]:
        return [thing_id]

    app = Litestar(
        [list_thing_parts],
        openapi_config=OpenAPIConfig(title="t", version="1", operation_id_creator=operation_id_from_handler),
    )
    assert app.openapi_schema.paths["/things/{thing_id}"].get.operation_id == "listThingParts"


def test_the_document_describes_errors_bounds_and_sign_in(client):
    schema = client.get("/schema/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["status_code", "detail"]
    op = schema["paths"]["/api/events/{event_id}/orders"]["post"]
    [event_id] = op["parameters"]
    assert (event_id["schema"]["minimum"], event_id["schema"]["maximum"]) == (-(2**31), 2**31 - 1)
    assert {"400", "403", "404", "409", "422"} <= set(op["responses"])
    assert op["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    staff = schema["paths"]["/api/staff/ticketing/orders"]["get"]
    assert staff["security"] == [{"staffSession": []}] and {"401", "403"} <= set(staff["responses"])
    assert "security" not in schema["paths"]["/api/events"]["get"]  # reads are public
    assert schema["paths"]["/api/events"]["post"]["security"] == [{"staffSession": []}]
    assert schema["paths"]["/api/devices/redeem"]["post"]["security"] == [{"deviceToken": []}]


def test_every_free_form_json_body_is_described(client):
    schema = client.get("/schema/openapi.json").json()
    free_form = [
        op["operationId"]
        for item in schema["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        and (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
        == {"additionalProperties": {}, "type": "object"}
    ]
    assert not free_form, f"describe these bodies in server/request_bodies.py: {free_form}"
    order = schema["paths"]["/api/events/{event_id}/orders"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert order["schema"]["required"] == ["buyer", "items"]
    assert order["schema"]["properties"]["buyer"]["required"] == ["name", "email"]
