from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from tiski.stores.hours import validate_timezone
from tiski.stores.models import Store


class AgentManager(BaseUserManager["Agent"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Agent:
        if not email:
            raise ValueError("An agent needs an email address")
        agent = self.model(email=self.normalize_email(email).lower(), **extra)
        agent.set_password(password)
        agent.save(using=self._db)
        return agent

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Agent:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Availability(models.TextChoices):
    """What the agent chose. Whether they are connected is presence (agents/presence.py)."""

    ONLINE = "online", _("Available")
    AWAY = "away", _("Away")


class Agent(AbstractBaseUser, PermissionsMixin):
    """A member of a shop's customer-service staff; logs in with email and password."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Helsinki", validators=[validate_timezone]
    )
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.ONLINE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log in to the configuration admin.")
    )
    date_joined = models.DateTimeField(default=django_timezone.now)

    objects: ClassVar[AgentManager] = AgentManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.email.split("@")[0]

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    AGENT = "agent", _("Agent")


class Membership(models.Model):
    """An agent's access to one store. No membership, no access: not even a 403 hint."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)
    # Agents who write the store's help center; owners and admins always may.
    edits_help_center = models.BooleanField(_("edits the help center"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "store"], name="membership_agent_store")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.agent} @ {self.store} ({self.role})"

    @property
    def can_configure(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def can_edit_help_center(self) -> bool:
        return self.can_configure or self.edits_help_center


class Team(models.Model):
    """A group of a store's agents that conversations can be routed to."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(Agent, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="team_store_name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
