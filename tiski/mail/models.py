from __future__ import annotations

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
    source = models.BinaryField()
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
