"""The chat widget in a real browser against the real desk: the demo shop's page, the
widget in it, the websocket, the database."""

from __future__ import annotations

import asyncio
import json
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import SYSTEM
from tests.e2e.shops import EN, FI, PL, WAIT, Shop, open_widget, widget, write
from tiski.chat.models import ChatSettings
from tiski.chat.views import availability
from tiski.chat.visitors import identity_hmac
from tiski.contacts.models import ContactIdentity
from tiski.conversations.actions import mark_read
from tiski.conversations.models import Attachment, Conversation, Message
from tiski.core.actors import Actor
from tiski.stores.actions import update_store
from tiski.stores.hours import DAYS
from tiski.stores.models import Store

pytestmark = pytest.mark.browser


def mine(chat: Any, text: str) -> Any:
    return chat.locator(".me", has_text=text)


def expect_status(chat: Any, text: str, status: str) -> None:
    expect(mine(chat, text).locator(".st")).to_have_text(status, timeout=WAIT)


def focused_class(page: Any) -> str:
    return str(
        page.evaluate(
            "() => { const a = document.querySelector('tiski-chat').shadowRoot.activeElement;"
            " return a ? a.tagName + '.' + a.className : ''; }"
        )
    )


def stored(text: str) -> int:
    return Message.objects.filter(body_text=text, direction="in").count()


def wait_until(page: Any, condition: Any, what: str, timeout: float = WAIT) -> None:
    """Poll a database condition while the browser keeps running."""
    deadline = timeout
    while not condition():
        if deadline <= 0:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)
        deadline -= 100


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x1f\x5f\x4a" * 8 for _ in range(8))  # 8x8, the shop's green
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- the tests ----------------------------------------------------------------------------


def test_a_message_is_stored_answered_live_read_and_still_there_after_a_reload(
    page: Any, shop: Shop
) -> None:
    chat = open_widget(page, shop)
    # Opening moves the focus to the composer; the greeting is the first bubble.
    assert focused_class(page) == "TEXTAREA."
    expect(chat.locator(".log .m").first).to_have_text(re.compile(re.escape(FI["greeting"])))

    question = "Hei! Onko Kaamos-kuoritakkia kokoa M?"
    write(chat, question)
    expect_status(chat, question, FI["sent"])
    message = Message.objects.get(body_text=question)
    conversation = shop.conversation()
    assert message.conversation_id == conversation.pk and conversation.channel == "chat"
    assert message.external_id.startswith("chat:")

    answer = "Hei! On, M-kokoa on varastossa. Katso https://tunturikettu.example/kaamos."
    reply = shop.reply(answer)
    theirs = chat.locator(".them", has_text="M-kokoa on varastossa")
    expect(theirs).to_be_visible(timeout=WAIT)
    # The agent's first name and initials, never the whole name; the URL is a real link.
    expect(chat.locator(".head .sub")).to_have_text("Johanna")
    expect(chat.locator(".head .av")).to_have_text("JL")
    link = theirs.locator("a")
    expect(link).to_have_attribute("href", "https://tunturikettu.example/kaamos")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    # The panel is open and the page visible: the widget tells the desk it was read.
    wait_until(
        page,
        lambda: Conversation.objects.get(pk=conversation.pk).contact_read_seq >= reply.seq,
        "the visitor's read receipt",
    )

    mark_read(conversation, by="agent", up_to_seq=message.seq, actor=Actor.for_agent(shop.agent))
    expect_status(chat, question, FI["read"])

    page.reload()
    chat = widget(page)
    chat.locator(".launch").click()
    expect(chat.locator(".them", has_text="M-kokoa on varastossa")).to_have_count(1)
    expect(mine(chat, question)).to_have_count(1)
    expect_status(chat, question, FI["read"])
    assert Message.objects.filter(conversation=conversation, kind="reply").count() == 2


