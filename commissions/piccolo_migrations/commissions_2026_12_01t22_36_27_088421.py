"""Commission invoices payable by card: the Stripe PaymentIntent started for an invoice. Existing rows get ""
(no payment started), so a database of before migrates forward without a data step."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T22:36:27:088421"
VERSION = "1.38.0"
DESCRIPTION = "Commission invoices: the PaymentIntent of a card payment"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="commissions", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Commission",
        tablename="commission",
        column_name="payment_intent_id",
        db_column_name="payment_intent_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 100,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
