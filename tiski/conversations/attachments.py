"""Checking and storing attachments. Type is sniffed from the bytes, never trusted."""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiski.conversations.models import Attachment, Message
from tiski.core.errors import ActionError

# Types a browser may show inline; anything else is served as a download.
INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_ATTACHMENTS_PER_MESSAGE = 20

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    content: bytes
    declared_type: str = ""
    content_id: str = ""


# HEIF brands of the photos phones take (iPhone: heic; some Androids: mif1, heix).
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff_type(content: bytes) -> str | None:
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in HEIF_BRANDS:
        # A phone's photo: stored as what it is, served as a download (few browsers
        # show HEIC inline).
        return "image/heic"
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    return None


def effective_type(incoming: IncomingFile) -> str:
    """What the bytes are; the declared or guessed type only when the bytes don't say.

    A file declared as an image whose bytes are not one is stored as
    application/octet-stream, so it can never be rendered inline.
    """
    sniffed = sniff_type(incoming.content)
    if sniffed == "application/zip":
        # Office documents are zip files; keep the more specific declared type.
        declared = incoming.declared_type or mimetypes.guess_type(incoming.filename)[0] or ""
        return declared if declared.startswith("application/") else sniffed
    if sniffed:
        return sniffed
    declared = (incoming.declared_type or mimetypes.guess_type(incoming.filename)[0] or "").lower()
    if not declared or declared.startswith("image/") or "html" in declared or "svg" in declared:
        return "application/octet-stream"
    return declared


def clean_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    try:
        cleaned = get_valid_filename(base)
    except Exception:
        cleaned = "attachment"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[:100]}.{ext}"
    return cleaned[:110]


def check_files(files: list[IncomingFile]) -> None:
    """Refuse the whole set before anything is written."""
    if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ActionError(
            ngettext(
                "At most %(n)d attachment per message.",
                "At most %(n)d attachments per message.",
                MAX_ATTACHMENTS_PER_MESSAGE,
            )
            % {"n": MAX_ATTACHMENTS_PER_MESSAGE},
            field="attachments",
        )
    for incoming in files:
        if len(incoming.content) > settings.MAX_ATTACHMENT_BYTES:
            raise ActionError(
                _("%(name)s is larger than %(mb)d MB.")
                % {
                    "name": clean_filename(incoming.filename),
                    "mb": settings.MAX_ATTACHMENT_BYTES // (1024 * 1024),
                },
                field="attachments",
            )
        if not incoming.content:
            raise ActionError(
                _("%(name)s is empty.") % {"name": clean_filename(incoming.filename)},
                field="attachments",
            )


def save_attachments(message: Message, files: list[IncomingFile]) -> list[Attachment]:
    check_files(files)
    saved = []
    for incoming in files:
        attachment = Attachment(
            message=message,
            token=secrets.token_urlsafe(16),
            filename=clean_filename(incoming.filename),
            content_type=effective_type(incoming),
            size=len(incoming.content),
            content_id=incoming.content_id.strip("<>")[:255],
        )
        attachment.file.save(attachment.filename, ContentFile(incoming.content), save=False)
        attachment.save()
        saved.append(attachment)
    return saved
