"""The agent inbox over HTTP: views, commands, permissions, query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import SYSTEM, inbound, logged_in
from tiski.agents.models import Agent, Team
from tiski.conversations.actions import (
    add_note,
    assign,
    save_canned_response,
    send_reply,
    set_labels,
)
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import (
    Attachment,
    Channel,
    Conversation,
    Kind,
    Label,
    Message,
    Status,
)
from tiski.core.actors import Actor
from tiski.stores.models import Store

HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "conversation"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_inbox_needs_a_login(conversation: Conversation) -> None:
    for url in ("/", "/inbox/all/", f"/conversations/{conversation.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_views_list_the_right_conversations(
    store: Store, owner: Agent, teammate: Agent, team: Team, label: Label, owner_client: Client
) -> None:
    mine = inbound(store, "oma", email="a@example.fi", subject="Minun").conversation
    assign(mine, assignee=owner, actor=SYSTEM)
    free = inbound(store, "vapaa", email="b@example.fi", subject="Vapaa").conversation
    theirs = inbound(store, "tiimi", email="c@example.fi", subject="Tiimin").conversation
    assign(theirs, assignee=teammate, team=team, actor=SYSTEM)
    set_labels(theirs, [label], actor=SYSTEM)

    def subjects(url: str) -> list[str]:
        response = owner_client.get(url)
        assert response.status_code == 200
        return [row.subject for row in response.context["rows"]]

    assert subjects("/inbox/mine/") == ["Minun"]
    assert subjects("/inbox/unassigned/") == ["Vapaa"]
    assert subjects("/inbox/all/") == ["Tiimin", "Vapaa", "Minun"]
    assert subjects(f"/inbox/team/{team.pk}/") == ["Tiimin"]
    assert subjects(f"/inbox/label/{label.pk}/") == ["Tiimin"]
    assert subjects("/inbox/store/revontuli/") == ["Tiimin", "Vapaa", "Minun"]
    assert subjects("/inbox/all/?status=resolved") == []
    counts = owner_client.get("/inbox/all/").context["counts"]
    assert (counts.mine, counts.unassigned, counts.all) == (1, 1, 3)
    assert counts.by_team == {team.pk: 1} and counts.by_label == {label.pk: 1}
    assert free.pk  # listed above


@pytest.mark.parametrize("url", ["/inbox/nope/", "/inbox/team/abc/", "/inbox/all/?status=gone"])
def test_unknown_views_are_404(owner_client: Client, url: str) -> None:
    assert owner_client.get(url).status_code == 404


def test_the_list_pages_with_a_cursor(store: Store, owner_client: Client) -> None:
    for n in range(30):
        inbound(store, f"viesti {n}", email=f"c{n}@example.fi", subject=f"Aihe {n}")
    first = owner_client.get("/inbox/all/")
    assert len(first.context["rows"]) == 25 and first.context["next_cursor"]
    more = owner_client.get(
        f"/inbox/all/?cursor={first.context['next_cursor']}",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="conversation-list-more",
    )
    assert more.status_code == 200
    seen = [r.pk for r in first.context["rows"]] + [r.pk for r in more.context["rows"]]
    assert len(seen) == len(set(seen)) == 30
    assert owner_client.get("/inbox/all/?cursor=garbage").status_code == 404


def test_an_outsider_sees_nothing_of_another_store(
    conversation: Conversation, outsider_client: Client, other_conversation: Conversation
) -> None:
    listing = outsider_client.get("/inbox/all/")
    assert [r.pk for r in listing.context["rows"]] == [other_conversation.pk]
    assert b"Tilaus 10234" not in listing.content
    pk = conversation.pk
    assert outsider_client.get(f"/conversations/{pk}/").status_code == 404
    assert outsider_client.get(f"/conversations/{pk}/canned/").status_code == 404
    for command, data in [
        ("reply", {"text": "hijack", "kind": "reply"}),
        ("reply", {"text": "hijack", "kind": "note"}),
        ("assign", {"assignee": "me"}),
        ("status", {"status": "closed"}),
        ("priority", {"priority": "low"}),
        ("labels", {"label": []}),
        ("merge", {"target": other_conversation.pk}),
        ("contact/notes", {"body": "x"}),
        ("contact/tags", {"tags": "x"}),
    ]:
        assert outsider_client.post(f"/conversations/{pk}/{command}/", data).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN and conversation.assignee is None
    assert Message.objects.filter(conversation=conversation).count() == 1
    assert outsider_client.get(f"/inbox/store/{conversation.store.slug}/").context["rows"] == []


def test_the_conversation_page_shows_timeline_and_contact(
    conversation: Conversation, owner: Agent, owner_client: Client
) -> None:
    add_note(conversation, actor=SYSTEM, author=owner, text="Soitin asiakkaalle")
    response = owner_client.get(f"/conversations/{conversation.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hei, missä tilaukseni 10234 on?" in html and "Soitin asiakkaalle" in html
    assert "matti@example.fi" in html and "#RVT-1" in html
    fragment = owner_client.get(f"/conversations/{conversation.pk}/", **HX)
    assert fragment.content.decode().lstrip().startswith('<main id="conversation"')


@pytest.mark.parametrize(
    ("channel", "subject", "title"),
    [
        (Channel.CHAT, "", "Matti Meikäläinen"),
        (Channel.EMAIL, "", "(no subject)"),
        (Channel.CHAT, "Palautus", "Palautus"),
    ],
)
def test_the_conversation_title(
    store: Store, owner_client: Client, channel: str, subject: str, title: str
) -> None:
    conversation = inbound(store, channel=channel, subject=subject).conversation
    html = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert f'<h2 id="conversation-title">{title}</h2>' in html
    assert f"<title>{title} · " in html


def test_a_list_row_without_a_subject_does_not_repeat_the_reference(
    store: Store, owner_client: Client
) -> None:
    chat = inbound(store, channel=Channel.CHAT, subject="").conversation
    mail = inbound(store, email="liisa@example.fi", subject="").conversation
    page = owner_client.get(f"/inbox/store/{store.slug}/").content.decode()

    def row(pk: int) -> str:
        start = page.index(f'id="conv-row-{pk}"')
        return page[start : page.index("</li>", start)]

    assert '<span class="row-subject"></span>' in row(chat.pk)  # hidden: the preview says it
    assert row(chat.pk).count(chat.reference) == 1
    assert '<span class="row-subject">(no subject)</span>' in row(mail.pk)


def test_reply_and_note_with_htmx(
    conversation: Conversation, owner: Agent, owner_client: Client
) -> None:
    url = f"/conversations/{conversation.pk}/reply/"
    response = owner_client.post(
        url, {"kind": "reply", "text": "Paketti lähti tänään.", "then": "pending"}, **HX
    )
    assert response.status_code == 200
    assert "Paketti lähti tänään." in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()  # the list row updates too
    conversation.refresh_from_db()
    assert conversation.status == Status.PENDING and conversation.assignee == owner
    owner_client.post(url, {"kind": "note", "text": "Seuranta tarkistettu"}, **HX)
    assert conversation.messages.filter(kind=Kind.NOTE).count() == 1


def test_an_empty_reply_is_refused_and_the_draft_kept(
    conversation: Conversation, owner_client: Client
) -> None:
    url = f"/conversations/{conversation.pk}/reply/"
    response = owner_client.post(url, {"kind": "reply", "text": "   "}, **HX)
    assert response.status_code == 422
    assert "The message is empty." in response.content.decode()
    bad_then = owner_client.post(
        url, {"kind": "reply", "text": "keep this", "then": "closed"}, **HX
    )
    assert bad_then.status_code == 422 and "keep this" in bad_then.content.decode()
    assert conversation.messages.count() == 1


def test_reply_and_resolve_is_all_or_nothing(
    conversation: Conversation, owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiski.conversations import actions
    from tiski.core.errors import ActionError

    def refuse(*args: object, **kwargs: object) -> None:
        raise ActionError("refused for the test")

    monkeypatch.setattr(actions, "change_status", refuse)
    response = owner_client.post(
        f"/conversations/{conversation.pk}/reply/", {"text": "Vastaus", "then": "resolved"}, **HX
    )
    assert response.status_code == 422
    assert conversation.messages.count() == 1


def test_commands_without_javascript_redirect_back(
    conversation: Conversation, owner_client: Client
) -> None:
    response = owner_client.post(f"/conversations/{conversation.pk}/reply/", {"text": "Hei!"})
    assert (
        response.status_code == 302 and response["Location"] == f"/conversations/{conversation.pk}/"
    )
    refused = owner_client.post(
        f"/conversations/{conversation.pk}/reply/", {"text": ""}, follow=True
    )
    assert "The message is empty." in refused.content.decode()


def test_assign_status_priority_labels_from_the_pane(
    conversation: Conversation,
    owner: Agent,
    teammate: Agent,
    team: Team,
    label: Label,
    owner_client: Client,
    outsider: Agent,
) -> None:
    base = f"/conversations/{conversation.pk}"
    assert (
        owner_client.post(
            f"{base}/assign/", {"assignee": str(teammate.pk), "team": str(team.pk)}, **HX
        ).status_code
        == 200
    )
    conversation.refresh_from_db()
    assert (conversation.assignee, conversation.team) == (teammate, team)
    assert owner_client.post(f"{base}/assign/", {"assignee": "me"}, **HX).status_code == 200
    conversation.refresh_from_db()
    assert conversation.assignee == owner and conversation.team == team
    foreign = owner_client.post(f"{base}/assign/", {"assignee": str(outsider.pk)}, **HX)
    assert foreign.status_code == 422
    assert owner_client.post(f"{base}/priority/", {"priority": "urgent"}, **HX).status_code == 200
    assert owner_client.post(f"{base}/labels/", {"label": [str(label.pk)]}, **HX).status_code == 200
    assert owner_client.post(f"{base}/labels/", {"label": ["99999"]}, **HX).status_code == 422
    assert (
        owner_client.post(
            f"{base}/status/", {"status": "snoozed", "snooze": "tomorrow"}, **HX
        ).status_code
        == 200
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.SNOOZED
    assert conversation.snoozed_until is not None and conversation.snoozed_until > timezone.now()
    assert conversation.priority == "urgent" and list(conversation.labels.all()) == [label]
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert (
        owner_client.post(
            f"{base}/status/", {"status": "snoozed", "snooze": "custom", "until": past}, **HX
        ).status_code
        == 422
    )
    assert (
        owner_client.post(
            f"{base}/status/", {"status": "snoozed", "snooze": "custom", "until": "soon"}, **HX
        ).status_code
        == 422
    )
    assert owner_client.post(f"{base}/status/", {"status": "resolved"}, **HX).status_code == 200
    conversation.refresh_from_db()
    assert conversation.status == Status.RESOLVED


def test_merge_from_the_pane(store: Store, owner_client: Client) -> None:
    target = inbound(store).conversation
    source = inbound(store, "chatissa", channel=Channel.CHAT).conversation
    response = owner_client.post(f"/conversations/{source.pk}/merge/", {"target": target.pk}, **HX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/conversations/{target.pk}/"
    source.refresh_from_db()
    assert source.merged_into_id == target.pk
    assert (
        owner_client.post(f"/conversations/{target.pk}/merge/", {"target": "x"}, **HX).status_code
        == 422
    )


def test_contact_notes_and_tags_from_the_card(
    conversation: Conversation, owner_client: Client
) -> None:
    base = f"/conversations/{conversation.pk}/contact"
    owner_client.post(f"{base}/notes/", {"body": "Kanta-asiakas vuodesta 2019"}, **HX)
    owner_client.post(f"{base}/tags/", {"tags": "vip, tukku"}, **HX)
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Kanta-asiakas vuodesta 2019" in page and "tukku" in page
    assert owner_client.post(f"{base}/notes/", {"body": " "}, **HX).status_code == 422


def test_canned_responses_are_filled_for_the_conversation(
    conversation: Conversation, owner_client: Client
) -> None:
    save_canned_response(
        conversation.store,
        actor=SYSTEM,
        shortcut="kiitos",
        title="Kiitos",
        body="Kiitos {{ contact.first_name }}! T. {{ agent.first_name }}",
    )
    data = owner_client.get(f"/conversations/{conversation.pk}/canned/").json()
    assert data == {
        "responses": [{"shortcut": "kiitos", "title": "Kiitos", "text": "Kiitos Matti! T. Olli"}]
    }


def test_attachments_are_served_to_members_only(
    store: Store, owner_client: Client, outsider_client: Client
) -> None:
    message = inbound(
        store,
        "liitteet",
        attachments=[
            IncomingFile("kuva.png", PNG),
            IncomingFile("lasku.html", b"<script>x</script>", "text/html"),
        ],
    ).message
    image, page = Attachment.objects.filter(message=message).order_by("id")
    shown = owner_client.get(f"/attachments/{image.token}/{image.filename}")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert "sandbox" in shown["Content-Security-Policy"]
    download = owner_client.get(f"/attachments/{page.token}/{page.filename}")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    assert outsider_client.get(f"/attachments/{image.token}/{image.filename}").status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_rows(
    store: Store, owner: Agent, label: Label, owner_client: Client
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            c = inbound(store, f"v{i}", email=f"q{i}-{n}@example.fi").conversation
            assign(c, assignee=owner, actor=SYSTEM)
            set_labels(c, [label], actor=SYSTEM)

    add(3)
    owner_client.get("/inbox/all/")  # the first visit also remembers the view in the session
    few = _queries(owner_client, "/inbox/all/")
    add(20)
    many = _queries(owner_client, "/inbox/all/")
    assert few == many


def test_conversation_page_queries_do_not_grow_with_messages(
    conversation: Conversation, owner: Agent, owner_client: Client
) -> None:
    url = f"/conversations/{conversation.pk}/"
    actor = Actor.for_agent(owner)
    send_reply(conversation, actor=actor, author=owner, text="1")
    few = _queries(owner_client, url)
    for i in range(20):
        send_reply(conversation, actor=actor, author=owner, text=f"r{i}")
        add_note(conversation, actor=actor, author=owner, text=f"n{i}")
    assert _queries(owner_client, url) == few


def test_teammates_share_the_store(conversation: Conversation, teammate: Agent) -> None:
    client = logged_in(teammate)
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 200


def test_counts_stop_at_the_cap(
    store: Store, label: Label, owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiski.conversations import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    monkeypatch.setattr("tiski.conversations.display.COUNT_CAP", 2)
    for n in range(4):
        c = inbound(store, f"v{n}", email=f"cap{n}@example.fi").conversation
        set_labels(c, [label], actor=SYSTEM)
    response = owner_client.get("/inbox/all/")
    counts = response.context["counts"]
    assert counts.unassigned == 3 and counts.by_label == {label.pk: 3}
    assert counts.by_store == {store.pk: 3}
    assert '<span class="count">2+</span>' in response.content.decode()


def test_an_anonymous_chat_visitor_reads_as_visitor_and_a_short_code(
    store: Store, owner_client: Client
) -> None:
    from tiski.contacts.actions import IdentityInput
    from tiski.contacts.models import IdentityKind
    from tiski.conversations.actions import InboundMessage, receive_message

    conversation = receive_message(
        InboundMessage(
            store=store,
            channel=Channel.CHAT,
            sender=[IdentityInput(IdentityKind.VISITOR, "a51bfa8944e74c5b9b04f8b4eb462d50")],
            text="Hei",
        )
    ).conversation
    listing = owner_client.get("/inbox/all/").content.decode()
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    for html in (listing, page):
        assert "Visitor A51BFA" in html
    assert "a51bfa8944e74c5b9b04f8b4eb462d50" not in listing
