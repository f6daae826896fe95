from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiski.stores.hours import validate_business_hours, validate_timezone

LANGUAGE_CHOICES = settings.LANGUAGES

hex_color = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))
help_domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Use a lower-case domain name like help.example.fi, without https://."),
)
reference_prefix_validator = RegexValidator(
    r"^[A-Z]{2,5}$", _("Use 2 to 5 capital letters, like RVT.")
)


def _widget_token() -> str:
    return secrets.token_urlsafe(18)


def _identity_secret() -> str:
    return secrets.token_urlsafe(32)


class Store(models.Model):
    """A shop brand: its own customers, conversations, languages and look."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    # Ordered list of language codes the shop serves its customers in.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Helsinki", validators=[validate_timezone]
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. FI"))
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=5,
        unique=True,
        validators=[reference_prefix_validator],
        help_text=_("Shown in conversation references such as [#RVT-1234]."),
    )
    brand_color = models.CharField(
        _("brand colour"), max_length=7, default="#1f6feb", validators=[hex_color]
    )
    support_email = models.EmailField(_("support email"), blank=True)
    acknowledge_email = models.BooleanField(
        _("acknowledge new email"),
        default=False,
        help_text=_(
            "Answer a customer's new email at once with its reference and when to expect an "
            "answer. Never to automatic mail or mailing lists."
        ),
    )
    usual_reply_hours = models.PositiveSmallIntegerField(
        _("usual reply time (hours)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("Promised in the acknowledgement; 0 promises no time."),
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=40,
        blank=True,
        help_text=_("Shown on the help center's contact page, in international form."),
    )
    help_domain = models.CharField(
        _("help center domain"),
        max_length=253,
        blank=True,
        validators=[help_domain_validator],
        help_text=_(
            "A domain of the shop's own, such as help.example.fi, that serves this store's "
            "help center. It must also be in ALLOWED_HOSTS."
        ),
    )
    closed_on_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("The desk is closed on the public holidays of the store's country."),
    )
    business_hours = models.JSONField(
        _("business hours"), default=dict, blank=True, validators=[validate_business_hours]
    )
    # Public: embedded in the shop's pages to identify the store to the chat widget.
    widget_token = models.CharField(max_length=40, unique=True, default=_widget_token)
    # Private: the shop's backend signs customer identities with it (HMAC-SHA256).
    identity_secret = models.CharField(max_length=64, default=_identity_secret)
    # Counter behind Conversation.number; incremented under a row lock.
    last_conversation_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_domain"],
                condition=~models.Q(help_domain=""),
                name="store_help_domain_unique",
            )
        ]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return self.name

    def served_languages(self) -> list[str]:
        return list(self.languages) or [self.default_language]


class ApiScope(models.TextChoices):
    CONTACTS_READ = "contacts:read", _("Read contacts")
    CONTACTS_WRITE = "contacts:write", _("Create and change contacts")
    CONVERSATIONS_READ = "conversations:read", _("Read conversations and messages")
    CONVERSATIONS_WRITE = "conversations:write", _("Reply, assign and change conversations")
    SHOP_READ = "shop:read", _("Read orders and products")
    SHOP_WRITE = "shop:write", _("Send orders, customers and products from the shop")


class ApiKey(models.Model):
    """A per-store credential for integrations. Only a hash of the secret is stored."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    # Public part of the key, used to find the row without scanning hashes.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes
