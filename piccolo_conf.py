"""Piccolo configuration: SQLite file under var/ by default, PostgreSQL when DATABASE_URL is set.

The apps come from server/apps.py (the one list). JOB_MODULES is read by lib.jobs, which finds this module
the way Piccolo does (PICCOLO_CONF), so the kernel learns the domains' job handlers without importing them.
"""

from piccolo.conf.apps import AppRegistry

from lib.db import make_engine
from server import apps

DB = make_engine()

APP_REGISTRY = AppRegistry(apps=apps.piccolo_apps())

JOB_MODULES = apps.job_modules()

EDITION_MODULES = apps.edition_modules()  # read by lib.editions
