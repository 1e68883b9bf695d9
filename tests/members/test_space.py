"""The member's space (/members/space/<id>) through the real app: each organisation's people see its
standing, dues, people, stands, meetings, films, projects and subsidies; every invoice and credit note
downloads as a real PDF for them only (another organisation's people get 404); its administrators add
and remove colleagues; staff see every space; FR and EN."""

from __future__ import annotations

import io

from pypdf import PdfReader

from commissions import billing as commission_billing
from commissions import records as commission_records
from dues import calls
from hackathon import teams
from members import space
from members.register import today
from members.tables import Person
from projects import billing, experts, hours
from stands import subsidies
from tests.auth import login_attendee
from tests.conftest import post
from tests.hackathon import factories as hackathon_factories
from tests.projects.factories import project
from tests.stands.factories import fair_day, member
from tests.ticketing.helpers import staff_login

YEAR = today().year


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def two_organisations():
    alpha, alpha_email = await member("Alpha Studio")
    beta, beta_email = await member("Beta Sons")
    return alpha, alpha_email, beta, beta_email


async def test_a_person_sees_their_organisation_and_downloads_its_documents(client, mailbox):
    alpha, alpha_email, beta, beta_email = await two_organisations()
    await calls.call_year(YEAR)
    alpha_call = (await calls.calls_of_organisation(alpha.id))[0]
    beta_call = (await calls.calls_of_organisation(beta.id))[0]
    await calls.cancel(beta_call.id, "Erreur de tranche")  # Beta gets a credit note
    p = await project("Concert immersif", carriers=[alpha.id, beta.id])
    await hours.log_hours(p.id, {"worked_on": today().isoformat(), "who": "Léa", "hours": "10"})
    await experts.record(
        p.id, {"expert": "Acoustique Conseil", "invoiced_on": today().isoformat(), "amount_eur": "1000"}
    )
    bill = await billing.bill_project(p.id)
    alpha_share = next(s for s in bill.shares if s.organisation == alpha.id)
    fair = await subsidies.save_fair(
        {
            "name": "MaMA Festival",
            "place": "Paris",
            "starts_on": fair_day().isoformat(),
            "ends_on": fair_day(32).isoformat(),
            "accreditation_cents": 40000,
        }
    )
    await subsidies.declare(fair.id, organisation_id=alpha.id, declared_by=alpha_email)
    await subsidies.declare(fair.id, organisation_id=beta.id, declared_by=beta_email)

    # nobody signed in: to the sign-in link, then back
    r = client.get(f"/members/space/{alpha.id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/auth/link?next=/members/space/{alpha.id}"

    login_attendee(client, alpha_email, mailbox)
    r = client.get("/members/space", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/members/space/{alpha.id}"
    page = client.get(f"/members/space/{alpha.id}")
    assert page.status_code == 200
    text = page.text
    assert "Alpha Studio" in text and "Espace adhérent" in text
    assert f"Membre à jour de sa cotisation pour {YEAR}" in text
    assert alpha_call.invoice_number in text
    assert "Concert immersif" in text and "Acoustique Conseil" in text and "10 h" in text
    assert "MaMA Festival" in text and "200,00" in text  # 50 % of the 400 € accreditation
    assert "Beta Sons" not in text and beta_call.invoice_number not in text

    # its documents, as real PDFs
    dues_pdf = client.get(f"/members/space/{alpha.id}/documents/dues-invoice/{alpha_call.id}/document.pdf")
    assert dues_pdf.status_code == 200 and dues_pdf.headers["content-type"] == "application/pdf"
    assert alpha_call.invoice_number in pdf_text(dues_pdf.content) and "Alpha Studio" in pdf_text(
        dues_pdf.content
    )
    bill_pdf = client.get(
        f"/members/space/{alpha.id}/documents/project-invoice/{alpha_share.id}/document.pdf"
    )
    assert bill_pdf.status_code == 200 and "Concert immersif" in pdf_text(bill_pdf.content)

    # another organisation's space and documents: 404, even through its own id in this space's URL
    assert client.get(f"/members/space/{beta.id}").status_code == 404
    assert (
        client.get(f"/members/space/{beta.id}/documents/dues-invoice/{beta_call.id}/document.pdf").status_code
        == 404
    )
    assert (
        client.get(
            f"/members/space/{alpha.id}/documents/dues-invoice/{beta_call.id}/document.pdf"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/members/space/{alpha.id}/documents/dues-credit-note/{beta_call.id}/document.pdf"
        ).status_code
        == 404
    )
    assert (
        client.get(f"/members/space/{alpha.id}/documents/nonsense/{alpha_call.id}/document.pdf").status_code
        == 404
    )
    assert client.get("/members/space/999999").status_code == 404

    # Beta's person sees Beta's credit note, and not Alpha's invoice
    client.cookies.clear()
    login_attendee(client, beta_email, mailbox)
    note = client.get(f"/members/space/{beta.id}/documents/dues-credit-note/{beta_call.id}/document.pdf")
    assert note.status_code == 200 and beta_call.credit_note_number in pdf_text(note.content)
    assert (
        client.get(
            f"/members/space/{beta.id}/documents/dues-invoice/{alpha_call.id}/document.pdf"
        ).status_code
        == 404
    )
    assert client.get(f"/members/space/{alpha.id}").status_code == 404


async def test_subsidy_and_documents_match_the_domains(client, mailbox):
    """The space's figures are the domains' own: the subsidy the rule gives, the documents each issued."""
    alpha, alpha_email, beta, _beta_email = await two_organisations()
    fair = await subsidies.save_fair(
        {
            "name": "MIDEM",
            "starts_on": fair_day().isoformat(),
            "ends_on": fair_day(31).isoformat(),
            "accreditation_cents": 80000,
        }
    )
    await subsidies.declare(fair.id, organisation_id=alpha.id, declared_by=alpha_email)
    await subsidies.declare(fair.id, organisation_id=beta.id)
    [mine] = await subsidies.subsidies_of_organisation(alpha.id)
    assert mine.support.subsidy_cents == 30000  # 50 % of 800 € capped at 300 €
    await calls.call_year(YEAR)
    docs = await space.documents_of(alpha.id)
    assert [d.kind for d in docs] == ["dues-invoice"]
    login_attendee(client, alpha_email, mailbox)
    page = client.get(f"/members/space/{alpha.id}")
    assert "300,00" in page.text and "MIDEM" in page.text


async def test_admins_add_and_remove_colleagues_others_cannot(client, mailbox):
    alpha, alpha_email, beta, beta_email = await two_organisations()
    colleague = await Person.objects().where(Person.email == alpha_email).first()

    login_attendee(client, alpha_email, mailbox)
    page = client.get(f"/members/space/{alpha.id}")
    assert "add-person-form" not in page.text  # not an administrator yet
    r = post(
        client,
        f"/members/space/{alpha.id}/people",
        data={"first_name": "Zoé", "last_name": "Roux", "email": "zoe@alpha-studio.example"},
    )
    assert r.status_code == 409 and "administrateurs" in r.text
    assert not await Person.exists().where(Person.email == "zoe@alpha-studio.example")

    colleague.organisation_admin = True
    await colleague.save(columns=[Person.organisation_admin])
    page = client.get(f"/members/space/{alpha.id}")
    assert "add-person-form" in page.text

    # bad input: the field named, in French, nothing written
    r = post(
        client,
        f"/members/space/{alpha.id}/people",
        data={"first_name": "", "last_name": "Roux", "email": "pas-une-adresse"},
    )
    assert r.status_code == 400
    assert "Le prénom est obligatoire." in r.text and "Cette adresse e-mail n’est pas valide." in r.text
    # a person of another organisation is refused
    r = post(
        client,
        f"/members/space/{alpha.id}/people",
        data={"first_name": "Alex", "last_name": "Beta", "email": beta_email},
    )
    assert r.status_code == 400 and "appartient à une autre organisation" in r.text

    r = post(
        client,
        f"/members/space/{alpha.id}/people",
        data={"first_name": "Zoé", "last_name": "Roux", "email": "Zoe@Alpha-Studio.example", "role": "Régie"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Zoé Roux" in r.text and "zoe@alpha-studio.example" in r.text
    zoe = await Person.objects().where(Person.email == "zoe@alpha-studio.example").first()
    assert zoe.organisation == alpha.id and not zoe.organisation_admin

    # an administrator cannot remove themselves; removes a colleague (who stays in the register)
    r = post(client, f"/members/space/{alpha.id}/people/{colleague.id}/remove")
    assert r.status_code == 409
    r = post(client, f"/members/space/{alpha.id}/people/{zoe.id}/remove", follow_redirects=True)
    assert r.status_code == 200 and "zoe@alpha-studio.example" not in r.text
    zoe = await Person.objects().where(Person.id == zoe.id).first()
    assert zoe is not None and zoe.organisation is None
    # a person of another organisation cannot be touched through this space
    beta_person = await Person.objects().where(Person.email == beta_email).first()
    assert post(client, f"/members/space/{alpha.id}/people/{beta_person.id}/remove").status_code == 404
    assert (await Person.objects().where(Person.id == beta_person.id).first()).organisation == beta.id
    # nor through the other organisation's space
    assert post(client, f"/members/space/{beta.id}/people/{beta_person.id}/remove").status_code == 404


async def test_staff_see_every_space_and_manage_people_in_english(client):
    alpha, alpha_email, _beta, _ = await two_organisations()
    await staff_login(client)
    r = client.get("/members/space", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff/members"
    page = client.get(f"/members/space/{alpha.id}?lang=en")
    assert page.status_code == 200 and "Member space" in page.text and "Our people" in page.text
    person = await Person.objects().where(Person.email == alpha_email).first()
    r = post(
        client,
        f"/members/space/{alpha.id}/people/{person.id}/admin",
        data={"admin": "1"},
        follow_redirects=True,
    )
    assert r.status_code == 200
    assert (await Person.objects().where(Person.id == person.id).first()).organisation_admin


async def test_an_address_without_organisation_is_told_so(client, mailbox):
    login_attendee(client, "alice@example.org", mailbox)
    page = client.get("/members/space")
    assert page.status_code == 200 and "n’est pas rattachée à une organisation adhérente" in page.text


async def test_commissions_and_hackathon_teams_in_the_space_of_their_organisation_only(client, mailbox):
    alpha, alpha_email, beta, beta_email = await two_organisations()
    paid = await commission_records.record_business(
        {"organisation": alpha.id, "buyer": "Opéra de Vichy", "amount": "5000", "won_on": f"{YEAR}-03-02"}
    )
    await commission_records.confirm(paid.id)
    await commission_billing.invoice(paid.id)
    await commission_billing.mark_paid(paid.id, "transfer")
    cancelled = await commission_records.record_business(
        {
            "organisation": alpha.id,
            "buyer": "Festival Vidéoformes",
            "amount": "2000",
            "won_on": f"{YEAR}-05-10",
            "rate_percent": "15",
            "rate_reason": "Coordination lourde",
        }
    )
    await commission_records.confirm(cancelled.id)
    await commission_billing.invoice(cancelled.id)
    cancelled = await commission_billing.cancel(cancelled.id, "Marché annulé")
    expected = await commission_records.record_business(
        {"organisation": alpha.id, "buyer": "Ville de Riom", "amount": "1000", "won_on": f"{YEAR}-06-01"}
    )
    theirs = await commission_records.record_business(
        {"organisation": beta.id, "buyer": "Cinéma Le Rio", "amount": "3000", "won_on": f"{YEAR}-04-01"}
    )
    await commission_records.confirm(theirs.id)
    await commission_billing.invoice(theirs.id)
    theirs = await commission_records.get_record(theirs.id)

    ed = await hackathon_factories.edition()
    ours = (await hackathon_factories.register(ed, 1, name="Léa Martin", email=alpha_email)).participant
    other = (await hackathon_factories.register(ed, 2, name="Nour Benali")).participant
    alone = (
        await hackathon_factories.register(ed, 3, name="Paul Alpha", organisation="Alpha Studio")
    ).participant
    created = await teams.create_team(ours, {"name": "Les Échos"})
    await teams.join_team(other, created.invite_token)
    assert alone.organisation == alpha.id and alone.team is None

    login_attendee(client, alpha_email, mailbox)
    page = client.get(f"/members/space/{alpha.id}")
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="section-commissions"' in text and 'data-testid="section-hackathons"' in text
    for record in (paid, cancelled, expected):
        assert f'data-testid="commission-{record.id}"' in text
    assert f'data-testid="commission-{theirs.id}"' not in text and "Cinéma Le Rio" not in text
    assert "Coordination lourde" in text and "15 %" in text
    assert 'data-testid="pay-commissions"' not in text  # nothing invoiced is left unpaid
    # the year: 600 € expected in all, 500 € of it invoiced and paid; the cancelled 300 € left out
    year_row = text.split(f'data-testid="commission-year-{YEAR}"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0].replace("\xa0", " ") for c in year_row.split("<td>")[1:]]
    assert cells == [str(YEAR), "600,00 €", "500,00 €", "500,00 €"]
    assert "Les Échos" in text and "Léa Martin" in text and "Nour Benali" not in text
    assert "Paul Alpha" in text  # registered without a team

    # the commission invoice and credit note download as real PDFs, for Alpha's people only
    invoice = client.get(f"/members/space/{alpha.id}/documents/commission-invoice/{paid.id}/document.pdf")
    assert invoice.status_code == 200 and invoice.headers["content-type"] == "application/pdf"
    assert (await commission_records.get_record(paid.id)).invoice_number in pdf_text(invoice.content)
    credit = client.get(
        f"/members/space/{alpha.id}/documents/commission-credit-note/{cancelled.id}/document.pdf"
    )
    assert credit.status_code == 200 and cancelled.credit_note_number in pdf_text(credit.content)
    not_ours = client.get(f"/members/space/{alpha.id}/documents/commission-invoice/{theirs.id}/document.pdf")
    assert not_ours.status_code == 404
    assert client.get(f"/members/space/{beta.id}").status_code == 404
    client.cookies.clear()
    login_attendee(client, beta_email, mailbox)
    beta_page = client.get(f"/members/space/{beta.id}").text
    assert 'href="/commissions" data-testid="pay-commissions"' in beta_page  # its invoice is unpaid


def test_the_sections_start_with_standing_and_people():
    keys = [s.key for s in space.SECTIONS]
    assert keys[:2] == ["standing", "people"] and {"commissions", "hackathons"} <= set(keys)
