"""One dues call per organisation and year: a unique index, the last guard of "calling twice never issues
two invoices" (the call also locks the year). A migration of its own: Piccolo runs raw steps before it
creates the tables of the same migration."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Dues calls: unique per organisation and year"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dues", description=DESCRIPTION)

    async def create_index():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX dues_call_one_per_year ON dues_call (organisation, year)"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS dues_call_one_per_year")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
