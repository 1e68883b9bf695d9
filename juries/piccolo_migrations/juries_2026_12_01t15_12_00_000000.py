"""Juries: one score and one assignment per (juror, entry, round), so a retried write changes nothing."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T15:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique (round, juror, entry) on jury_score and jury_assignment"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="juries", description=DESCRIPTION)

    async def create_indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX jury_score_one ON jury_score (round, juror, entry)")
        await db.run_ddl("CREATE UNIQUE INDEX jury_assignment_one ON jury_assignment (round, juror, entry)")

    async def drop_indexes():
        db = engine_finder()
        await db.run_ddl("DROP INDEX IF EXISTS jury_score_one")
        await db.run_ddl("DROP INDEX IF EXISTS jury_assignment_one")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
