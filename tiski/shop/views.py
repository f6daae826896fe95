"""Webhooks in, at /webhooks/<platform>/<store slug>/, through Django.

The server answers these paths with the faster ASGI endpoint of tiski/shop/intake.py;
this view serves the same answers wherever Django is called directly (the test client,
a WSGI deployment): 200 once the delivery is stored (also for a duplicate or a topic
Tiski does not use, so the platform does not give up on the webhook), 400 for a body
that is not JSON (stored, visible in the admin), 401 for a missing or wrong signature
(nothing stored), 404 for an unknown store or platform, 413 for a body over
``MAX_WEBHOOK_BYTES``.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tiski.shop.actions import receive_delivery
from tiski.shop.intake import (
    MAX_WEBHOOK_BYTES,
    Answer,
    answer_for,
    check_request,
    connection_for,
    too_large,
)

__all__ = ["MAX_WEBHOOK_BYTES", "webhook"]


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, platform: str, slug: str) -> JsonResponse:
    connection = connection_for(platform, slug)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    headers = {name.lower(): value for name, value in request.headers.items()}
    if connection is not None and declared > MAX_WEBHOOK_BYTES:
        # Refused by its declared length, before it is read.
        answer = too_large()
        return JsonResponse(answer.body, status=answer.status)
    body = request.read(MAX_WEBHOOK_BYTES + 1)
    checked = check_request(connection, platform, headers, body)
    if isinstance(checked, Answer):
        return JsonResponse(checked.body, status=checked.status)
    assert connection is not None
    answer = answer_for(receive_delivery(connection.store, checked))
    return JsonResponse(answer.body, status=answer.status)
