"""`python -m server.cli …` with uvicorn's own httptools protocol instead of server/http.py's.

For bench/checkin.py --compare-http: the same server, the same options, only the protocol class that
`server.cli.uvicorn_options` hands to uvicorn differs (two socket writes per response instead of one).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # noqa: E402

import server.http  # noqa: E402

server.http.CoalescingHttpToolsProtocol = HttpToolsProtocol  # type: ignore[misc]

from server.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
