import os

from piccolo.conf.apps import AppConfig

from stands.tables import (
    Badge,
    Booking,
    BookingOption,
    BookingShare,
    ExhibitorProfile,
    Feature,
    FloorPlan,
    Stand,
    StandCategory,
    StandOption,
    TradeFair,
    TradeFairParticipant,
    WaitingEntry,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="stands",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        FloorPlan,
        StandCategory,
        Stand,
        Feature,
        StandOption,
        Booking,
        BookingShare,
        BookingOption,
        WaitingEntry,
        ExhibitorProfile,
        Badge,
        TradeFair,
        TradeFairParticipant,
    ],
    migration_dependencies=["events.piccolo_app", "ticketing.piccolo_app"],
    commands=[],
)
