"""PostgreSQL: no foreign-key checks on checkin.event and checkin.device (the redeem hot path).

Every check-in insert made PostgreSQL take FOR KEY SHARE on the event row and on the device row, the
same two rows for every scan at a door: under load these shared locks turn into multixacts and cap the
redeem statement at ~3,000/s where it reaches ~4,200/s without them (pgbench, bench/checkin.py).

Integrity is kept otherwise:
- checkin.event is always the event of checkin.ticket (services insert only tickets of the scan's
  event), and checkin.ticket keeps its ON DELETE CASCADE foreign key, so deleting an event (which
  cascades to its tickets) still deletes its check-ins;
- checkin.device is only ever written from an authenticated device row, and deleting a device still
  clears checkin.device (the former ON DELETE SET NULL) through a trigger.
SQLite keeps its constraints (no row locks there).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-25T10:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: drop the hot-row FK checks of checkin.event/device; device delete trigger"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def drop_fks():
        db = engine_finder()
        if not isinstance(db, PostgresEngine):
            return
        await db.run_ddl("ALTER TABLE checkin DROP CONSTRAINT IF EXISTS checkin_event_fkey")
        await db.run_ddl("ALTER TABLE checkin DROP CONSTRAINT IF EXISTS checkin_device_fkey")
        await db.run_ddl(
            "CREATE OR REPLACE FUNCTION checkin_device_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE checkin SET device = NULL WHERE device = OLD.id; RETURN OLD; END $$"
        )
        await db.run_ddl(
            "CREATE TRIGGER checkin_device_deleted BEFORE DELETE ON checkin_device "
            "FOR EACH ROW EXECUTE FUNCTION checkin_device_deleted()"
        )

    async def restore_fks():
        db = engine_finder()
        if not isinstance(db, PostgresEngine):
            return
        await db.run_ddl("DROP TRIGGER IF EXISTS checkin_device_deleted ON checkin_device")
        await db.run_ddl("DROP FUNCTION IF EXISTS checkin_device_deleted()")
        await db.run_ddl(
            "ALTER TABLE checkin ADD CONSTRAINT checkin_event_fkey FOREIGN KEY (event) REFERENCES event(id) "
            "ON UPDATE CASCADE ON DELETE CASCADE"
        )
        await db.run_ddl(
            "ALTER TABLE checkin ADD CONSTRAINT checkin_device_fkey FOREIGN KEY (device) "
            "REFERENCES checkin_device(id) ON UPDATE CASCADE ON DELETE SET NULL"
        )

    manager.add_raw(drop_fks)
    manager.add_raw_backwards(restore_fks)
    return manager
