"""``{% can_report_fault order as flag %}``: whether the portal offers a complaint.

A tag so the return portal's items page can offer the choice without its view knowing
about complaints; a fault can be reported only in goods that have arrived.
"""

from __future__ import annotations

from django import template

from tiski.shop.models import FulfillmentLine, Order

register = template.Library()


@register.simple_tag
def can_report_fault(order: Order) -> bool:
    return FulfillmentLine.objects.filter(
        line__order=order, fulfillment__delivered_at__isnull=False
    ).exists()
