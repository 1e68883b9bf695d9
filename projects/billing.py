"""Bills for the support hours: French invoices with the cluster's gapless numbering (ticketing.invoices),
split among the carriers by their agreed shares, as PDFs (ticketing.documents).

A bill charges the project's whole total at its bracket's rate (projects.hours) less what earlier bills
already charged, so billing at 34 h then at 51 h charges 1,190 € then 340 € (51 h × 30 € = 1,530 €).
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.db import write_transaction
from lib.errors import Conflict, NotFound
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from lib.templating import fmt_money
from members.tables import Organisation
from projects import hours
from projects.records import carriers_of, get_project
from projects.tables import ProjectBill, ProjectBillShare
from ticketing import documents
from ticketing.invoices import write_invoice
from ticketing.tables import Invoice


@dataclass(frozen=True)
class BillResult:
    bill: ProjectBill
    shares: list[ProjectBillShare]


def split(amount_cents: int, shares_bp: list[int]) -> list[int]:
    """Amount split by basis points, largest remainders first, so the parts add up exactly."""
    raw = [amount_cents * bp for bp in shares_bp]
    parts = [r // 10000 for r in raw]
    left = amount_cents - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] % 10000), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def vat_of(ht_cents: int) -> int:
    return (ht_cents * get_settings().vat_rate_percent + 50) // 100


async def billed_ht(project_id: int) -> int:
    rows = await ProjectBill.select(ProjectBill.amount_ht_cents).where(ProjectBill.project == project_id)
    return sum(r["amount_ht_cents"] for r in rows)


async def bill_project(project_id: int) -> BillResult:
    """One bill for the hours not yet charged, one invoice per carrier with a non-zero share."""
    project = await get_project(project_id)
    async with write_transaction():
        await lock("projects", "bill", project.id)  # two clicks never bill the same hours twice
        rate = hours.rate_for(await hours.total_minutes(project.id))
        previously = await billed_ht(project.id)
        amount = rate.whole_ht_cents - previously
        if amount <= 0:
            raise Conflict(
                _(
                    "Nothing to bill: the hours logged (%(total)s HT) are already billed (%(billed)s HT).",
                    total=fmt_money(rate.whole_ht_cents),
                    billed=fmt_money(previously),
                )
            )
        bill = ProjectBill(
            project=project.id,
            total_minutes=rate.total_minutes,
            rate_cents=rate.rate_cents,
            whole_ht_cents=rate.whole_ht_cents,
            previously_billed_ht_cents=previously,
            amount_ht_cents=amount,
        )
        await bill.save()
        carriers = await carriers_of(project.id)
        parts = split(amount, [c.share_bp for c in carriers])
        shares = []
        for carrier, part in zip(carriers, parts, strict=True):
            if part <= 0:
                continue
            org = await Organisation.objects().where(Organisation.id == carrier.organisation).first()
            assert org is not None
            vat = vat_of(part)
            invoice = await write_invoice(
                order_id=None,
                buyer_name=project.lead_name if not org.email else org.name,
                buyer_email=org.email or project.lead_email,
                buyer_organisation=org.name,
                total_ht_cents=part,
                total_vat_cents=vat,
                total_ttc_cents=part + vat,
            )
            share = ProjectBillShare(
                bill=bill.id,
                organisation=org.id,
                share_bp=carrier.share_bp,
                amount_ht_cents=part,
                vat_cents=vat,
                amount_ttc_cents=part + vat,
                invoice=invoice.id,
            )
            await share.save()
            shares.append(share)
    return BillResult(bill, shares)


async def bills_of(project_id: int) -> list[ProjectBill]:
    return await ProjectBill.objects().where(ProjectBill.project == project_id).order_by(ProjectBill.id)


async def shares_of(bill_id: int) -> list[ProjectBillShare]:
    return (
        await ProjectBillShare.objects().where(ProjectBillShare.bill == bill_id).order_by(ProjectBillShare.id)
    )


def _hours_label(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


async def share_pdf(share_id: int) -> tuple[str, bytes]:
    """The invoice PDF of one carrier's part of a bill: (number, bytes)."""
    share = await ProjectBillShare.objects().where(ProjectBillShare.id == share_id).first()
    if share is None or share.invoice is None:
        raise NotFound(_("This invoice does not exist."))
    bill = await ProjectBill.objects().where(ProjectBill.id == share.bill).first()
    invoice = await Invoice.select().where(Invoice.id == share.invoice).first()
    assert bill is not None and invoice is not None
    project = await get_project(bill.project)
    label = _("Project support: %(title)s", title=project.title)
    footer = " ".join(
        [
            _(
                "%(hours)s h in total at %(rate)s/h = %(whole)s HT; already billed %(before)s HT; "
                "this bill %(amount)s HT, of which your share (%(percent)s %%) %(part)s HT.",
                hours=_hours_label(bill.total_minutes),
                rate=fmt_money(bill.rate_cents),
                whole=fmt_money(bill.whole_ht_cents),
                before=fmt_money(bill.previously_billed_ht_cents),
                amount=fmt_money(bill.amount_ht_cents),
                percent=f"{share.share_bp / 100:g}",
                part=fmt_money(share.amount_ht_cents),
            ),
            hours.bracket_rule_text(),
        ]
    )
    lines = [{"label": label[:60], "quantity": 1, "unit_ht": share.amount_ht_cents}]
    return invoice["number"], documents.document_pdf(invoice, lines, footer)
