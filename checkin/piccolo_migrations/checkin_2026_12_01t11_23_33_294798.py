"""Door devices: one-time pairing codes, re-issuable by staff (checkin.services.issue_pairing).

pairing_hash is unique through the index of the next migration (SQLite cannot add a UNIQUE column, and
Piccolo runs a migration's raw steps before its new columns).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T11:23:33:294798"
VERSION = "1.38.0"
DESCRIPTION = "door devices: one-time pairing codes (re-issuable by staff)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="checkin", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Device",
        tablename="checkin_device",
        column_name="paired_at",
        db_column_name="paired_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Device",
        tablename="checkin_device",
        column_name="pairing_expires_at",
        db_column_name="pairing_expires_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Device",
        tablename="checkin_device",
        column_name="pairing_hash",
        db_column_name="pairing_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
