"""HTTP side of the chat widget: the session, file uploads and downloads.

Called from the shop's pages on other origins, so answers carry CORS headers and no
cookies are involved: the widget token names the store, the signed visitor token the
visitor.
"""

from __future__ import annotations

import json
import zoneinfo
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt

from tiski.agents.presence import available_agents
from tiski.agents.views import client_address
from tiski.chat import queries
from tiski.chat.actions import identify_visitor
from tiski.chat.models import ChatSettings
from tiski.chat.strings import widget_strings
from tiski.chat.visitors import (
    CustomerIdentity,
    InvalidToken,
    Visitor,
    continue_or_start,
    identity_hmac,
    read_token,
    verify_identity,
)
from tiski.contacts.models import Contact
from tiski.conversations.actions import InboundMessage, receive_message
from tiski.conversations.attachments import INLINE_IMAGE_TYPES, IncomingFile, effective_type
from tiski.conversations.models import (
    Attachment,
    AuthorType,
    Channel,
    Conversation,
    Message,
    Status,
)
from tiski.core.errors import ActionError
from tiski.core.ratelimit import allow
from tiski.events import notify_group, visitor_group
from tiski.helpcenter import links
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation
from tiski.returns.portal_access import customer_token
from tiski.stores.hours import parse_business_hours
from tiski.stores.models import Store

MAX_BODY = 16 * 1024
FILE_SALT = "tiski.chat.file"
FILE_LINK_AGE = 7 * 24 * 3600


def cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "3600"
    return response


def refuse(status: int, code: str, message: str = "") -> HttpResponse:
    return cors(JsonResponse({"error": code, "message": message}, status=status))


def store_for_widget(token: object) -> Store | None:
    if not isinstance(token, str) or not token or len(token) > 60:
        return None
    return Store.objects.filter(widget_token=token).first()


def choose_language(store: Store, asked: list[str], contact: Contact | None) -> str:
    served = store.served_languages()
    candidates = [*asked, contact.language if contact else ""]
    for code in candidates:
        short = (code or "").split("-")[0].lower()
        if short in served:
            return short
    return store.default_language


def visitor_zone(raw: object, store: Store) -> zoneinfo.ZoneInfo:
    if isinstance(raw, str) and 0 < len(raw) < 64:
        try:
            return zoneinfo.ZoneInfo(raw)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(store.timezone)


def availability(store: Store, zone: zoneinfo.ZoneInfo, language: str) -> dict[str, Any]:
    """Whether someone can answer now; if not, when the desk opens, in the visitor's
    time zone and language."""
    hours = parse_business_hours(store.business_hours)
    store_zone = zoneinfo.ZoneInfo(store.timezone)
    now = timezone.now()
    in_hours = hours.always_closed or hours.is_open(now, store_zone)
    agents = bool(available_agents(store.pk))
    opens = None if in_hours else hours.next_opening(now, store_zone)
    opens_text = ""
    if opens is not None:
        with translation.override(language):
            local = opens.astimezone(zone)
            weekday = formats.date_format(local, "l")
            opens_text = f"{weekday} {formats.date_format(local, 'SHORT_DATETIME_FORMAT')}"
    return {
        # A store without hours configured is "open" whenever an agent is there.
        "available": in_hours and agents,
        "in_hours": in_hours,
        "agents_online": agents,
        "opens_at": opens.isoformat() if opens else None,
        "opens_text": opens_text,
    }


def help_center(store: Store, language: str, request: HttpRequest) -> dict[str, str]:
    """Where the widget finds articles to offer while a question is typed, and its link
    to the help center. Nothing when no article is published in the visitor's language:
    the widget then neither searches nor links to an empty page."""
    published = ArticleTranslation.objects.filter(
        store=store, language=language, status=ArticleStatus.PUBLISHED
    ).exists()
    if not published:
        return {}
    return {
        "help_url": links.absolute(store, links.home_path(store, language), request),
        "suggest_url": links.suggest_url(store, language, request),
    }


def file_link(attachment: Attachment, contact_id: int) -> str:
    signed = signing.dumps({"a": attachment.pk, "c": contact_id}, salt=FILE_SALT)
    return reverse("chat-file", args=[signed, attachment.filename])


def message_for_widget(message: Message, contact: Contact) -> dict[str, Any]:
    """A message as the customer may see it."""
    if message.author_type == AuthorType.AGENT and message.author_agent is not None:
        author, initials = message.author_agent.first_name, message.author_agent.initials
    elif message.author_type == AuthorType.CONTACT:
        author, initials = "", ""
    else:
        author, initials = message.author_label or "", ""
    return {
        "id": message.pk,
        "seq": message.seq,
        "direction": message.direction,
        "author": author,
        "initials": initials,
        "text": message.body_text,
        "html": message.body_html,
        "at": message.created_at.isoformat(),
        "status": message.status,
        "client_id": message.external_id.removeprefix("chat:"),
        "attachments": [
            {
                "name": a.filename,
                "type": a.content_type,
                "size": a.size,
                "url": file_link(a, contact.pk),
                "image": a.content_type in INLINE_IMAGE_TYPES,
            }
            for a in message.attachments.all()
        ],
    }


