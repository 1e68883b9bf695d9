"""An index of the public orders that hold places (not confirmed yet), by event: every order's decision
read asks whether the event has any, so that a sold-out answer reads them only when it must
(tests/ticketing/test_hot_plans.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T13:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "partial index: public orders holding places, by event"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ticketing", description=DESCRIPTION)

    async def create_index():
        await engine_finder().run_ddl(
            "CREATE INDEX ticketing_order_holding ON ticketing_order (event, expires_at) "
            "WHERE source = 'public' AND status IN ('reserved', 'awaiting_member', 'pending_payment')"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS ticketing_order_holding")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
