import os

from piccolo.conf.apps import AppConfig

from juries.tables import (
    Assignment,
    Call,
    Decision,
    DeclaredRecusal,
    Entry,
    Juror,
    Round,
    Score,
    ScreeningProgramme,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="juries",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Call,
        Entry,
        Juror,
        DeclaredRecusal,
        Round,
        Assignment,
        Score,
        Decision,
        ScreeningProgramme,
    ],
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
