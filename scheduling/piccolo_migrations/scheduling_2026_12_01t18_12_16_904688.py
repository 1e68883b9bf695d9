"""The speed-meeting commissions move to the commissions app (issue 15), which owns every commission record.

Apps migrate in dependency order, and commissions depends on scheduling (a record names its meeting), so this
migration runs before the commissions table exists: it keeps the rows in a holding table, commission_carry,
that the commissions app's data migration copies into its table and then drops. Piccolo runs raw steps first,
so the rows are kept before meeting_commission is dropped."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T18:12:16:904688"
VERSION = "1.38.0"
DESCRIPTION = "Commissions move to the commissions app"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="scheduling", description=DESCRIPTION
    )

    async def carry_rows():
        await engine_finder().run_ddl("DROP TABLE IF EXISTS commission_carry")
        await engine_finder().run_ddl(
            "CREATE TABLE commission_carry AS SELECT * FROM meeting_commission"
        )

    manager.add_raw(carry_rows)

    manager.drop_table(
        class_name="Commission", tablename="meeting_commission", schema=None
    )

    return manager
