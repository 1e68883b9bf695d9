"""checkin.event and checkin.device become plain integers (no foreign-key constraint).

Why: every check-in insert made PostgreSQL take FOR KEY SHARE on the same event row and the same device
row; with many doors scanning at once those shared locks turn into multixacts, the main cost of the
redeem statement's tail latency (bench/checkin.py: p99 145 ms -> 40 ms, +12 % redeems/s). Integrity is
kept by the code and the ticket foreign key: checkin.event is always copied from the ticket's event (and
the ticket foreign key, ON DELETE CASCADE, removes check-ins with their event's tickets); devices are
revoked, never deleted, except with their event.

PostgreSQL: drop the two constraints. SQLite cannot drop a constraint: the table is rebuilt without
them (same columns, same data, same indexes). Piccolo's column changes are recorded for its migration
snapshot only (the DDL is the raw step's).
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey, Integer
from piccolo.engine import engine_finder

ID = "2026-11-25T12:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "checkin.event and checkin.device without foreign-key constraints"

FKS = {"event": ("event", "CASCADE"), "device": ("checkin_device", "SET NULL")}


class _RawDDL(MigrationManager):
    """The alter_column entries describe the change for Piccolo's snapshot; the raw step runs it."""

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        return None


async def _sqlite_rebuild(with_fks: bool) -> None:
    db = engine_finder()
    rows = await db.run_ddl(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'checkin' AND sql IS NOT NULL"
    )
    table_sql = next(r["sql"] for r in rows if r["type"] == "table")
    indexes = [r["sql"] for r in rows if r["type"] == "index"]
    for column, (target, on_delete) in FKS.items():
        plain = f'"{column}" INTEGER DEFAULT null'
        linked = (
            f'"{column}" INTEGER REFERENCES "{target}" ("id") ON DELETE {on_delete} ON UPDATE CASCADE '
            "DEFAULT null"
        )
        pattern = re.escape(plain if with_fks else linked)
        table_sql, count = re.subn(pattern, linked if with_fks else plain, table_sql)
        assert count == 1, f"checkin.{column}: unexpected SQLite definition {table_sql!r}"
    new_sql = table_sql.replace('CREATE TABLE "checkin"', 'CREATE TABLE "checkin_rebuilt"', 1)
    await db.run_ddl(new_sql)
    await db.run_ddl('INSERT INTO "checkin_rebuilt" SELECT * FROM "checkin"')
    await db.run_ddl('DROP TABLE "checkin"')
    await db.run_ddl('ALTER TABLE "checkin_rebuilt" RENAME TO "checkin"')
    for sql in indexes:
        await db.run_ddl(sql)


async def forwards():
    manager = _RawDDL(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def drop_constraints():
        db = engine_finder()
        if db.engine_type == "sqlite":
            await _sqlite_rebuild(with_fks=False)
        else:
            await db.run_ddl(
                "ALTER TABLE checkin DROP CONSTRAINT IF EXISTS checkin_event_fkey, "
                "DROP CONSTRAINT IF EXISTS checkin_device_fkey"
            )

    async def add_constraints():
        db = engine_finder()
        if db.engine_type == "sqlite":
            await _sqlite_rebuild(with_fks=True)
        else:
            await db.run_ddl("UPDATE checkin SET device = NULL WHERE device NOT IN (SELECT id FROM checkin_device)")
            await db.run_ddl(
                "ALTER TABLE checkin ADD CONSTRAINT checkin_event_fkey FOREIGN KEY (event) REFERENCES event (id) "
                "ON UPDATE CASCADE ON DELETE CASCADE, ADD CONSTRAINT checkin_device_fkey FOREIGN KEY (device) "
                "REFERENCES checkin_device (id) ON UPDATE CASCADE ON DELETE SET NULL"
            )

    manager.add_raw(drop_constraints)
    manager.add_raw_backwards(add_constraints)
    for column in FKS:
        manager.alter_column(
            table_class_name="CheckIn",
            tablename="checkin",
            column_name=column,
            db_column_name=column,
            params={"default": None, "null": True},
            old_params={},
            column_class=Integer,
            old_column_class=ForeignKey,
            schema=None,
        )
    return manager
