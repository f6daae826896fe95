"""The timeline is rendered in Python: everything but the sanitised body is escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import SYSTEM, inbound, make_agent
from tiski.agents.models import Role
from tiski.conversations.actions import add_note, create_label, send_reply, set_labels
from tiski.conversations.display import render_timeline
from tiski.conversations.entries import timeline_entries
from tiski.conversations.models import DeliveryStatus, Message
from tiski.core.actors import Actor
from tiski.stores.models import Store

EVIL = '<img src=x onerror="alert(1)">'


def _tags(html: str) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, [name for name, _value in attrs]))

    Collector().feed(html)
    return found


def test_names_labels_and_errors_are_escaped(store: Store) -> None:
    agent = make_agent("evil@revontuli.example", f"Eve {EVIL}", store, Role.OWNER)
    conversation = inbound(store, "Hei <b>bold</b>", name=f"Mallory {EVIL}").conversation
    send_reply(conversation, actor=Actor.for_agent(agent), author=agent, text=f"Vastaus {EVIL}")
    add_note(conversation, actor=Actor.for_agent(agent), author=agent, text="muistiin")
    set_labels(
        conversation, [create_label(store, name=f"x{EVIL}"[:50], actor=SYSTEM)], actor=SYSTEM
    )
    Message.objects.filter(kind="reply", direction="out").update(
        status=DeliveryStatus.FAILED, error=f"SMTP said {EVIL}"
    )
    entries, more = timeline_entries(
        conversation, agent_names={agent.pk: agent.name}, contact_name=conversation.contact.name
    )
    html = str(render_timeline(entries))
    assert not more
    tags = _tags(html)
    assert "img" not in {tag for tag, _attrs in tags}
    assert not [attr for _tag, attrs in tags for attr in attrs if attr.startswith("on")]
    assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 4  # names, label, error
    # The customer's text was stored escaped; it is shown as text, not as markup.
    assert "Hei &lt;b&gt;bold&lt;/b&gt;" in html
    assert 'class="msg msg-out msg-note"' in html
    assert 'class="delivery delivery-failed"' in html
    assert [e.kind for e in entries] == ["reply", "reply", "event", "note", "event"]


def test_authors_who_left_the_store_keep_their_names(store: Store) -> None:
    agent = make_agent("gone@revontuli.example", "Entinen Agentti", store)
    conversation = inbound(store).conversation
    send_reply(conversation, actor=Actor.for_agent(agent), author=agent, text="Hei")
    entries, _more = timeline_entries(conversation, agent_names={}, contact_name="Matti")
    assert [e.author for e in entries if e.kind == "reply"] == ["Matti", "Entinen Agentti"]


def test_older_entries_are_cut_at_the_limit(store: Store) -> None:
    conversation = inbound(store, "1").conversation
    for n in range(2, 6):
        inbound(store, str(n), conversation=conversation)
    entries, more = timeline_entries(conversation, agent_names={}, contact_name="M", limit=3)
    assert more
    assert [e.seq for e in entries] == [4, 5, 6]
