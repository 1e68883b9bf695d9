import os

from piccolo.conf.apps import AppConfig

from dues.tables import DuesCall

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="dues",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[DuesCall],
    migration_dependencies=["events.piccolo_app", "ticketing.piccolo_app"],
    commands=[],
)
