"""Normalising identity values so one person is recognised however they write them."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tiski.contacts.models import IdentityKind

MAX_IDENTITY_LENGTH = 255


def normalize_identity(kind: str, value: str, *, country: str = "") -> str:
    """The canonical form of ``value``; raises ValidationError with a reason if invalid.

    Emails are lower-cased (every mailbox provider our customers use treats them so),
    phone numbers become E.164 using the store's country for local numbers.
    """
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("The value is empty."))
    if len(value) > MAX_IDENTITY_LENGTH:
        raise ValidationError(_("The value is too long."))
    if kind == IdentityKind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(
                _("%(value)s is not an email address.") % {"value": value}
            ) from exc
        return value
    if kind == IdentityKind.PHONE:
        try:
            number = phonenumbers.parse(value, country.upper() or None)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(_("%(value)s is not a phone number.") % {"value": value}) from exc
        if not phonenumbers.is_possible_number(number):
            raise ValidationError(_("%(value)s is not a phone number.") % {"value": value})
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind in IdentityKind.values:
        return value
    raise ValidationError(_("Unknown identity kind %(kind)s.") % {"kind": kind})


def format_phone(value: str) -> str:
    """An E.164 number in the international format people read."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
