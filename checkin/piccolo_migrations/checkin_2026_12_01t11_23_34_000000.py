"""Door devices: one pending pairing code per hash (the columns come from the previous migration)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T11:23:34:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique index on checkin_device.pairing_hash"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def create_index():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX checkin_device_pairing_hash ON checkin_device (pairing_hash)"
        )

    async def drop_index():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS checkin_device_pairing_hash")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
