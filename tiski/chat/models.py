from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiski.stores.models import Store


class PrechatField(models.TextChoices):
    NAME = "name", _("Name")
    EMAIL = "email", _("Email")
    TOPIC = "topic", _("Topic")


class ChatSettings(models.Model):
    """How a store's chat widget greets and what it asks before the first message."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="chat_settings")
    # Language code -> greeting; the widget falls back to a standard greeting.
    greeting = models.JSONField(_("greeting"), default=dict, blank=True)
    prechat_fields = models.JSONField(
        _("pre-chat fields"),
        default=list,
        blank=True,
        help_text=_("Asked before the first message: any of name, email, topic."),
    )
    prechat_required = models.JSONField(_("required pre-chat fields"), default=list, blank=True)
    # Language code -> list of topics offered in the pre-chat form (free text if empty).
    topics = models.JSONField(_("topics"), default=dict, blank=True)
    # Ask for an email address when nobody can answer now, so the reply goes out by email.
    ask_email_when_offline = models.BooleanField(_("ask for email when offline"), default=True)

    class Meta:
        verbose_name = _("chat settings")
        verbose_name_plural = _("chat settings")

    def __str__(self) -> str:
        return f"{self.store}"
