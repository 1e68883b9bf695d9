import os

from piccolo.conf.apps import AppConfig

from lib.tables import OutboxJob, RateLimitHit

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[OutboxJob, RateLimitHit],
    migration_dependencies=[],
    commands=[],
)
