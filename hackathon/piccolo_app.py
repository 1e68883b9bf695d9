import os

from piccolo.conf.apps import AppConfig

from hackathon.tables import Challenge, Edition, HackParticipant, MentorSlot, Submission, Team

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="hackathon",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Edition, Challenge, Team, HackParticipant, Submission, MentorSlot],
    migration_dependencies=["events.piccolo_app", "ticketing.piccolo_app", "juries.piccolo_app"],
    commands=[],
)
