"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tiski.contacts.api import router as contacts_router
from tiski.conversations.api import router as conversations_router
from tiski.core.apiauth import AgentSessionAuth, ApiKeyAuth
from tiski.core.errors import ActionError
from tiski.shop.api import router as shop_router
from tiski.stores.api import router as stores_router

api = NinjaAPI(
    title="Tiski API",
    version="1",
    description=(
        "Contacts, conversations and shop orders of your stores. Authenticate with a store API key "
        "(`Authorization: Bearer tsk_...`, created in the admin) or the agent session."
    ),
    auth=[ApiKeyAuth(), AgentSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ActionError)
def action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": exc.message, "field": exc.field, "code": exc.code},
        status=exc.status_code,
    )


api.add_router("/stores", stores_router)
api.add_router("/contacts", contacts_router)
api.add_router("/conversations", conversations_router)
api.add_router("/shop", shop_router)
