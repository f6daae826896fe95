from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiski.core import clock
from tiski.stores.models import Store


class ContactTag(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="contact_tags")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="tag_store_name")]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A customer of one store. The same person in two stores is two contacts on purpose:
    each shop is its own controller of its customers' data."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="contacts", db_index=False
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    tags = models.ManyToManyField(ContactTag, related_name="contacts", blank=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["store", "name"], name="contact_store_name")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        # Inbox lists attach the first identity of nameless contacts in one query.
        fallback = getattr(self, "identity_fallback", None)
        if fallback is not None:
            return fallback or f"#{self.pk}"
        for identity in self.identities.all():
            return identity.display_value
        return f"#{self.pk}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""

    def identity(self, kind: str) -> str:
        for identity in self.identities.all():
            if identity.kind == kind:
                return identity.value
        return ""

    @property
    def email(self) -> str:
        return self.identity(IdentityKind.EMAIL)


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SHOP_CUSTOMER = "shop_customer", _("Shop customer id")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    # An anonymous chat visitor: the random id kept in their browser.
    VISITOR = "visitor", _("Chat visitor")


class ContactIdentity(models.Model):
    """One way to recognise a contact. Unique per store: one address, one person."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    # Copied from the contact so the database can enforce per-store uniqueness.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    value = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "value"], name="identity_store_kind_value"
            )
        ]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def display_value(self) -> str:
        return identity_label(self.kind, self.value)


def identity_label(kind: str, value: str) -> str:
    """How an identity reads to a person: an anonymous chat visitor is "Visitor A51BFA",
    not a 32-character random id."""
    if kind == IdentityKind.VISITOR:
        return _("Visitor %(code)s") % {"code": value[:6].upper()}
    return value


class ContactNote(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.body[:50]
