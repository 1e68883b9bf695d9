"""App factory: `uvicorn server.app:create_app --factory` (or `python -m server.cli serve`)."""

from litestar import Litestar

from server.core import ApplicationCore


def create_app() -> Litestar:
    return Litestar(plugins=[ApplicationCore()])
