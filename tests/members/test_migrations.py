"""The register's tables moved from the events app to the members app without DDL: each app's migration
state must match its tables, as `piccolo migrations new <app> --auto` sees it (nothing to do)."""

from __future__ import annotations

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

from server import apps

PROJECT_APPS = [name.partition(".")[0] for name in apps.modules_named("piccolo_app")]


@pytest.mark.parametrize("app_name", PROJECT_APPS)
async def test_auto_migration_finds_nothing_to_do(app_name):
    app_config = Finder().get_app_config(app_name)
    statements = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=app_config)
    pending = [line for group in statements for line in group.statements]
    assert pending == [], f"{app_name}: `piccolo migrations new {app_name} --auto` would write {pending}"


def test_register_tables_belong_to_members_only():
    members = {t._meta.tablename for t in Finder().get_app_config("members").table_classes}
    events = {t._meta.tablename for t in Finder().get_app_config("events").table_classes}
    assert members == {"organisation", "membership_year", "person"}
    assert not members & events
