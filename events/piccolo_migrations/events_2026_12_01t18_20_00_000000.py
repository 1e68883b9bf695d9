"""The member register's tables (organisation, membership_year, person) now belong to the members app.

State only: no DDL runs (fake=True), the tables and their rows stay where they are; this removes them from
the events app's migration state so that `piccolo migrations new events --auto` no longer sees them. The
members app's first migration adds them to its own state (members/piccolo_migrations).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Hand the member register's tables over to the members app (state only)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION, fake=True)
    for class_name, tablename in (
        ("Person", "person"),
        ("MembershipYear", "membership_year"),
        ("Organisation", "organisation"),
    ):
        manager.drop_table(class_name=class_name, tablename=tablename, schema=None)
    return manager
