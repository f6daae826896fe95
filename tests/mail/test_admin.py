"""The admin pages for mail: mailbox passwords are never shown, failed mail retried."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import SYSTEM, make_agent, recorded
from tiski.core.errors import ActionError
from tiski.mail.actions import ingest_mail
from tiski.mail.mailboxes import save_mailbox
from tiski.mail.models import Mailbox, RawMail, RawMailStatus
from tiski.stores.models import Store

FIELDS = {
    "address": "support@revontuli.example",
    "host": "imap.example.fi",
    "port": "993",
    "security": "ssl",
    "username": "support",
    "folder": "INBOX",
    "processed_folder": "",
    "enabled": "on",
}


def staff(store: Store) -> Client:
    admin = make_agent("admin@revontuli.example", "Aino Admin", store, is_staff=True)
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def test_a_mailbox_password_is_asked_once_and_never_shown(store: Store) -> None:
    client = staff(store)
    url = "/admin/mail/mailbox/add/"
    refused = client.post(url, {**FIELDS, "store": store.pk, "password": ""})
    assert refused.status_code == 200 and not Mailbox.objects.exists()
    client.post(url, {**FIELDS, "store": store.pk, "password": "app-password-1"})
    mailbox = Mailbox.objects.get()
    assert mailbox.password == "app-password-1"
    page = client.get(f"/admin/mail/mailbox/{mailbox.pk}/change/").content.decode()
    assert "app-password-1" not in page
    # Saved again without typing it: the stored password stays.
    client.post(
        f"/admin/mail/mailbox/{mailbox.pk}/change/",
        {**FIELDS, "store": store.pk, "password": "", "folder": "Tuki"},
    )
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.password) == ("Tuki", "app-password-1")


def test_failed_mail_is_processed_again_from_the_admin(store: Store) -> None:
    client = staff(store)
    failed = ingest_mail(b"From: matti@example.fi\r\nTo: info@elsewhere.example\r\n\r\nHei\r\n")
    assert failed.status == RawMailStatus.FAILED
    page = client.get(f"/admin/mail/rawmail/{failed.raw.pk}/change/").content.decode()
    assert "info@elsewhere.example" in page  # the source and the error are shown
    store.support_email = "info@elsewhere.example"
    store.save()
    client.post(
        "/admin/mail/rawmail/",
        {"action": "process_again", "_selected_action": [failed.raw.pk]},
    )
    assert RawMail.objects.get().status == RawMailStatus.CREATED


def test_mailbox_settings_a_poll_could_not_use_are_refused(store: Store) -> None:
    client = staff(store)
    cases = [
        ({"port": "0"}, "1 to 65535"),
        ({"port": "70000"}, "1 to 65535"),
        ({"processed_folder": "INBOX"}, "another folder"),
    ]
    for bad, reason in cases:
        page = client.post(
            "/admin/mail/mailbox/add/",
            {**FIELDS, "store": store.pk, "password": "pw", **bad},
        )
        assert reason in page.content.decode(), bad  # the form again, with the reason
        assert not Mailbox.objects.exists()


def test_pointing_a_mailbox_elsewhere_reads_it_afresh(store: Store) -> None:
    mailbox = save_mailbox(
        Mailbox(
            store=store,
            address="support@revontuli.example",
            host="imap.example.fi",
            username="support",
            password="pw",
        ),
        actor=SYSTEM,
    )
    Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=7, last_uid=40)
    mailbox.refresh_from_db()
    mailbox.enabled = False
    with recorded() as events:
        save_mailbox(mailbox, actor=SYSTEM)
    assert [(e.type, e.changed) for e in events] == [("mail.mailbox_saved", ["enabled"])]  # type: ignore[attr-defined]
    mailbox.refresh_from_db()
    assert (mailbox.uid_validity, mailbox.last_uid) == (7, 40)  # only switched off
    mailbox.folder = "Tuki"
    save_mailbox(mailbox, actor=SYSTEM)
    mailbox.refresh_from_db()
    assert (mailbox.uid_validity, mailbox.last_uid) == (None, 0)
    with pytest.raises(ActionError, match="another folder"):
        mailbox.processed_folder = "Tuki"
        save_mailbox(mailbox, actor=SYSTEM)
