"""Messages entering and leaving conversations: the one path every channel takes."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.agents.models import Agent, Membership
from tiski.contacts.models import Contact
from tiski.conversations.actions import timeline
from tiski.conversations.attachments import IncomingFile, save_attachments
from tiski.conversations.events import (
    ConversationAssigned,
    MessageStatusChanged,
)
from tiski.conversations.models import (
    AuthorType,
    Channel,
    Conversation,
    DeliveryStatus,
    Direction,
    Kind,
    Message,
)
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.html import html_to_text, sanitize_html, text_to_html
from tiski.stores.models import Store


def _check_body(text: str, html: str, files: Sequence[IncomingFile]) -> None:
    if not text.strip() and not html_to_text(html).strip() and not files:
        raise ActionError(_("The message is empty."), field="text")
    if len(text) > settings.MAX_MESSAGE_CHARS or len(html) > settings.MAX_MESSAGE_CHARS * 4:
        raise ActionError(
            _("The message is longer than %(n)d characters.") % {"n": settings.MAX_MESSAGE_CHARS},
            field="text",
        )


def _existing(conversation_ids: list[int], external_id: str) -> Message | None:
    if not external_id or not conversation_ids:
        return None
    return (
        Message.objects.select_related("conversation__store")
        .filter(conversation_id__in=conversation_ids, external_id=external_id)
        .first()
    )


@transaction.atomic
def start_conversation(
    store: Store,
    contact: Contact,
    *,
    channel: str,
    actor: Actor,
    subject: str = "",
    language: str = "",
) -> Conversation:
    """Open a conversation from the desk's side (an agent writes to a customer first)."""
    if contact.store_id != store.pk:
        raise ActionError(_("The contact belongs to another store."), field="contact")
    if channel not in Channel.values:
        raise ActionError(_("Unknown channel."), field="channel")
    conversation = timeline.open_conversation(
        store,
        contact,
        channel=channel,
        subject=subject,
        language=language,
        actor=actor,
        created_at=clock.now(),
    )
    return conversation


def _check_author(conversation: Conversation, author: Agent | None) -> None:
    if author is None:
        return
    if (
        not author.is_active
        or not Membership.objects.filter(agent=author, store_id=conversation.store_id).exists()
    ):
        raise ActionError(_("Only the store's agents can write here."), field="author")


@transaction.atomic
def send_reply(
    conversation: Conversation,
    *,
    actor: Actor,
    text: str,
    author: Agent | None = None,
    html: str = "",
    attachments: Sequence[IncomingFile] = (),
    external_id: str = "",
) -> Message:
    """Answer the customer. The message is queued and a task delivers it on its channel.

    An unassigned conversation is assigned to the agent who answers it.
    """
    from tiski.conversations.tasks import deliver_message

    _check_body(text, html, attachments)
    _check_author(conversation, author)
    conversation = timeline.lock(conversation)
    if conversation.merged_into_id:
        raise ActionError(_("This conversation was merged; answer in the one it was merged into."))
    if external_id and _existing([conversation.pk], external_id):
        raise ActionError(_("This message was already sent."), code="duplicate")
    clean_html = sanitize_html(html) if html else text_to_html(text)
    message = timeline.append_message(
        conversation,
        direction=Direction.OUT,
        author_type=AuthorType.AGENT if author else AuthorType.SYSTEM,
        author_agent_id=author.pk if author else None,
        author_label="" if author else actor.name,
        kind=Kind.REPLY,
        text=text.strip() or html_to_text(clean_html),
        html=clean_html,
        external_id=external_id[:255],
        status=DeliveryStatus.QUEUED,
    )
    save_attachments(message, list(attachments))
    if conversation.first_response_at is None:
        conversation.first_response_at = message.created_at
    conversation.waiting_since = None
    assigned = author is not None and conversation.assignee_id is None
    assign_seq = 0
    if assigned and author is not None:
        conversation.assignee = author
        assign_seq = timeline.add_activity(
            conversation,
            actor=actor,
            event_data={
                "type": "assigned",
                "assignee": author.name,
                "team": conversation.team.name if conversation.team else "",
            },
        ).seq
    conversation.save()
    message.conversation = conversation
    message.author_agent = author
    timeline.record(conversation, timeline.message_created(conversation, message, actor))
    if assigned and author is not None:
        timeline.record(
            conversation,
            ConversationAssigned(
                store_id=conversation.store_id,
                actor=actor,
                conversation_id=conversation.pk,
                seq=assign_seq,
                assignee_id=author.pk,
                assignee_name=author.name,
                team_id=conversation.team_id,
                team_name=conversation.team.name if conversation.team else "",
                previous_assignee_id=None,
                previous_team_id=conversation.team_id,
            ),
        )
    # Enqueued in this transaction: the task exists exactly when the message does.
    deliver_message.enqueue(message.pk)
    return message


@transaction.atomic
def add_note(
    conversation: Conversation, *, actor: Actor, text: str, author: Agent | None = None
) -> Message:
    """An internal note: visible to the staff only, never sent to the customer."""
    _check_body(text, "", ())
    _check_author(conversation, author)
    conversation = timeline.lock(conversation)
    message = timeline.append_message(
        conversation,
        direction=Direction.OUT,
        author_type=AuthorType.AGENT if author else AuthorType.SYSTEM,
        author_agent_id=author.pk if author else None,
        author_label="" if author else actor.name,
        kind=Kind.NOTE,
        text=text.strip(),
        html=text_to_html(text),
    )
    conversation.save(update_fields=["last_seq"])
    message.conversation = conversation
    message.author_agent = author
    timeline.record(conversation, timeline.message_created(conversation, message, actor))
    return message


@transaction.atomic
def mark_delivery(
    message: Message, *, status: str, actor: Actor, error: str = "", external_id: str = ""
) -> Message:
    """Record how far an outgoing message got (sent, delivered, read, failed).

    ``external_id`` is the channel's id for the sent message (an email's Message-ID),
    kept so the customer's answer threads back to it.
    """
    if status not in DeliveryStatus.values:
        raise ActionError(_("Unknown delivery status."), field="status")
    conversation = timeline.lock(message.conversation)
    message = Message.objects.select_for_update().get(pk=message.pk)
    fields = {"status": status, "error": error[:500]}
    if external_id:
        fields["external_id"] = external_id[:255]
    if all(getattr(message, name) == value for name, value in fields.items()):
        return message
    for name, value in fields.items():
        setattr(message, name, value)
    message.status_changed_at = clock.now()
    message.save(update_fields=[*fields, "status_changed_at"])
    seq = timeline.next_seq(conversation)
    conversation.save(update_fields=["last_seq"])
    timeline.record(
        conversation,
        MessageStatusChanged(
            store_id=conversation.store_id,
            actor=actor,
            conversation_id=conversation.pk,
            seq=seq,
            message_id=message.pk,
            status=status,
            error=message.error,
            reply=message.kind == Kind.REPLY,
        ),
    )
    return message
