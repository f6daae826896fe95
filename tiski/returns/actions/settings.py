"""A store's return terms (``ReturnSettings``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.returns.eligibility import Exclusion
from tiski.returns.models import ReturnSettings
from tiski.stores.models import Store

LISTS = (
    "blocked_customers",
    "blocked_products",
    "blocked_orders",
    "allowed_customers",
    "allowed_products",
    "allowed_orders",
)
FIELDS = {
    "shop_window_days",
    "category_exclusions",
    "customer_pays_return_shipping",
    "restocking_fee_percent",
    "offers_store_credit",
    "store_credit_bonus_percent",
    *LISTS,
}
MAX_WINDOW_DAYS = 365


@transaction.atomic
def save_return_settings(store: Store, *, actor: Actor, **changes: Any) -> ReturnSettings:
    """Change a store's return terms; only the fields named in ``changes``."""
    unknown = set(changes) - FIELDS
    if unknown:
        raise ActionError(_("Unknown return settings: %(f)s") % {"f": ", ".join(sorted(unknown))})
    settings, _created = ReturnSettings.objects.select_for_update().get_or_create(store=store)
    for name, value in changes.items():
        setattr(settings, name, value)
    check_return_settings(settings)
    settings.save()
    return settings


def check_return_settings(settings: ReturnSettings) -> None:
    """Raise ActionError for terms that cannot work; changes nothing."""
    window = int(settings.shop_window_days)
    if not 0 <= window <= MAX_WINDOW_DAYS:
        raise ActionError(
            _("A return window is 0 to %(n)d days.") % {"n": MAX_WINDOW_DAYS},
            field="shop_window_days",
        )
    exclusions = settings.category_exclusions
    if not isinstance(exclusions, dict) or any(
        not isinstance(k, str) or v not in Exclusion.__members__.values()
        for k, v in exclusions.items()
    ):
        raise ActionError(
            _("Excluded categories map a category to one of: %(kinds)s.")
            % {"kinds": ", ".join(e.value for e in Exclusion)},
            field="category_exclusions",
        )
    for name in LISTS:
        value = getattr(settings, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ActionError(_("Give a list of texts."), field=name)
    for name in ("restocking_fee_percent", "store_credit_bonus_percent"):
        if not Decimal(0) <= Decimal(getattr(settings, name)) <= Decimal(100):
            raise ActionError(_("A percentage is 0 to 100."), field=name)
    try:
        settings.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ActionError(" ".join(messages), field=field) from exc
