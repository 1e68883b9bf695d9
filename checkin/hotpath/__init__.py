"""The door's hot path: a redeem answered below the framework with one statement (PostgreSQL, production pool).

- pool       a lean connection pool for one autocommitted statement per use;
- statement  the redeem statement, built from the same constants as the general path (checkin.services);
- lane       the ASGI lane that answers the common case and hands everything else to the framework.
"""
