"""The shape of demo content: pure data, no Django imports. The seeder turns it into rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAgent:
    email: str
    name: str
    language: str  # "fi" | "pl" | "sv" | "en" (the agent UI language)
    role: str  # "owner" | "admin" | "agent"
    teams: tuple[str, ...] = ()  # team names of this store


@dataclass(frozen=True)
class DemoCustomer:
    key: str  # short unique id inside the store, referenced by conversations
    name: str
    email: str
    phone: str  # international format, e.g. "+358 40 123 4567"; "" when unknown
    shop_customer_id: str  # "" for guests
    language: str
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # internal notes agents wrote about the customer


@dataclass(frozen=True)
class DemoMessage:
    kind: str  # "in" (customer wrote), "reply" (agent answered), "note" (internal note)
    text: str
    minutes_ago: int  # how long before "now" it was written; strictly decreasing in a conversation
    agent: str = ""  # agent email for "reply" and "note"


@dataclass(frozen=True)
class DemoConversation:
    customer: str  # DemoCustomer.key
    channel: str  # "chat" | "email" | "phone" | "api"
    subject: str
    language: str
    status: str  # "open" | "pending" | "snoozed" | "resolved" | "closed"
    priority: str  # "low" | "normal" | "high" | "urgent"
    messages: tuple[DemoMessage, ...]
    assignee: str = ""  # agent email or "" for unassigned
    team: str = ""
    labels: tuple[str, ...] = ()
    snoozed_hours: int = 0  # only for status "snoozed": wakes this many hours after now


@dataclass(frozen=True)
class DemoCanned:
    shortcut: str  # lowercase letters, digits and dashes, e.g. "tracking"
    title: str
    body: str  # may use the placeholders {{ contact.first_name }} and {{ agent.name }}


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    title: str
    price_cents: int
    currency: str


@dataclass(frozen=True)
class DemoStore:
    slug: str
    name: str
    default_language: str
    languages: tuple[str, ...]
    timezone: str
    country: str  # ISO 3166-1 alpha-2
    reference_prefix: str  # 2-5 capital letters, used in ticket references like [#RVT-1234]
    brand_color: str  # "#rrggbb", must give white text enough contrast
    support_email: str
    website: str
    business_hours: dict[
        str, list[tuple[str, str]]
    ]  # {"mon": [("09:00", "17:00")], ..., "sun": []}
    teams: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]  # (name, "#rrggbb")
    agents: tuple[DemoAgent, ...]
    customers: tuple[DemoCustomer, ...]
    conversations: tuple[DemoConversation, ...]
    canned: tuple[DemoCanned, ...]
    products: tuple[DemoProduct, ...]


@dataclass(frozen=True)
class DemoArticle:
    """One help center article; ``texts`` maps language to (title, Markdown body)."""

    category: str  # a key of DemoHelpCenter.categories, or "" for policy pages
    texts: dict[str, tuple[str, str]]
    policy: str = ""
    # Languages whose text is still a draft (the demo shows both states).
    drafts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoHelpCenter:
    phone: str
    # key -> language -> (name, description)
    categories: dict[str, dict[str, tuple[str, str]]]
    articles: tuple[DemoArticle, ...]
