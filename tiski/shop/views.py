"""Webhooks in, at /webhooks/<platform>/<store slug>/.

Answers the platforms expect: 200 once the delivery is stored (also for a duplicate or a
topic Tiski does not use, so the platform does not give up on the webhook), 400 for a
body that is not JSON (stored, visible in the admin), 401 for a missing or wrong
signature (nothing stored), 404 for an unknown store or platform, 413 for a body over
``MAX_WEBHOOK_BYTES``.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tiski.shop.actions import DeliveryIn, receive_delivery
from tiski.shop.connectors import WebhookRejected, connector_for
from tiski.shop.models import DeliveryStatus, Platform, ShopConnection

# Far above any order a shop sends (Shopify's largest are a few hundred KB).
MAX_WEBHOOK_BYTES = 2 * 1024 * 1024


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, platform: str, slug: str) -> JsonResponse:
    connection = (
        ShopConnection.objects.select_related("store")
        .filter(store__slug=slug, platform=platform, enabled=True)
        .first()
        if platform in Platform.values
        else None
    )
    if connection is None:
        return JsonResponse({"detail": _("No such shop connection.")}, status=404)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_WEBHOOK_BYTES:
        return JsonResponse({"detail": _("The body is too large.")}, status=413)
    body = request.read(MAX_WEBHOOK_BYTES + 1)
    if len(body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"detail": _("The body is too large.")}, status=413)
    headers = {name.lower(): value for name, value in request.headers.items()}
    connector = connector_for(platform)
    if connector.is_ping(headers, body):
        return JsonResponse({"status": "ok"})
    try:
        connector.verify(connection, headers, body)
    except WebhookRejected as exc:
        return JsonResponse({"detail": _("Signature rejected: %(why)s") % {"why": exc}}, status=401)
    received = receive_delivery(
        connection.store, DeliveryIn(platform, connector.meta(headers, body), body)
    )
    delivery = received.delivery
    if delivery.status == DeliveryStatus.FAILED and not received.duplicate:
        return JsonResponse({"detail": delivery.error, "delivery": delivery.pk}, status=400)
    return JsonResponse(
        {"status": delivery.status, "delivery": delivery.pk, "duplicate": received.duplicate}
    )
