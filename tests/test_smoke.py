def test_schema_is_served(client):
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    assert r.json()["info"]["title"] == "LE DAMIER events API"


async def test_email_job_is_delivered_over_smtp(jobs_worker, mailbox):
    from lib.jobs import atomic, wait_idle
    from lib.mail import queue_email

    async with atomic():
        await queue_email(
            "someone@example.org", "Bonjour", "Texte", attachments=[("a.txt", "text/plain", b"hi")]
        )
    await wait_idle()
    [msg] = mailbox.wait_for("someone@example.org")
    assert msg["Subject"] == "Bonjour"
    assert [p.get_filename() for p in msg.iter_attachments()] == ["a.txt"]
