"""Every write of the chat app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.chat.events import ChatSettingsSaved, ReplyAddressLeft
from tiski.chat.models import ChatSettings, PrechatField
from tiski.chat.queries import visitor_contacts
from tiski.chat.visitors import Visitor
from tiski.contacts.actions import ContactRequest, merge_contacts, resolve_contacts
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, IdentityKind
from tiski.conversations.models import Conversation
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.stores.models import Store


@transaction.atomic
def identify_visitor(store: Store, visitor: Visitor, *, language: str = "") -> Contact | None:
    """Join a visitor's anonymous contact to the signed-in customer's, if both exist.

    Nothing is created for a visitor who has not written yet; their first message
    creates the contact with every identity at once.
    """
    if visitor.customer is None:
        return None
    found = visitor_contacts(visitor, store.country)
    customer = found.get(IdentityKind.SHOP_CUSTOMER)
    anonymous = found.get(IdentityKind.VISITOR)
    system = Actor.system("chat")
    if anonymous is not None and customer is not None and anonymous.pk != customer.pk:
        return merge_contacts(anonymous, customer, actor=system)
    if anonymous is not None or customer is not None:
        [resolved] = resolve_contacts(
            [
                ContactRequest(
                    store,
                    visitor.identities(),
                    name=visitor.name,
                    language=language,
                    claimed=visitor.claimed(),
                )
            ],
            actor=system,
        )
        if isinstance(resolved, ActionError):
            raise resolved
        return resolved.contact
    return None


@transaction.atomic
def leave_email(conversation: Conversation, email: str, *, actor: Actor) -> Conversation:
    """A visitor nobody could answer leaves an address; replies then go out by email.

    Kept on the conversation, not as an identity of the contact: see reply_to_email.
    """
    try:
        value = normalize_identity(IdentityKind.EMAIL, email)
    except ValidationError as exc:
        raise ActionError(_("Enter a valid email address."), field="email") from exc
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.reply_to_email == value:
        return locked
    locked.reply_to_email = value
    locked.save(update_fields=["reply_to_email"])
    publish(
        ReplyAddressLeft(
            store_id=locked.store_id, actor=actor, conversation_id=locked.pk, email=value
        )
    )
    return locked


def check_chat_settings(greeting: Any, fields: Any, required: Any, topics: Any) -> None:
    languages = {code for code, _name in settings.LANGUAGES}
    if not isinstance(greeting, dict) or not all(
        k in languages and isinstance(v, str) and len(v) <= 500 for k, v in greeting.items()
    ):
        raise ActionError(
            _("Greetings map language codes (fi, pl, sv, en) to texts of at most 500 characters."),
            field="greeting",
        )
    if not isinstance(fields, list) or not set(fields) <= set(PrechatField.values):
        raise ActionError(
            _("Pre-chat fields are any of: name, email, topic."), field="prechat_fields"
        )
    if not isinstance(required, list) or not set(required) <= set(fields):
        raise ActionError(_("Only asked fields can be required."), field="prechat_required")
    if not isinstance(topics, dict) or not all(
        k in languages and isinstance(v, list) and all(isinstance(t, str) and t for t in v)
        for k, v in topics.items()
    ):
        raise ActionError(_("Topics map language codes to lists of topics."), field="topics")


@transaction.atomic
def save_chat_settings(store: Store, *, actor: Actor, **values: Any) -> ChatSettings:
    """Change how the store's chat widget greets and what it asks first."""
    current = ChatSettings.objects.select_for_update().filter(store=store).first()
    chat = current or ChatSettings(store=store)
    wanted = {
        "greeting": values.get("greeting", chat.greeting),
        "prechat_fields": values.get("prechat_fields", chat.prechat_fields),
        "prechat_required": values.get("prechat_required", chat.prechat_required),
        "topics": values.get("topics", chat.topics),
        "ask_email_when_offline": values.get("ask_email_when_offline", chat.ask_email_when_offline),
    }
    check_chat_settings(
        wanted["greeting"], wanted["prechat_fields"], wanted["prechat_required"], wanted["topics"]
    )
    changed = [name for name, value in wanted.items() if getattr(chat, name) != value]
    if current is not None and not changed:
        return chat
    for name, value in wanted.items():
        setattr(chat, name, value)
    chat.save()
    publish(ChatSettingsSaved(store_id=store.pk, actor=actor, changed=sorted(changed)))
    return chat
