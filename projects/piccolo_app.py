import os

from piccolo.conf.apps import AppConfig

from projects.tables import (
    ExpertCost,
    HoursEntry,
    Milestone,
    Project,
    ProjectBill,
    ProjectBillShare,
    ProjectCarrier,
    ProjectDocument,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="projects",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Project,
        ProjectCarrier,
        HoursEntry,
        ProjectBill,
        ProjectBillShare,
        ExpertCost,
        Milestone,
        ProjectDocument,
    ],
    migration_dependencies=["events.piccolo_app", "ticketing.piccolo_app"],
    commands=[],
)
