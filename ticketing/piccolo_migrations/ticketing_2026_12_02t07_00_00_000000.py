"""An index of the unpaid orders that can expire, by event: the decision read of every order and the
expiry sweep look them up instead of visiting all of the event's orders (tests/ticketing/test_hot_plans.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "partial index: unpaid orders by event and expiry"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ticketing", description=DESCRIPTION)

    async def create_index():
        await engine_finder().run_ddl(
            "CREATE INDEX ticketing_order_unpaid_expiry ON ticketing_order (event, expires_at) "
            "WHERE status IN ('pending_payment', 'awaiting_member')"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS ticketing_order_unpaid_expiry")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
