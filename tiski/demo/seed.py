"""Seeding the demo shops through the real actions, replaying their history in time order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tiski.agents.actions import add_membership, create_agent, create_team, set_team_members
from tiski.agents.models import Agent, Role, Team
from tiski.chat.actions import save_chat_settings
from tiski.contacts.actions import (
    IdentityInput,
    add_contact_note,
    create_contact,
    set_contact_tags,
)
from tiski.contacts.models import Contact, IdentityKind
from tiski.conversations import actions
from tiski.conversations.actions import InboundMessage
from tiski.conversations.models import Conversation, Label, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.worker import run_pending_tasks
from tiski.demo.content import STORES
from tiski.demo.helpcenter import seed_help_centers
from tiski.demo.orders import seed_orders
from tiski.demo.returns import seed_return_settings
from tiski.demo.schema import DemoConversation, DemoStore
from tiski.stores.actions import create_store
from tiski.stores.models import Store

# Printed at start and in the README: a demo, not a secret.
DEMO_PASSWORD = "tiski-demo"  # noqa: S105

# The demo shops greet chat visitors in their own words.
DEMO_GREETINGS = {
    "tunturikettu": {
        "fi": "Hei! Kysy meiltä kokoja, tilauksia tai palautuksia – vastaamme nopeasti.",
        "sv": "Hej! Fråga oss om storlekar, beställningar eller returer – vi svarar snabbt.",
        "en": "Hi! Ask us about sizes, orders or returns – we answer quickly.",
    },
    "ziarno-i-lisc": {
        "pl": "Dzień dobry! Chętnie pomożemy w sprawie zamówienia, zwrotu lub wyboru kawy.",
        "en": "Hello! We are happy to help with your order, a return or choosing a coffee.",
    },
}


@dataclass
class SeedResult:
    created_stores: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # email, name, what


def _agent(email: str, name: str, language: str, *, admin: bool) -> Agent:
    existing = Agent.objects.filter(email=email).first()
    if existing is not None:
        return existing
    agent = create_agent(email=email, name=name, password=None, language=language, is_staff=admin)
    # The demo password is short on purpose; real accounts go through the validators.
    agent.set_password(DEMO_PASSWORD)
    agent.is_superuser = admin
    agent.save(update_fields=["password", "is_superuser"])
    return agent


def _seed_conversation(
    store: Store,
    demo: DemoConversation,
    contact: Contact,
    agents: dict[str, Agent],
    teams: dict[str, Team],
    labels: dict[str, Label],
    now: datetime,
    triager: Agent,
) -> Conversation:
    system = Actor.for_agent(triager)
    times = [now - timedelta(minutes=m.minutes_ago) for m in demo.messages]
    start = times[0] - timedelta(seconds=30)
    with clock.frozen_at(start):
        conversation = actions.start_conversation(
            store,
            contact,
            channel=demo.channel,
            actor=Actor.for_contact(contact),
            subject=demo.subject,
            language=demo.language,
        )
    # Triage happens soon after the first message, before anyone answers.
    gap = (times[1] - times[0]) / 2 if len(times) > 1 else timedelta(minutes=2)
    triage_at = times[0] + min(timedelta(minutes=1), gap)
    for index, (message, at) in enumerate(zip(demo.messages, times, strict=True)):
        with clock.frozen_at(at):
            if message.kind == "in":
                actions.receive_message(
                    InboundMessage(
                        store=store,
                        channel=demo.channel,
                        sender=[],
                        conversation=conversation,
                        text=message.text,
                        received_at=at,
                        external_id=f"demo-{conversation.pk}-{index}",
                    )
                )
            elif message.kind == "reply":
                agent = agents[message.agent]
                actions.send_reply(
                    conversation, actor=Actor.for_agent(agent), author=agent, text=message.text
                )
            else:
                agent = agents[message.agent]
                actions.add_note(
                    conversation, actor=Actor.for_agent(agent), author=agent, text=message.text
                )
        if index == 0:
            _triage(conversation, demo, agents, teams, labels, at=triage_at, triager=triager)
    end = times[-1] + timedelta(minutes=2)
    with clock.frozen_at(min(end, now)):
        wanted = agents[demo.assignee] if demo.assignee else None
        conversation.refresh_from_db()
        if conversation.assignee_id != (wanted.pk if wanted else None):
            actions.assign(conversation, assignee=wanted, actor=system)
        if demo.status == Status.SNOOZED:
            until = timezone.now() + timedelta(hours=demo.snoozed_hours)
            actions.change_status(
                conversation, status=Status.SNOOZED, snoozed_until=until, actor=system
            )
        elif demo.status == Status.CLOSED:
            actions.change_status(conversation, status=Status.RESOLVED, actor=system)
            actions.change_status(conversation, status=Status.CLOSED, actor=system)
        elif demo.status != Status.OPEN:
            actions.change_status(conversation, status=demo.status, actor=system)
    return conversation


def _triage(
    conversation: Conversation,
    demo: DemoConversation,
    agents: dict[str, Agent],
    teams: dict[str, Team],
    labels: dict[str, Label],
    *,
    at: datetime,
    triager: Agent,
) -> None:
    # A person triages, as in a real shop; their name shows in the timeline.
    system = Actor.for_agent(triager)
    with clock.frozen_at(at):
        changes: dict[str, object] = {}
        if demo.assignee:
            changes["assignee"] = agents[demo.assignee]
        if demo.team:
            changes["team"] = teams[demo.team]
        if changes:
            actions.assign(conversation, actor=system, **changes)
        if demo.priority != "normal":
            actions.change_priority(conversation, priority=demo.priority, actor=system)
        if demo.labels:
            actions.set_labels(conversation, [labels[n] for n in demo.labels], actor=system)


def _seed_store(demo: DemoStore, result: SeedResult, now: datetime) -> Store:
    system = Actor.system("demo")
    store = create_store(
        actor=system,
        name=demo.name,
        slug=demo.slug,
        reference_prefix=demo.reference_prefix,
        default_language=demo.default_language,
        languages=list(demo.languages),
        timezone=demo.timezone,
        country=demo.country,
        brand_color=demo.brand_color,
        support_email=demo.support_email,
        # The demo shows what a shop gets: new email acknowledged, with its reference.
        acknowledge_email=True,
        website=demo.website,
        business_hours={
            day: [list(i) for i in hours] for day, hours in demo.business_hours.items()
        },
    )
    agents: dict[str, Agent] = {}
    for demo_agent in demo.agents:
        is_owner = demo_agent.role == Role.OWNER
        agent = _agent(demo_agent.email, demo_agent.name, demo_agent.language, admin=is_owner)
        add_membership(agent, store, role=demo_agent.role, actor=system)
        agents[demo_agent.email] = agent
        role = {"owner": "owner, admin", "admin": "admin", "agent": "agent"}[demo_agent.role]
        result.logins.append((agent.email, agent.name, f"{store.name}: {role}"))
    teams = {name: create_team(store, name=name, actor=system) for name in demo.teams}
    for name, team in teams.items():
        members = [agents[a.email] for a in demo.agents if name in a.teams]
        set_team_members(team, members, actor=system)
    labels = {
        name: actions.create_label(store, name=name, color=color, actor=system)
        for name, color in demo.labels
    }
    save_chat_settings(store, actor=system, greeting=dict(DEMO_GREETINGS.get(demo.slug, {})))
    for canned in demo.canned:
        actions.save_canned_response(
            store, actor=system, shortcut=canned.shortcut, title=canned.title, body=canned.body
        )
    owner = next(agents[a.email] for a in demo.agents if a.role == Role.OWNER)
    contacts: dict[str, Contact] = {}
    for customer in demo.customers:
        identities = [IdentityInput(IdentityKind.EMAIL, customer.email)]
        if customer.phone:
            identities.append(IdentityInput(IdentityKind.PHONE, customer.phone))
        if customer.shop_customer_id:
            identities.append(IdentityInput(IdentityKind.SHOP_CUSTOMER, customer.shop_customer_id))
        with clock.frozen_at(now - timedelta(days=60)):
            contact = create_contact(
                store,
                actor=system,
                name=customer.name,
                language=customer.language,
                identities=identities,
            )
            set_contact_tags(contact, customer.tags, actor=system)
            for note in customer.notes:
                add_contact_note(contact, body=note, actor=Actor.for_agent(owner))
        contacts[customer.key] = contact
    # Oldest first, so "previous conversations" and numbers follow the real order.
    ordered = sorted(demo.conversations, key=lambda c: -c.messages[0].minutes_ago)
    for demo_conversation in ordered:
        _seed_conversation(
            store,
            demo_conversation,
            contacts[demo_conversation.customer],
            agents,
            teams,
            labels,
            now,
            triager=owner,
        )
    seed_orders(store, demo, now)
    return store


def seed_demo() -> SeedResult:
    """Create the demo shops that don't exist yet. Running it again changes nothing."""
    result = SeedResult()
    now = timezone.now()
    for demo in STORES:
        if Store.objects.filter(slug=demo.slug).exists():
            continue
        with transaction.atomic():
            _seed_store(demo, result, now)
        result.created_stores.append(demo.name)
    # Also for demo shops seeded before the help center existed.
    seed_help_centers()
    seed_return_settings()
    if result.created_stores:
        # One agent serving both shops shows how several stores look in one inbox.
        _share_agent(STORES[0].agents[-1].email, STORES[1].slug)
        # The demo's replies go through real delivery, into a mailbox nobody reads.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            run_pending_tasks()
    return result


def _share_agent(email: str, store_slug: str) -> None:
    agent = Agent.objects.filter(email=email).first()
    store = Store.objects.filter(slug=store_slug).first()
    if agent and store:
        add_membership(agent, store, role=Role.AGENT, actor=Actor.system("demo"))


def demo_logins() -> list[tuple[str, str, str]]:
    """Every demo agent with the shops and roles they really have, for printing at start."""
    emails = [a.email for demo in STORES for a in demo.agents]
    agents = Agent.objects.filter(email__in=emails).prefetch_related("memberships__store")
    by_email = {agent.email: agent for agent in agents}
    rows = []
    for email in emails:
        agent = by_email.get(email)
        if agent is None:
            continue
        roles = "; ".join(
            f"{m.store.name}: {m.role}"
            for m in sorted(agent.memberships.all(), key=lambda m: m.store_id)
        )
        rows.append((agent.email, agent.name, roles))
    return rows
