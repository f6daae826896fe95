"""Who may see and edit a store's help center in the agent UI.

Every member of a store may read its article list and report; writing needs
``Membership.can_edit_help_center`` (owners, admins, and agents given the right), and a
member without it gets 403. An agent who is not a member gets 404 for every URL of the
store, so the URLs do not even tell them that the store or the article exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tiski.agents.models import Agent, Membership
from tiski.agents.queries import stores_for
from tiski.helpcenter.models import Article, Category
from tiski.stores.models import Store


@dataclass(frozen=True)
class StoreAccess:
    store: Store
    membership: Membership
    # Every store the agent may pick from (the store picker shows them when > 1).
    stores: list[Store]

    @property
    def can_edit(self) -> bool:
        return self.membership.can_edit_help_center

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied("You may not edit this help center.")

    @property
    def languages(self) -> list[str]:
        return self.store.served_languages()


def current_agent(request: HttpRequest) -> Agent:
    agent = request.user
    assert isinstance(agent, Agent)
    return agent


def _access(agent: Agent, store: Store, stores: list[Store]) -> StoreAccess:
    membership = Membership.objects.filter(agent=agent, store=store).first()
    if membership is None:
        raise Http404
    return StoreAccess(store, membership, stores)


def store_access(request: HttpRequest, slug: str | None = None) -> StoreAccess:
    """The store named by ``slug`` (or ``?store=``), else the agent's first store."""
    agent = current_agent(request)
    stores = list(stores_for(agent))
    wanted = slug if slug is not None else request.GET.get("store") or request.POST.get("store")
    if wanted:
        store = next((s for s in stores if s.slug == wanted), None)
    else:
        store = stores[0] if stores else None
    if store is None:
        raise Http404
    return _access(agent, store, stores)


def article_access(request: HttpRequest, article_id: int) -> tuple[StoreAccess, Article]:
    agent = current_agent(request)
    stores = list(stores_for(agent))
    article = (
        Article.objects.filter(pk=article_id, store__in=[s.pk for s in stores])
        .select_related("store", "category")
        .first()
    )
    if article is None:
        raise Http404
    return _access(agent, article.store, stores), article


def category_access(request: HttpRequest, category_id: int) -> tuple[StoreAccess, Category]:
    agent = current_agent(request)
    stores = list(stores_for(agent))
    category = (
        Category.objects.filter(pk=category_id, store__in=[s.pk for s in stores])
        .select_related("store")
        .first()
    )
    if category is None:
        raise Http404
    return _access(agent, category.store, stores), category


def served_language(access: StoreAccess, language: str) -> str:
    """A language the store serves, or 404 (a URL with any other one names nothing)."""
    if language not in access.languages:
        raise Http404
    return language
