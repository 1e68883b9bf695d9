"""One winning check-in per ticket and admission point: a partial unique index (SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T09:22:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "partial unique index: one ok check-in per (ticket, session_key)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def create_index():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX checkin_one_ok ON checkin (ticket, session_key) WHERE status = 'ok'"
        )
        await engine_finder().run_ddl("CREATE INDEX checkin_event_status ON checkin (event, status)")

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS checkin_one_ok")
        await engine_finder().run_ddl("DROP INDEX IF EXISTS checkin_event_status")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