def test_a_picture_reaches_the_conversation(page: Any, shop: Shop) -> None:
    chat = open_widget(page, shop)
    chat.locator("input[type=file]").set_input_files(
        {"name": "takki.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    # The thumbnail comes from the desk once stored (a signed link), not the local preview.
    picture = chat.locator(".me img[alt='takki.png']")
    expect(picture).to_have_attribute("src", re.compile(r"/chat/files/"), timeout=WAIT)
    attachment = Attachment.objects.get()
    assert attachment.filename == "takki.png" and attachment.content_type == "image/png"
    assert attachment.message.conversation == shop.conversation()
    # ...and the desk's signed link really serves the picture to the page.
    picture.evaluate(
        "img => img.complete && img.naturalWidth ? 0 : new Promise((ok, fail) =>"
        " { img.onload = ok; img.onerror = fail; })"
    )
    assert picture.evaluate("img => img.naturalWidth") == 8
    # The file started the conversation; replies to it arrive live all the same.
    shop.reply("Kiitos kuvasta!")
    expect(chat.locator(".them", has_text="Kiitos kuvasta!")).to_be_visible(timeout=WAIT)


def test_unread_badge_escape_and_focus(page: Any, shop: Shop) -> None:
    chat = open_widget(page, shop)
    write(chat, "Milloin paketti lähtee?")
    expect_status(chat, "Milloin paketti lähtee?", FI["sent"])

    page.keyboard.press("Escape")
    expect(chat.locator(".panel")).to_be_hidden()
    assert focused_class(page).startswith("BUTTON.launch")
    badge = chat.locator(".badge")
    expect(badge).to_be_hidden()

    shop.reply("Se lähtee tänään.")
    expect(badge).to_have_text("1", timeout=WAIT)
    shop.reply("Seurantakoodi tulee sähköpostiin.")
    expect(badge).to_have_text("2", timeout=WAIT)
    expect(chat.locator(".launch")).to_have_attribute("aria-label", f"{FI['open']} (2)")
    # Keyboard only: Enter on the focused launcher opens it, the badge clears.
    page.keyboard.press("Enter")
    expect(chat.locator(".panel")).to_be_visible()
    expect(badge).to_be_hidden()
    assert focused_class(page) == "TEXTAREA."


def test_accessible_names_come_from_the_strings(page: Any, shop: Shop) -> None:
    chat = open_widget(page, shop)
    panel = chat.get_by_role("dialog")
    expect(panel).to_have_attribute("aria-modal", "false")
    expect(panel).to_have_attribute("aria-label", f"{shop.store.name}: {FI['title']}")
    expect(chat.get_by_role("log")).to_have_attribute("aria-live", "polite")
    for name in (FI["close"], FI["attach"], FI["send"]):
        expect(chat.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(chat.get_by_role("textbox", name=FI["placeholder"])).to_be_visible()
    chat.get_by_role("button", name=FI["close"]).click()
    expect(panel).to_be_hidden()
    assert focused_class(page).startswith("BUTTON.launch")


def test_the_widget_speaks_the_shops_language(page: Any, shop: Shop, polish_shop: Shop) -> None:
    chat = open_widget(page, shop)
    assert page.locator("html").get_attribute("lang") == "fi"
    expect(chat.locator(".comp button[type=submit]")).to_have_text(FI["send"])
    assert FI["send"] == "Lähetä"

    chat = open_widget(page, polish_shop)
    expect(chat.locator(".comp button[type=submit]")).to_have_text(PL["send"])
    assert PL["send"] == "Wyślij"
    expect(chat.locator(".head h2")).to_have_text("Ziarno i Liść")


def closed_now(store: Store) -> dict[str, list[list[str]]]:
    """Opening hours that exclude this moment: one hour on another weekday."""
    today = timezone.now().astimezone(ZoneInfo(store.timezone)).weekday()
    other = DAYS[(today + 2) % 7]
    return {day: ([["09:00", "10:00"]] if day == other else []) for day in DAYS}


def test_offline_the_widget_says_when_and_takes_an_email(
    browser: Any, page: Any, shop: Shop
) -> None:
    update_store(shop.store, actor=SYSTEM, business_hours=closed_now(shop.store))
    chat = open_widget(page, shop)
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    opens = availability(shop.store, ZoneInfo(zone), "fi")["opens_text"]
    assert opens
    offline = chat.locator(".off")
    expect(offline).to_contain_text(FI["offline_title"])
    expect(offline).to_contain_text(FI["offline_opens"].replace("%(when)s", opens))

    # Before any conversation: the address goes with the first message.
    offline.locator("input[type=email]").fill("matti.korhonen@example.fi")
    offline.locator("button").click()
    expect(offline).to_contain_text(
        FI["email_saved"].replace("%(email)s", "matti.korhonen@example.fi")
    )
    write(chat, "Saako Pyhä-kenkiä kokoa 47?")
    expect_status(chat, "Saako Pyhä-kenkiä kokoa 47?", FI["sent"])
    assert shop.conversation().reply_to_email == "matti.korhonen@example.fi"

    # Another visitor writes first and leaves the address afterwards (an email frame).
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        other = context.new_page()
        chat = open_widget(other, shop)
        write(chat, "Onko lahjakortteja?")
        expect_status(chat, "Onko lahjakortteja?", FI["sent"])
        chat.locator(".off input[type=email]").fill("Sanna.Makela@Example.fi")
        chat.locator(".off input[type=email]").press("Enter")
        expect(chat.locator(".off")).to_contain_text("sanna.makela@example.fi", timeout=WAIT)
        conversation = Message.objects.get(body_text="Onko lahjakortteja?").conversation
        conversation.refresh_from_db()
        assert conversation.reply_to_email == "sanna.makela@example.fi"
    finally:
        context.close()


def test_the_prechat_form_goes_with_the_first_message(page: Any, shop: Shop) -> None:
    ChatSettings.objects.create(
        store=shop.store,
        prechat_fields=["name", "email", "topic"],
        prechat_required=["name", "topic"],
        topics={"fi": ["Tilaus", "Palautus"]},
    )
    chat = open_widget(page, shop)
    form = chat.locator(".pre")
    expect(form).to_be_visible()
    expect(chat.locator(".comp")).to_be_hidden()
    assert focused_class(page) == "INPUT."  # the first field, since there is no composer yet
    form.get_by_role("button", name=FI["start"]).click()
    expect(form).to_be_visible()  # name and topic are required
    form.locator("input[name=name]").fill("Elina Laaksonen")
    form.locator("select[name=topic]").select_option("Palautus")
    form.get_by_role("button", name=FI["start"]).click()
    expect(form).to_be_hidden()
    write(chat, "Haluan palauttaa kengät.")
    expect_status(chat, "Haluan palauttaa kengät.", FI["sent"])
    conversation = shop.conversation()
    assert conversation.subject == "Palautus"
    assert conversation.contact.display_name == "Elina Laaksonen"


def test_on_a_phone_the_open_panel_fills_the_screen(browser: Any, shop: Shop) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        phone = context.new_page()
        chat = open_widget(phone, shop)
        panel = chat.locator(".panel")
        panel.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
        box = panel.bounding_box()
        assert box is not None
        assert [round(box[k]) for k in ("x", "y", "width", "height")] == [0, 0, 390, 844]
        expect(chat.locator(".launch")).to_be_hidden()
        chat.get_by_role("button", name=FI["close"]).click()
        expect(chat.locator(".launch")).to_be_visible()
    finally:
        context.close()


def test_a_dropped_connection_loses_nothing_and_stores_nothing_twice(page: Any, shop: Shop) -> None:
    """Answers lost on the way, the socket killed, messages written while it is down:
    after the reconnect every message is stored exactly once and shown once."""
    state = {"deaf": False, "refuse": False}
    sockets: list[Any] = []

    def route(ws: Any) -> None:
        if state["refuse"]:
            ws.close(code=1011)  # the desk is unreachable
            return
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if not state["deaf"]:  # when deaf: stored and acknowledged, but nothing arrives
                ws.send(message)

        server.on_message(to_page)
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/chat/"), route)
    chat = open_widget(page, shop)
    write(chat, "eka")
    expect_status(chat, "eka", FI["sent"])

    state["deaf"] = True
    write(chat, "toka")
    write(chat, "kolmas")
    wait_until(page, lambda: stored("toka") == 1 and stored("kolmas") == 1, "the messages")
    expect_status(chat, "kolmas", FI["sending"])  # no ack, so the widget does not know yet

    # The connection dies and the desk stays out of reach for a while.
    state["refuse"] = True
    sockets[-1].close(code=1011)
    expect(chat.locator(".note")).to_have_text(FI["reconnecting"], timeout=WAIT)
    write(chat, "neljäs, kirjoitettu kun yhteys oli poikki")

    state["deaf"] = state["refuse"] = False
    expect(chat.locator(".note")).to_be_hidden(timeout=40_000)
    expect_status(chat, "neljäs", FI["sent"])
    for text in ("eka", "toka", "kolmas", "neljäs, kirjoitettu kun yhteys oli poikki"):
        assert stored(text) == 1, text
        expect(mine(chat, text)).to_have_count(1)
    expect(chat.locator(".fail")).to_have_count(0)
    assert Message.objects.filter(direction="in").count() == 4
    assert Conversation.objects.count() == 1


def test_going_offline_and_back(page: Any, shop: Shop) -> None:
    chat = open_widget(page, shop)
    write(chat, "ennen katkoa")
    expect_status(chat, "ennen katkoa", FI["sent"])
    page.context.set_offline(True)
    write(chat, "katkon aikana")
    expect(chat.locator(".note")).to_be_visible(timeout=WAIT)
    page.context.set_offline(False)
    expect_status(chat, "katkon aikana", FI["sent"])
    assert stored("katkon aikana") == 1
    shop.reply("Yhteys toimii taas.")
    expect(chat.locator(".them", has_text="Yhteys toimii taas.")).to_be_visible(timeout=WAIT)
    assert timezone.now() - shop.conversation().created_at < timedelta(minutes=5)


@pytest.mark.parametrize("how", ["reset", "4401"])
def test_a_new_session_keeps_the_outbox(page: Any, shop: Shop, how: str) -> None:
    """The desk answers `reset` (history pruned) or closes with 4401 (visitor token no
    longer valid): the widget starts a new session and still sends what was unsent."""
    state = {"cut": False}
    sockets: list[Any] = []

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def to_desk(message: str | bytes) -> None:
            if not state["cut"]:
                server.send(message)

        ws.on_message(to_desk)
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/chat/"), route)
    chat = open_widget(page, shop)
    write(chat, "ensimmäinen")
    expect_status(chat, "ensimmäinen", FI["sent"])
    state["cut"] = True
    write(chat, "jäi lähtemättä")
    expect_status(chat, "jäi lähtemättä", FI["sending"])
    assert stored("jäi lähtemättä") == 0
    sessions: list[str] = []
    page.on("request", lambda r: sessions.append(r.url) if "/chat/session" in r.url else None)

    state["cut"] = False
    if how == "reset":
        sockets[-1].send('{"type": "reset"}')
    else:
        sockets[-1].close(code=4401)
    expect_status(chat, "jäi lähtemättä", FI["sent"])
    assert sessions, "no new session was started"
    assert stored("ensimmäinen") == 1 and stored("jäi lähtemättä") == 1
    expect(mine(chat, "ensimmäinen")).to_have_count(1)
    expect(mine(chat, "jäi lähtemättä")).to_have_count(1)


def agent_typing(conversation: Conversation, name: str, active: bool) -> None:
    """What the agent inbox's consumer sends the widget when an agent types."""
    from channels.layers import get_channel_layer

    from tiski import events

    loop = events._server_loop
    assert loop is not None
    frame = {"type": "tiski.typing", "who": "agent", "name": name, "active": active}
    layer = get_channel_layer()
    assert layer is not None
    asyncio.run_coroutine_threadsafe(
        layer.group_send(events.widget_group(conversation.pk), frame), loop
    ).result(timeout=5)


def test_the_visitor_sees_when_an_agent_types(page: Any, shop: Shop) -> None:
    chat = open_widget(page, shop)
    write(chat, "Onko tämä vedenpitävä?")
    expect_status(chat, "Onko tämä vedenpitävä?", FI["sent"])
    agent_typing(shop.conversation(), "Johanna", True)
    indicator = chat.locator(".typing")
    expect(indicator).to_have_text(FI["typing"].replace("%(name)s", "Johanna"), timeout=WAIT)
    agent_typing(shop.conversation(), "Johanna", False)
    expect(indicator).to_have_text("")


def test_a_reply_to_a_hidden_page_beeps_and_blinks_the_title(page: Any, shop: Shop) -> None:
    # Count the beeps; pretend the visitor switched tabs (headless pages are never hidden).
    page.add_init_script(
        """
        window.__beeps = 0;
        const Real = window.AudioContext;
        window.AudioContext = class extends Real {
          createOscillator() { window.__beeps++; return super.createOscillator(); }
        };
        window.__hide = (hidden) => {
          Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
          document.dispatchEvent(new Event('visibilitychange'));
        };
        """
    )
    chat = open_widget(page, shop)  # the click is the gesture that allows sound
    write(chat, "Kuuleeko kukaan?")
    expect_status(chat, "Kuuleeko kukaan?", FI["sent"])
    title = page.title()
    page.evaluate("window.__hide(true)")
    shop.reply("Kuulee!")
    page.wait_for_function(f"document.title === {FI['new_message']!r}", timeout=WAIT)
    assert page.evaluate("window.__beeps") == 1
    expect(chat.locator(".badge")).to_have_text("1")
    page.evaluate("window.__hide(false)")
    page.wait_for_function(f"document.title === {title!r}", timeout=WAIT)
    expect(chat.locator(".badge")).to_be_hidden()


def shop_page(desk: str, token: str, *, head: str = "", attrs: str = "") -> str:
    """A shop's own page, as the embedding docs tell shops to write it, with CSS that
    would wreck the widget if it could reach in."""
    return (
        f'<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Kauppa</title>{head}'
        "<style>div, button, textarea { all: unset; display: none !important; }</style>"
        "</head><body><h1>Oma kauppa</h1>"
        f'<script src="{desk}/static/tiski/widget.js" data-tiski-token="{token}" {attrs} async>'
        "</script></body></html>"
    )


@pytest.fixture
def other_origin() -> Iterator[dict[str, str]]:
    """A web server of the shop's own, on another origin than the desk: path -> page."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="test-shop", daemon=True)
    thread.start()
    pages["origin"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield pages
    server.shutdown()
    server.server_close()


def test_it_works_on_the_shops_own_origin_with_a_signed_in_customer(
    browser: Any, page: Any, shop: Shop, live_desk: str, other_origin: dict[str, str]
) -> None:
    """Another origin (CORS, a websocket to the desk), the shop's hostile CSS, the
    customer's signed identity, data-tiski-lang and data-tiski-open."""
    identity = {
        "customer_id": "cus_10452",
        "email": "matti.korhonen@example.fi",
        "name": "Matti Korhonen",
        "hmac": identity_hmac(shop.store, "cus_10452"),
    }
    other_origin["/signed-in"] = shop_page(
        live_desk,
        shop.store.widget_token,
        head=f"<script>window.TiskiIdentity = {json.dumps(identity)};</script>",
        attrs='data-tiski-lang="en" data-tiski-open="true"',
    )
    page.goto(other_origin["origin"] + "/signed-in")
    chat = widget(page)
    expect(chat.locator(".panel")).to_be_visible(timeout=WAIT)  # opened on load
    expect(chat.locator(".comp button[type=submit]")).to_have_text(EN["send"])
    write(chat, "Hello from the shop's own page")
    expect_status(chat, "Hello from the shop's own page", EN["sent"])
    contact = shop.conversation().contact
    assert ContactIdentity.objects.filter(
        contact=contact, kind="shop_customer", value="cus_10452"
    ).exists()

    # A forged signature: the widget goes on as an anonymous visitor.
    other_origin["/forged"] = shop_page(
        live_desk,
        shop.store.widget_token,
        head="<script>window.TiskiIdentity = "
        '{"customer_id": "cus_1", "hmac": "' + "0" * 64 + '"};</script>',
    )
    context = browser.new_context()
    try:
        other = context.new_page()
        other.goto(other_origin["origin"] + "/forged")
        chat = widget(other)
        chat.locator(".launch").click(timeout=WAIT)
        write(chat, "Anonyymi kysymys")
        expect_status(chat, "Anonyymi kysymys", FI["sent"])
        anonymous = Message.objects.get(body_text="Anonyymi kysymys").conversation.contact
        assert anonymous != contact
        assert not ContactIdentity.objects.filter(contact=anonymous, kind="shop_customer").exists()
    finally:
        context.close()
