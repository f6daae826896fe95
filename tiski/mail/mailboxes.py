"""Every write of a store's IMAP mailbox settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.mail.events import MailboxSaved
from tiski.mail.models import Mailbox

# Where the server is and what it reads: changing one of these starts reading afresh.
_LOCATION = ("host", "port", "username", "folder")
_SETTINGS = (
    "store_id",
    "address",
    *_LOCATION,
    "security",
    "password",
    "processed_folder",
    "enabled",
)


def check_mailbox(mailbox: Mailbox) -> None:
    """Refuse settings a poll could never use; raises ActionError."""
    if not 0 < mailbox.port < 65536:
        raise ActionError(_("A port is a number from 1 to 65535."), field="port")
    if not mailbox.folder.strip():
        raise ActionError(_("Name the folder to read, e.g. INBOX."), field="folder")
    if mailbox.processed_folder.strip() == mailbox.folder.strip():
        # Moved into the folder it was read from, mail would come back as new.
        raise ActionError(
            _("Processed mail must go to another folder than the one read."),
            field="processed_folder",
        )


@transaction.atomic
def save_mailbox(mailbox: Mailbox, *, actor: Actor) -> Mailbox:
    """Add or change a mailbox. Pointing it elsewhere forgets how far it was read."""
    check_mailbox(mailbox)
    before = Mailbox.objects.select_for_update().filter(pk=mailbox.pk).first()
    changed = [
        name
        for name in _SETTINGS
        if before is None or getattr(before, name) != getattr(mailbox, name)
    ]
    if before is not None and not changed:
        return mailbox
    if before is None:
        mailbox.save()
    else:
        # Only the settings: how far the mailbox was read and the reading worker's
        # lease are the worker's, and a form loaded before its last read holds old ones.
        fields = list(changed)
        if any(name in _LOCATION for name in changed):
            mailbox.uid_validity, mailbox.last_uid = None, 0
            fields += ["uid_validity", "last_uid"]
        mailbox.save(update_fields=fields)
    publish(
        MailboxSaved(
            store_id=mailbox.store_id,
            actor=actor,
            mailbox_id=mailbox.pk,
            changed=[name.removesuffix("_id") for name in changed],
        )
    )
    return mailbox
