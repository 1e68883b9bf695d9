import os

from piccolo.conf.apps import AppConfig

from members.tables import MembershipYear, Organisation, Person

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="members",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Organisation, MembershipYear, Person],
    # The tables were first created by the events app's first migration (the register lived there):
    # members' first migration runs after it and only takes them over (see piccolo_migrations).
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
