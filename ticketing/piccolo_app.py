import os

from piccolo.conf.apps import AppConfig

from ticketing.tables import (
    CreditNote,
    DocumentCounter,
    EventSales,
    Invoice,
    MemberConfirmation,
    Order,
    ProcessedStripeEvent,
    SaleQueue,
    SaleQueuePass,
    Ticket,
    TicketType,
    WaitingListEntry,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="ticketing",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        TicketType,
        EventSales,
        Order,
        Ticket,
        DocumentCounter,
        Invoice,
        CreditNote,
        ProcessedStripeEvent,
        WaitingListEntry,
        MemberConfirmation,
        SaleQueue,
        SaleQueuePass,
    ],
    migration_dependencies=["events.piccolo_app"],
    commands=[],
)
