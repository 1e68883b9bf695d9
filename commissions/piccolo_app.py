import os

from piccolo.conf.apps import AppConfig

from commissions.tables import CollectiveMarket, Commission

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="commissions",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[CollectiveMarket, Commission],
    migration_dependencies=["events.piccolo_app", "ticketing.piccolo_app", "scheduling.piccolo_app"],
    commands=[],
)
