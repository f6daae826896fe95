from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.mail.actions import retry_mail
from tiski.mail.mailboxes import check_mailbox, save_mailbox
from tiski.mail.models import Mailbox, RawMail, RawMailStatus


@admin.register(RawMail)
class RawMailAdmin(admin.ModelAdmin[RawMail]):
    """Every mail as it arrived: what became of it, and why one failed."""

    list_display = ["received_at", "status", "store", "sender", "subject", "via", "attempts"]
    list_filter = ["status", "via", "store"]
    search_fields = ["sender", "subject", "message_id_header"]
    readonly_fields = [
        "store",
        "via",
        "size",
        "sha256",
        "message_id_header",
        "sender",
        "subject",
        "status",
        "error",
        "attempts",
        "conversation",
        "message",
        "received_at",
        "processed_at",
        "source_text",
    ]
    actions = ["process_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RawMail]:
        return super().get_queryset(request).select_related("store")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RawMail | None = None) -> bool:
        return False

    @admin.display(description=_("source"))
    def source_text(self, obj: RawMail) -> str:
        # Shown as text (escaped by the admin): a look at the headers is what an admin
        # needs to see why a mail failed.
        return bytes(obj.source[:20_000]).decode("utf-8", "replace")

    @admin.action(description=_("Process the selected failed mail again"))
    def process_again(self, request: HttpRequest, queryset: QuerySet[RawMail]) -> None:
        done = failed = 0
        for raw in queryset.filter(status__in=[RawMailStatus.FAILED, RawMailStatus.NEW]):
            result = retry_mail(raw)  # its source is read when it is processed
            if result.status == RawMailStatus.FAILED:
                failed += 1
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "%(done)d mail processed, %(failed)d failed again.",
                "%(done)d mails processed, %(failed)d failed again.",
                done,
            )
            % {"done": done, "failed": failed},
            messages.SUCCESS if not failed else messages.WARNING,
        )


class MailboxForm(forms.ModelForm[Mailbox]):
    # Never sent back to the browser; left empty, the stored password stays.
    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput(render_value=False), required=False
    )

    class Meta:
        model = Mailbox
        fields = [
            "store",
            "address",
            "host",
            "port",
            "security",
            "username",
            "password",
            "folder",
            "processed_folder",
            "enabled",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The instance gets the form's values only after clean(): check them as given
        # (a field that failed its own check is not checked twice).
        candidate = Mailbox(
            port=data.get("port", 993),
            folder=data.get("folder", "INBOX"),
            processed_folder=data.get("processed_folder", ""),
        )
        try:
            check_mailbox(candidate)
        except ActionError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data

    def clean_password(self) -> str:
        password = str(self.cleaned_data.get("password") or "")
        if not password and self.instance.pk:
            return self.instance.password
        if not password:
            raise forms.ValidationError(_("Enter the mailbox's password."))
        return password


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    form = MailboxForm
    list_display = ["address", "store", "host", "enabled", "last_polled_at", "last_error"]
    list_filter = ["enabled", "store"]
    readonly_fields = ["uid_validity", "last_uid", "last_polled_at", "last_error"]

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        save_mailbox(obj, actor=Actor.for_agent(request.user))  # type: ignore[arg-type]
