"""Who is calling the API, which stores they reach, and what they may do there."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from tiski.agents.models import Agent
from tiski.agents.queries import store_ids_for
from tiski.core.actors import Actor
from tiski.stores.actions import authenticate_api_key
from tiski.stores.models import ApiKey


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer tsk_...``: a store's API key."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return authenticate_api_key(token.strip())


class AgentSessionAuth(SessionAuth):
    """The agent UI's own session cookie (with Django's CSRF check on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Agent | None:
        user = request.user
        if user.is_authenticated and isinstance(user, Agent) and user.is_active:
            return user
        return None


@dataclass(frozen=True)
class Caller:
    store_ids: list[int]
    actor: Actor
    agent: Agent | None = None
    api_key: ApiKey | None = None

    def require(self, scope: str) -> None:
        """Agents may do anything in their stores; keys only what their scopes say."""
        if self.api_key is not None and not self.api_key.allows(scope):
            raise HttpError(403, _("This API key lacks the scope %(scope)s.") % {"scope": scope})


def caller(request: HttpRequest) -> Caller:
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, ApiKey):
        return Caller(store_ids=[auth.store_id], actor=Actor.for_api_key(auth), api_key=auth)
    if isinstance(auth, Agent):
        return Caller(store_ids=store_ids_for(auth), actor=Actor.for_agent(auth), agent=auth)
    raise HttpError(401, _("Authentication required."))