def conversation_for_widget(conversation: Conversation | None, contact: Contact | None) -> Any:
    if conversation is None or contact is None:
        return None
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "last_seq": conversation.last_seq,
        "agent_read_seq": conversation.agent_read_seq,
        "messages": [message_for_widget(m, contact) for m in queries.public_history(conversation)],
    }


def parse_body(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BODY:
        return None
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def returns_link(request: HttpRequest, store: Store, language: str, visitor: Visitor) -> str:
    """The store's return portal in the visitor's language; for a customer the shop
    signed in, with a token that lists their own orders there (no number and email to
    type)."""
    query = {"lang": language}
    if visitor.customer is not None:
        query["c"] = customer_token(store, visitor.customer.customer_id)
    path = reverse("returns-portal", args=[store.slug])
    return request.build_absolute_uri(f"{path}?{urlencode(query)}")


@csrf_exempt
def session(request: HttpRequest) -> HttpResponse:
    """Start or continue a visitor's chat session; see docs/chat.md for the fields."""
    if request.method == "OPTIONS":
        return cors(HttpResponse(status=204))
    if request.method != "POST":
        return refuse(405, "method_not_allowed")
    body = parse_body(request)
    if body is None:
        return refuse(400, "bad_request", "The body must be a JSON object of at most 16 kB.")
    store = store_for_widget(body.get("token"))
    if store is None:
        return refuse(404, "unknown_widget", "No store has this widget token.")
    limit = settings.CHAT_SESSIONS_PER_MINUTE
    if not allow(f"chat-session:{client_address(request)}", limit=limit, window=60):
        return refuse(429, "rate_limited", "Too many chat sessions from this address.")
    customer: CustomerIdentity | None = None
    if body.get("identity"):
        raw = body["identity"]
        if not isinstance(raw, dict):
            return refuse(400, "bad_request", "identity must be an object.")
        try:
            customer = verify_identity(store, raw)
        except ActionError as exc:
            return refuse(403, "identity_invalid", exc.message)
    token = body.get("visitor") if isinstance(body.get("visitor"), str) else None
    visitor, fresh = continue_or_start(store, token, customer)
    asked = [str(code) for code in (body.get("languages") or []) if isinstance(code, str)][:10]
    if customer is not None:
        contact = identify_visitor(store, visitor)
    else:
        contact = None if fresh else queries.visitor_contact(visitor, store.country)
    language = choose_language(store, asked, contact)
    conversation = queries.current_conversation(contact) if contact else None
    chat = ChatSettings.objects.filter(store=store).first() or ChatSettings(store=store)
    strings = widget_strings(language)
    greeting = chat.greeting.get(language) or strings["greeting"]
    zone = visitor_zone(body.get("tz"), store)
    return cors(
        JsonResponse(
            {
                "visitor": visitor.token(),
                "fresh": fresh,
                "language": language,
                "strings": strings,
                "store": {
                    "name": store.name,
                    "color": store.brand_color,
                    "greeting": greeting,
                    "languages": store.served_languages(),
                    **help_center(store, language, request),
                    "returns_url": returns_link(request, store, language, visitor),
                },
                "prechat": {
                    "fields": chat.prechat_fields,
                    "required": chat.prechat_required,
                    "topics": chat.topics.get(language, []),
                }
                if chat.prechat_fields and conversation is None
                else None,
                "ask_email": chat.ask_email_when_offline
                and not (contact and contact.email)
                and not (conversation and conversation.reply_to_email),
                "hours": availability(store, zone, language),
                # Signed in at the shop: "Order status" lists the customer's own orders.
                "identified": visitor.customer is not None,
                "conversation": conversation_for_widget(conversation, contact),
                "websocket": "/ws/chat/",
                "limits": {"text": 5000, "file_bytes": 10 * 1024 * 1024},
            }
        )
    )


def visitor_file(request: HttpRequest, signed: str, filename: str) -> FileResponse:
    """A file of the visitor's own conversation, by a signed link from the session."""
    try:
        data = signing.loads(signed, salt=FILE_SALT, max_age=FILE_LINK_AGE)
        attachment = Attachment.objects.select_related("message__conversation").get(
            pk=int(data["a"]), message__conversation__contact_id=int(data["c"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Attachment.DoesNotExist) as exc:
        raise Http404 from exc
    if attachment.message.kind != "reply":
        raise Http404
    inline = attachment.content_type in INLINE_IMAGE_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


WIDGET_FILE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
WIDGET_FILE_BYTES = 10 * 1024 * 1024


@csrf_exempt
def upload(request: HttpRequest) -> HttpResponse:
    """A visitor sends pictures or a PDF (multipart: token, visitor, client_id, file, text).

    Answers like the websocket's ack; the same client_id sent again is stored once.
    """
    if request.method == "OPTIONS":
        return cors(HttpResponse(status=204))
    if request.method != "POST":
        return refuse(405, "method_not_allowed")
    store = store_for_widget(request.POST.get("token"))
    if store is None:
        return refuse(404, "unknown_widget", "No store has this widget token.")
    try:
        visitor = read_token(request.POST.get("visitor", ""), store=store)
    except InvalidToken:
        return refuse(401, "invalid_visitor", "The visitor token is not valid; start a session.")
    if not allow(f"chat-upload:{visitor.visitor_id}", limit=20, window=600):
        return refuse(429, "rate_limited", "Too many files; wait a few minutes.")
    client_id = request.POST.get("client_id", "")
    if not 0 < len(client_id) <= 64:
        return refuse(400, "bad_request", "A client_id of 1 to 64 characters is needed.")
    files = request.FILES.getlist("file")
    if not files or len(files) > 5:
        return refuse(400, "bad_request", "Send one to five files.")
    incoming = []
    for item in files:
        if (item.size or 0) > WIDGET_FILE_BYTES:
            return refuse(413, "too_large", "Files can be at most 10 MB.")
        content = item.read()
        candidate = IncomingFile(item.name or "file", content, item.content_type or "")
        if effective_type(candidate) not in WIDGET_FILE_TYPES:
            return refuse(415, "bad_type", "Only pictures (PNG, JPEG, GIF, WebP) and PDF files.")
        incoming.append(candidate)
    text = request.POST.get("text", "")[:5000]
    contact = queries.visitor_contact(visitor, store.country)
    conversation = queries.current_conversation(contact) if contact else None
    if conversation is not None and conversation.status == Status.CLOSED:
        conversation = None
    try:
        received = receive_message(
            InboundMessage(
                store=store,
                channel=Channel.CHAT,
                sender=visitor.identities(),
                sender_claims=visitor.claimed(),
                sender_name=visitor.name,
                text=text,
                attachments=incoming,
                external_id=f"chat:{client_id}",
                conversation=conversation,
            )
        )
    except ActionError as exc:
        return refuse(400, exc.code, exc.message)
    # The visitor's open chat follows the conversation this upload may have started.
    notify_group(
        visitor_group(visitor.visitor_id),
        {"type": "tiski.follow", "conversation_id": received.conversation.pk},
    )
    return cors(
        JsonResponse(
            {
                "type": "ack",
                "client_id": client_id,
                "message_id": received.message.pk,
                "seq": received.message.seq,
                "conversation_id": received.conversation.pk,
                "duplicate": received.duplicate,
            }
        )
    )


def demo_shop(request: HttpRequest, slug: str) -> HttpResponse:
    """A stand-in shop page with the widget embedded, to try the chat as a customer.

    Only the demo shops have one: a real shop embeds the widget in its own pages.
    """
    from django.shortcuts import render

    from tiski.demo.content import STORES
    from tiski.demo.orders import ORDERS

    demo = next((s for s in STORES if s.slug == slug), None)
    store = Store.objects.filter(slug=slug).first()
    if demo is None or store is None:
        raise Http404
    # The shop's accounts, played: ?customer=<key> signs a demo customer in the way a
    # shop's backend would (the HMAC made here, server-side), so the widget's signed-in
    # features (their own orders, the return portal without a lookup) can be tried.
    ordered = {order.customer for order in ORDERS.get(slug, ())}
    accounts = [c for c in demo.customers if c.shop_customer_id and c.key in ordered]
    accounts = accounts[:DEMO_ACCOUNTS]
    signed_in = next((c for c in accounts if c.key == request.GET.get("customer")), None)
    identity = (
        {
            "customer_id": signed_in.shop_customer_id,
            "email": signed_in.email,
            "name": signed_in.name,
            "hmac": identity_hmac(store, signed_in.shop_customer_id),
        }
        if signed_in
        else None
    )
    return render(
        request,
        "chat/demo_shop.html",
        {
            "store": store,
            "demo": demo,
            "products": demo.products,
            "lang": demo.default_language,
            "accounts": accounts,
            "signed_in": signed_in,
            "identity": identity,
        },
    )


# The demo page offers to sign in as this many of the shop's demo customers.
DEMO_ACCOUNTS = 3
