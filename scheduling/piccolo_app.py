import os

from piccolo.conf.apps import AppConfig

from scheduling.tables import (
    Availability,
    Decline,
    Meeting,
    MeetingDay,
    MeetingProgramme,
    MeetingReport,
    Participant,
    ScheduleRun,
    UnmetWish,
    Wish,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="scheduling",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        MeetingProgramme,
        MeetingDay,
        Participant,
        Availability,
        Wish,
        Decline,
        Meeting,
        ScheduleRun,
        UnmetWish,
        MeetingReport,
    ],
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
