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
from tiski.returns.reasons import CODE, MAX_LABEL, MAX_REASONS
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
    "reasons",
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
    # Without a store (an admin form missing one, which says so itself) no language.
    _check_reasons(settings.reasons, settings.store.default_language if settings.store_id else "")
    try:
        settings.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ActionError(" ".join(messages), field=field) from exc


def _check_reasons(reasons: Any, default_language: str) -> None:
    """Each reason a slug code, once, with a label in the store's default language: the
    label every customer falls back to."""
    shape = _(
        'Give a list like [{"code": "too_tight", "labels": {"en": "Too tight"}}], '
        "codes of a-z, 0-9 and _ (at most 30), each once."
    )
    if not isinstance(reasons, list):
        raise ActionError(shape, field="reasons")
    if len(reasons) > MAX_REASONS:
        raise ActionError(_("At most %(n)d return reasons.") % {"n": MAX_REASONS}, field="reasons")
    seen: set[str] = set()
    for reason in reasons:
        code = reason.get("code") if isinstance(reason, dict) else None
        labels = reason.get("labels") if isinstance(reason, dict) else None
        if (
            not isinstance(code, str)
            or not CODE.fullmatch(code)
            or code in seen
            or not isinstance(labels, dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items())
        ):
            raise ActionError(shape, field="reasons")
        seen.add(code)
        if default_language and not labels.get(default_language, "").strip():
            raise ActionError(
                _("The reason %(code)s needs a label in the store's language (%(lang)s).")
                % {"code": code, "lang": default_language},
                field="reasons",
            )
        if any(len(label) > MAX_LABEL for label in labels.values()):
            raise ActionError(
                _("A reason's label is at most %(n)d characters.") % {"n": MAX_LABEL},
                field="reasons",
            )
