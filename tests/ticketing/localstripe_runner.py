"""Run the localstripe fake Stripe server bound to 127.0.0.1 (its CLI binds every interface).

Usage: python tests/ticketing/localstripe_runner.py PORT. The store is kept in memory only
(localstripe otherwise pickles it to /tmp on every write); tests empty it with DELETE /_config/data.
"""

import sys

from aiohttp import web
from localstripe import resources
from localstripe.server import app

resources.Store.dump_to_disk = lambda self: None  # memory only: no shared /tmp/localstripe.pickle

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
