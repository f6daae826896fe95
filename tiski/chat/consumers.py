"""The chat widget's websocket: ``/ws/chat/?token=<widget token>&visitor=<visitor token>``.

Frames are JSON objects with a ``type``; see docs/chat.md. Every message from the
visitor carries a client id and is acknowledged only after it is committed; every event
carries the conversation's sequence number, and ``hello`` with ``after_seq`` replays
what the visitor missed.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import translation

from tiski.chat import queries
from tiski.chat.actions import leave_email
from tiski.chat.presence import widget_presence
from tiski.chat.views import file_link, store_for_widget
from tiski.chat.visitors import InvalidToken, Visitor, read_token
from tiski.chat.writer import writer
from tiski.conversations.actions import InboundMessage, Received, mark_read
from tiski.conversations.models import Attachment, Channel, Conversation, Status
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.ratelimit import TokenBucket, allow
from tiski.core.sockets import JsonSocket
from tiski.events import conversation_group, visitor_group, widget_group
from tiski.shop.models import Order
from tiski.shop.selfservice import (
    Found,
    clean_lookup,
    customer_orders,
    for_customer,
    lookup_order,
    store_zone,
)
from tiski.stores.models import Store

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
MAX_CLIENT_ID = 64
# Messages in flight on one socket whose echo is held back; more means events were lost.
MAX_UNECHOED = 256

# Close codes (4000-4999 are the application's).
CLOSE_INVALID_TOKEN = 4401
CLOSE_UNKNOWN_WIDGET = 4404
CLOSE_RATE_LIMITED = 4429


class WidgetConsumer(JsonSocket):
    store: Store
    visitor: Visitor
    conversation: Conversation | None = None
    contact_id: int | None = None

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        client = (self.scope.get("client") or ["unknown"])[0]
        limit = settings.CHAT_CONNECTIONS_PER_MINUTE
        if not await database_sync_to_async(allow)(f"chat-connect:{client}", limit, 60):
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        store = await database_sync_to_async(store_for_widget)(query.get("token", [""])[0])
        if store is None:
            await self.close(code=CLOSE_UNKNOWN_WIDGET)
            return
        try:
            self.visitor = read_token(query.get("visitor", [""])[0], store=store)
        except InvalidToken:
            await self.close(code=CLOSE_INVALID_TOKEN)
            return
        self.store = store
        # A burst, then about a message a second: a person typing, not a script.
        self.messages = TokenBucket(
            rate=settings.CHAT_MESSAGE_RATE, burst=settings.CHAT_MESSAGE_BURST
        )
        self.typing = TokenBucket(rate=0.5, burst=3)
        # Order lookups read the database: a few in a row, then one every few seconds.
        self.lookups = TokenBucket(rate=0.2, burst=5)
        self.client = str(client)
        self.strikes = 0
        # External ids of messages this socket sent whose event has not come back yet:
        # the ack already told the sender everything the event would, so the event is
        # not sent to this socket again (other tabs of the visitor still get it).
        self.unechoed: set[str] = set()
        await self.accept()
        # Told about conversations this visitor starts elsewhere (an upload over HTTP).
        await self.channel_layer.group_add(
            visitor_group(self.visitor.visitor_id), self.channel_name
        )
        await self._follow(await database_sync_to_async(self._current)())

    def _current(self) -> Conversation | None:
        contact = queries.visitor_contact(self.visitor, self.store.country)
        if contact is None:
            return None
        self.contact_id = contact.pk
        return queries.current_conversation(contact)

    async def _follow(self, conversation: Conversation | None) -> None:
        """Receive this conversation's events from now on (and stop the previous one's)."""
        if conversation is None or (self.conversation and self.conversation.pk == conversation.pk):
            if conversation is not None:
                self.conversation = conversation
            return
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                widget_group(self.conversation.pk), self.channel_name
            )
            await widget_presence().left(self.conversation.pk)
        self.conversation = conversation
        self.contact_id = conversation.contact_id
        await self.channel_layer.group_add(widget_group(conversation.pk), self.channel_name)
        await widget_presence().joined(conversation.pk)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "visitor"):
            await self.channel_layer.group_discard(
                visitor_group(self.visitor.visitor_id), self.channel_name
            )
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                widget_group(self.conversation.pk), self.channel_name
            )
            await widget_presence().left(self.conversation.pk)

    # --- frames from the visitor ------------------------------------------------------

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.error("bad_frame", "Frames are JSON objects with a type.")
            return
        handler = {
            "message": self.on_message,
            "hello": self.on_hello,
            "typing": self.on_typing,
            "read": self.on_read,
            "email": self.on_email,
            "ping": self.on_ping,
            "order.lookup": self.on_order_lookup,
            "order.recent": self.on_order_recent,
        }.get(str(content.get("type")))
        if handler is None:
            await self.error("bad_frame", "Unknown frame type.")
            return
        await handler(content)

    async def decode_json(self, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def error(self, code: str, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def on_message(self, content: dict[str, Any]) -> None:
        client_id = content.get("client_id")
        text = content.get("text")
        if not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID:
            await self.error("bad_frame", "A message needs a client_id of 1 to 64 characters.")
            return
        if not isinstance(text, str) or not text.strip():
            await self.error("empty", "The message is empty.", client_id=client_id)
            return
        if len(text) > MAX_TEXT:
            await self.error("too_long", "The message is too long.", client_id=client_id)
            return
        if not self.messages.take():
            self.strikes += 1
            await self.error("rate_limited", "Too many messages.", client_id=client_id)
            if self.strikes >= 20:
                await self.close(code=CLOSE_RATE_LIMITED)
            return
        prechat = content.get("prechat") if isinstance(content.get("prechat"), dict) else {}
        assert prechat is not None
        conversation = self.conversation
        if conversation is not None and conversation.status == Status.CLOSED:
            # A closed chat is history; writing again starts (or finds) an open one.
            # A resolved one reopens: the customer is following up.
            conversation = None
        inbound = InboundMessage(
            store=self.store,
            channel=Channel.CHAT,
            sender=self.visitor.identities(),
            sender_claims=self.visitor.claimed(),
            sender_name=self.visitor.name or str(prechat.get("name") or "")[:200],
            subject=str(prechat.get("topic") or "")[:300],
            text=text,
            external_id=f"chat:{client_id}",
            conversation=conversation,
        )
        if len(self.unechoed) >= MAX_UNECHOED:
            self.unechoed.clear()  # events lost on the way: echoing again is harmless
        self.unechoed.add(inbound.external_id)
        try:
            outcome = await writer().submit(inbound)
        except Exception:
            self.unechoed.discard(inbound.external_id)
            await self.error("unavailable", "Not stored; send it again.", client_id=client_id)
            return
        if isinstance(outcome, ActionError) or outcome.duplicate:
            # No event follows a refusal or a message stored before.
            self.unechoed.discard(inbound.external_id)
        if isinstance(outcome, ActionError):
            await self.error(outcome.code, outcome.message, client_id=client_id)
            return
        await self._acknowledge(outcome, client_id, prechat)

    async def _acknowledge(
        self, outcome: Received, client_id: str, prechat: dict[str, Any]
    ) -> None:
        await self._follow(outcome.conversation)
        email = prechat.get("email")
        if isinstance(email, str) and email.strip() and not outcome.duplicate:
            # The message counts; a mistyped address is just not kept.
            with contextlib.suppress(ActionError):
                await database_sync_to_async(leave_email)(
                    outcome.conversation, email, actor=Actor.system("chat")
                )
        await self.send_json(
            {
                "type": "ack",
                "client_id": client_id,
                "message_id": outcome.message.pk,
                "seq": outcome.message.seq,
                "conversation_id": outcome.conversation.pk,
                "duplicate": outcome.duplicate,
            }
        )

    async def on_hello(self, content: dict[str, Any]) -> None:
        """Replay what the visitor missed since ``after_seq``, then say so."""
        if self.conversation is None:
            await self.send_json({"type": "ready", "conversation_id": None, "last_seq": 0})
            return
        after = content.get("after_seq")
        after = after if isinstance(after, int) and after >= 0 else 0
        events = await database_sync_to_async(queries.public_events_after)(
            self.conversation.pk, after
        )
        if events is None:
            await self.send_json({"type": "reset"})
            return
        for event in events:
            await self.send_json({"type": "event", "event": self._for_visitor(event.payload)})
        last = events[-1].seq if events else after
        await self.send_json(
            {"type": "ready", "conversation_id": self.conversation.pk, "last_seq": last}
        )

    async def on_typing(self, content: dict[str, Any]) -> None:
        if self.conversation is None or not self.typing.take():
            return
        await self.channel_layer.group_send(
            conversation_group(self.conversation.pk),
            {
                "type": "tiski.typing",
                "conversation_id": self.conversation.pk,
                "who": "contact",
                "name": "",
                "active": bool(content.get("active", True)),
            },
        )

    async def on_read(self, content: dict[str, Any]) -> None:
        seq = content.get("seq")
        if self.conversation is None or not isinstance(seq, int) or seq < 1:
            return
        if seq <= getattr(self, "_read", 0):
            return
        self._read = seq
        await database_sync_to_async(mark_read)(
            self.conversation, by="contact", up_to_seq=seq, actor=Actor.system("chat")
        )

    async def on_email(self, content: dict[str, Any]) -> None:
        email = content.get("email")
        if self.conversation is None or not isinstance(email, str):
            await self.error("email", "Write something first, then leave your address.")
            return
        try:
            await database_sync_to_async(leave_email)(
                self.conversation, email, actor=Actor.system("chat")
            )
        except ActionError as exc:
            await self.error("email", exc.message)
            return
        await self.send_json({"type": "email_saved", "email": email.strip().lower()})

    # --- the customer's orders (no agent involved) ------------------------------------

    def _language(self, content: dict[str, Any]) -> str:
        asked = content.get("language")
        served = self.store.served_languages()
        return asked if isinstance(asked, str) and asked in served else self.store.default_language

    def _for_customer(self, orders: list[Order], language: str) -> list[dict[str, Any]]:
        zone = store_zone(self.store)
        with translation.override(language):
            return [asdict(for_customer(order, zone)) for order in orders]

    def _lookup(self, number: str, email: str, language: str) -> dict[str, Any]:
        lookup = lookup_order(self.store, number, email, client=self.client)
        if lookup.found is Found.LIMITED:
            return {"type": "error", "code": "lookup_limited", "message": "Too many attempts."}
        if lookup.order is None:
            return {"type": "order.not_found"}
        return {"type": "order.status", "order": self._for_customer([lookup.order], language)[0]}

    def _recent(self, customer_id: str, language: str) -> dict[str, Any]:
        orders = customer_orders(self.store, customer_id)
        return {"type": "order.list", "orders": self._for_customer(orders, language)}

    async def on_order_lookup(self, content: dict[str, Any]) -> None:
        """An order by its number and email: anyone may ask, within the lookup limits."""
        cleaned = clean_lookup(content.get("number"), content.get("email"))
        if cleaned is None:
            await self.error("order_invalid", "An order number and an email address are needed.")
            return
        if not self.lookups.take():
            await self.error("lookup_limited", "Too many attempts.")
            return
        number, email = cleaned
        answer = await database_sync_to_async(self._lookup)(number, email, self._language(content))
        await self.send_json(answer)

    async def on_order_recent(self, content: dict[str, Any]) -> None:
        """The signed-in customer's newest orders (the shop signed the customer id)."""
        if self.visitor.customer is None:
            await self.error("not_identified", "Only a customer signed in at the shop.")
            return
        if not self.lookups.take():
            await self.error("lookup_limited", "Too many attempts.")
            return
        answer = await database_sync_to_async(self._recent)(
            self.visitor.customer.customer_id, self._language(content)
        )
        await self.send_json(answer)

    # --- messages from the channel layer ---------------------------------------------

    def _for_visitor(self, event: dict[str, Any]) -> dict[str, Any]:
        """Give attachments links the visitor may open; drop what is the desk's business."""
        # A delivery error is the mail server's words about our setup: the desk's business.
        event = {k: v for k, v in event.items() if k not in ("actor", "external_id", "error")}
        if event.get("author_type") == "agent":
            # Customers see an agent's first name and initials, as in the session.
            parts = str(event.get("author_name") or "").split()
            event["author_name"] = parts[0] if parts else ""
            event["initials"] = "".join(p[0] for p in parts[:2]).upper()
        files = event.get("attachments")
        if files and self.contact_id is not None:
            event["attachments"] = [
                {
                    **f,
                    "url": file_link(
                        Attachment(pk=f["id"], filename=f["filename"]), self.contact_id
                    ),
                }
                for f in files
            ]
        return event

    async def tiski_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event.get("type") == "message.created" and event.get("external_id") in self.unechoed:
            self.unechoed.discard(event["external_id"])
            return
        if event.get("type") == "conversation.status_changed" and self.conversation is not None:
            self.conversation.status = event.get("status", self.conversation.status)
        await self.send_json({"type": "event", "event": self._for_visitor(event)})

    async def tiski_follow(self, message: dict[str, Any]) -> None:
        conversation = await database_sync_to_async(
            Conversation.objects.select_related("store", "contact")
            .filter(pk=message["conversation_id"])
            .first
        )()
        if conversation is not None and conversation.store_id == self.store.pk:
            await self._follow(conversation)

    async def tiski_typing(self, message: dict[str, Any]) -> None:
        if message.get("who") == "agent":
            await self.send_json(
                {"type": "typing", "name": message.get("name", ""), "active": message["active"]}
            )
