from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiski.conversations.models import Conversation, Message
from tiski.stores.models import Store


class Via(models.TextChoices):
    SMTP = "smtp", _("SMTP listener")
    IMAP = "imap", _("IMAP mailbox")
    FILE = "file", _("File import")


class RawMailStatus(models.TextChoices):
    NEW = "new", _("Not processed yet")
    CREATED = "created", _("Opened a conversation")
    APPENDED = "appended", _("Added to a conversation")
    DUPLICATE = "duplicate", _("Already stored")
    IGNORED = "ignored", _("Ignored")
    BOUNCE = "bounce", _("Bounce")
    FAILED = "failed", _("Failed")


class RawMail(models.Model):
    """A mail exactly as it arrived, stored before anything reads it.

    Whatever happens while parsing or threading, the source stays here: a failure is
    marked with its error and can be processed again (``tiski mail retry``).
    """

    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.CASCADE, related_name="raw_mails"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    # The bytes themselves are a RawMailSource of their own (see there); ``source`` reads them.
    size = models.PositiveIntegerField()
    # The SMTP envelope's recipients (RCPT TO), one per line: a Bcc or a forwarding
    # rule leaves the support address out of the headers.
    envelope_to = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    # Copied from the headers when processed, for the admin's list.
    message_id_header = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=RawMailStatus.choices, default=RawMailStatus.NEW
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="rawmail_status_received"),
            models.Index(fields=["sha256"], name="rawmail_sha256"),
        ]
        verbose_name = _("raw mail")
        verbose_name_plural = _("raw mails")

    def __str__(self) -> str:
        return f"{self.sender or '?'}: {self.subject or self.message_id_header or self.pk}"

    @property
    def source(self) -> bytes:
        """The mail exactly as it arrived (read once, then kept on the instance)."""
        kept: bytes | None = self.__dict__.get("_source")
        if kept is None:
            data = RawMailSource.objects.values_list("data", flat=True).get(raw_id=self.pk)
            kept = self.__dict__["_source"] = bytes(data)
        return kept

    def keep_source(self, source: bytes | memoryview) -> None:
        """Give the instance its source, read or written elsewhere, without a query."""
        self.__dict__["_source"] = bytes(source)


class RawMailSource(models.Model):
    """The bytes of a raw mail, in a row of their own.

    Written once, never changed. Kept apart from the RawMail row, which is updated when
    the mail is processed: SQLite rewrites a whole row on any update, megabytes of
    source included, and listing raw mail never needs them.
    """

    raw = models.OneToOneField(
        RawMail, primary_key=True, on_delete=models.CASCADE, related_name="stored_source"
    )
    data = models.BinaryField()

    class Meta:
        verbose_name = _("raw mail source")
        verbose_name_plural = _("raw mail sources")

    def __str__(self) -> str:
        return f"source of raw mail {self.raw_id}"


def read_sources(raws: Sequence[RawMail]) -> None:
    """Give raw mails read from the database (a retry) their sources, in one query."""
    missing = {raw.pk: raw for raw in raws if "_source" not in raw.__dict__}
    if missing:
        found = RawMailSource.objects.filter(raw_id__in=missing).values_list("raw_id", "data")
        for raw_id, data in found:
            missing[raw_id].keep_source(data)


class Security(models.TextChoices):
    SSL = "ssl", _("TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (only on a trusted network)")


class Mailbox(models.Model):
    """An IMAP mailbox Tiski reads a store's mail from.

    ``last_uid`` under ``uid_validity`` is how far it has been read: a mail's source is
    committed together with its UID, so a mail is never fetched twice and never skipped.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="mailboxes")
    address = models.EmailField(_("address"), help_text=_("The address whose mail this is."))
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=255)
    # Kept as given: IMAP needs the password itself. Limit who can read the database.
    password = models.CharField(_("password"), max_length=255)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("move processed mail to"),
        max_length=255,
        blank=True,
        help_text=_("A folder; when empty, processed mail stays and is flagged instead."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    # One poller at a time, whatever the number of workers: a lease, not a lock, so a
    # worker that dies mid-poll holds nobody up for long.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["store", "address"]
        verbose_name = _("IMAP mailbox")
        verbose_name_plural = _("IMAP mailboxes")

    def __str__(self) -> str:
        return f"{self.address} ({self.host})"
