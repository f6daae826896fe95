from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiski.agents.models import Team
from tiski.contacts.models import Contact
from tiski.core import clock
from tiski.stores.models import Store, hex_color


class Channel(models.TextChoices):
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    API = "api", _("API")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    SNOOZED = "snoozed", _("Snoozed")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Statuses in which the conversation still needs the desk's attention at some point.
UNRESOLVED = (Status.OPEN, Status.PENDING, Status.SNOOZED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Label(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=50)
    color = models.CharField(_("colour"), max_length=7, default="#6e7781", validators=[hex_color])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="label_store_name")]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    # Covered by the composite indexes below, so no single-column FK indexes.
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="conversations", db_index=False
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="conversations", db_index=False
    )
    # Per-store reference shown to customers and agents: [#RVT-1234].
    number = models.PositiveIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
        db_index=False,
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    labels = models.ManyToManyField(
        Label, related_name="conversations", blank=True, through="ConversationLabel"
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField()
    # The inbox's "newest first": the last reply in either direction (notes don't count).
    last_message_at = models.DateTimeField()
    # Denormalised so inbox lists render from one table with no per-row queries.
    last_message_preview = models.CharField(max_length=200, blank=True)
    last_message_direction = models.CharField(max_length=3, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # Since when the customer has waited for an answer; None when the desk spoke last.
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Highest sequence number handed out in this conversation (messages and events).
    last_seq = models.PositiveIntegerField(default=0)
    # An address a chat visitor typed for answers by email. Not an identity of the
    # contact: it is unverified, and matching on it would let anyone claim someone
    # else's customer record.
    reply_to_email = models.EmailField(blank=True)
    # Other people the customer's mail was to or copied to: replies copy them too, so a
    # customer's colleague or partner stays in the loop. Lowercase addresses, never one
    # of the desk's own (tiski.mail.recipients), at most MAX_CC_ADDRESSES.
    cc_addresses = models.JSONField(_("Cc"), default=list, blank=True)
    # Read receipts: the highest sequence number each side has seen.
    contact_read_seq = models.PositiveIntegerField(default=0)
    agent_read_seq = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="conversation_store_number")
        ]
        indexes = [
            # "all open in store X", per-store status views: newest first, keyset paging.
            models.Index(
                "store", "status", models.F("last_message_at").desc(), models.F("id").desc(),
                name="conv_store_status_recent",
            ),
            # Across every store an agent belongs to.
            models.Index(
                "status", models.F("last_message_at").desc(), models.F("id").desc(),
                name="conv_status_recent",
            ),
            # "mine".
            models.Index(
                "assignee", "status", models.F("last_message_at").desc(), models.F("id").desc(),
                name="conv_assignee_status_recent",
            ),
            # Per team.
            models.Index(
                "team", "status", models.F("last_message_at").desc(), models.F("id").desc(),
                name="conv_team_status_recent",
            ),
            # "unassigned": small partial index, the rows nobody has picked up yet.
            models.Index(
                "store", "status", models.F("last_message_at").desc(), models.F("id").desc(),
                name="conv_unassigned_recent",
                condition=Q(assignee__isnull=True),
            ),
            # The contact card's previous conversations.
            models.Index("contact", models.F("created_at").desc(), name="conv_contact_recent"),
            # The snooze alarm clock.
            models.Index(
                "snoozed_until", name="conv_snoozed_until", condition=Q(status="snoozed")
            ),
        ]  # fmt: skip
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.store.reference_prefix}-{self.number}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED


class ConversationLabel(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, db_index=False)
    label = models.ForeignKey(Label, on_delete=models.CASCADE, db_index=False)
    # A copy of the conversation's status, so "open conversations with this label" is
    # one index range instead of a join over every labelled conversation. The actions
    # that change a status keep it in step (timeline.sync_label_status).
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "label"], name="conv_label_unique")
        ]
        indexes = [models.Index(fields=["label", "status"], name="conv_label_by_status")]

    def __str__(self) -> str:
        return f"{self.conversation_id}:{self.label_id}"


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class AuthorType(models.TextChoices):
    CONTACT = "contact", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class Kind(models.TextChoices):
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")
    EVENT = "event", _("Activity")


class DeliveryStatus(models.TextChoices):
    # Notes and activity entries go nowhere; they are only stored.
    STORED = "stored", _("Stored")
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    seq = models.PositiveIntegerField()
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author_type = models.CharField(max_length=10, choices=AuthorType.choices)
    author_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Display name for authors that are neither the contact nor an agent (integrations).
    author_label = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPLY)
    body_text = models.TextField(blank=True)
    # Always sanitised (tiski.core.html) before it is stored.
    body_html = models.TextField(blank=True)
    # The channel's id for this message (email Message-ID, widget client id, ...).
    external_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    error = models.CharField(max_length=500, blank=True)
    # Sent by the desk on its own (an acknowledgement), not written by anyone: its email
    # says so (Auto-Submitted), so that other machines do not answer it.
    automatic = models.BooleanField(default=False)
    # For kind=event: what happened, rendered in the reader's language at display time.
    event_data = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_conv_seq"),
            # Idempotency: the same channel message enters a conversation once.
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                name="message_conv_external_id",
                condition=~Q(external_id=""),
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conv_created"),
            # A mail's In-Reply-To/References name a message, not its conversation.
            models.Index(
                fields=["external_id"], name="message_external_id", condition=~Q(external_id="")
            ),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq} {self.kind}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder per file: names stay readable, paths stay unguessable.
    return f"attachments/{instance.token}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Inline images of an email refer to their attachment by Content-ID.
    content_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ConversationEvent(models.Model):
    """The conversation's event log, for clients resuming "after seq N".

    Old entries are pruned; a client asking for a pruned range reloads instead.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=50)
    payload = models.JSONField()
    # False for notes and internal changes: never replayed to the customer's widget.
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="event_conv_seq")
        ]
        indexes = [models.Index(fields=["created_at"], name="event_created")]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq} {self.type}"


class CannedResponse(models.Model):
    """A saved answer, picked in the composer by typing /shortcut."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="canned_responses")
    shortcut = models.SlugField(pgettext_lazy("canned response", "shortcut"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shortcut"]
        constraints = [
            models.UniqueConstraint(fields=["store", "shortcut"], name="canned_store_shortcut")
        ]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return f"/{self.shortcut}"
