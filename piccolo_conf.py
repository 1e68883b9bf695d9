"""Piccolo configuration: SQLite file under var/ by default, PostgreSQL when DATABASE_URL is set."""

from piccolo.conf.apps import AppRegistry

from server.db import make_engine

DB = make_engine()

APP_REGISTRY = AppRegistry(
    apps=[
        "server.piccolo_app",
        "accounts.piccolo_app",
        "events.piccolo_app",
        "ticketing.piccolo_app",
        "scheduling.piccolo_app",
        "checkin.piccolo_app",
        "juries.piccolo_app",
        "stands.piccolo_app",
        "piccolo_admin.piccolo_app",
    ]
)
