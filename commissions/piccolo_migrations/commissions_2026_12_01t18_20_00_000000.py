"""The speed-meeting commissions recorded before the commissions app (scheduling's meeting_commission, kept
in commission_carry by scheduling's migration of 2026-12-01) become commission records of source "deal":
same ids, amounts, rates and confirmation; "proposed" becomes "expected"; the day won is the day the deal
was reported; the buyer is the meeting's buyer. A migration of its own: Piccolo runs raw steps before it
creates the tables of the same migration."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Speed-meeting commissions carried over into the commission records"


async def _carry_exists(engine) -> bool:
    """Inside the migration's transaction (run_ddl uses it): the holding table left by scheduling."""
    if engine.engine_type == "sqlite":
        rows = await engine.run_ddl(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'commission_carry'"
        )
    else:
        rows = await engine.run_ddl("SELECT to_regclass('commission_carry') IS NOT NULL AS found")
        rows = [r for r in rows if r["found"]]
    return bool(rows)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="commissions", description=DESCRIPTION)

    async def copy_rows():
        engine = engine_finder()
        if not await _carry_exists(engine):
            return
        day = (
            "date(c.created_at)"
            if engine.engine_type == "sqlite"
            else "(c.created_at AT TIME ZONE 'Europe/Paris')::date"
        )
        await engine.run_ddl(
            "INSERT INTO commission (id, source, organisation, programme, meeting, market, buyer, description, "
            "won_on, amount_cents, rate_bp, rate_reason, commission_cents, status, confirmed_at, invoice, "
            "invoiced_at, email, paid_at, payment_method, credit_note, cancelled_at, cancel_reason, reminders, "
            "reminded_at, created_at) "
            "SELECT c.id, 'deal', c.organisation, c.programme, c.meeting, NULL, "
            "COALESCE((SELECT p.organisation_name FROM meeting m JOIN meeting_participant p ON p.id = m.buyer "
            "WHERE m.id = c.meeting), ''), "
            f"c.deal_nature, {day}, c.amount_cents, c.rate_bp, "
            "CASE WHEN c.rate_bp = 1000 THEN '' ELSE 'Taux du programme de rendez-vous' END, "
            "c.commission_cents, CASE WHEN c.status = 'confirmed' THEN 'confirmed' ELSE 'expected' END, "
            "c.confirmed_at, NULL, NULL, '', NULL, '', NULL, NULL, '', 0, NULL, c.created_at "
            "FROM commission_carry c"
        )
        if engine.engine_type != "sqlite":
            await engine.run_ddl(
                "SELECT setval(pg_get_serial_sequence('commission', 'id'), "
                "COALESCE((SELECT max(id) FROM commission), 0) + 1, false)"
            )
        await engine.run_ddl("DROP TABLE commission_carry")

    manager.add_raw(copy_rows)
    return manager
