"""What the agent sees of a parsed mail: the new text, the quoted history folded under
it, and the attachments the timeline can keep."""

from __future__ import annotations

import logging

from django.conf import settings

from tiski.conversations.attachments import MAX_ATTACHMENTS_PER_MESSAGE, IncomingFile
from tiski.core.html import html_to_text, sanitize_html, text_to_html
from tiski.mail.parse import ParsedMail
from tiski.mail.quotes import split_html, split_text

logger = logging.getLogger(__name__)

# Folds the quoted history under the new text; a sign, not words, so it reads the same
# to every agent whatever the language of the mail.
QUOTED_SUMMARY = "\u2022\u2022\u2022"


def message_bodies(parsed: ParsedMail) -> tuple[str, str]:
    """The new text, and HTML with the quoted history folded under it.

    The HTML is safe as it is: cut from the parser's sanitised HTML at element
    boundaries, with the elements open there closed and reopened from their sanitised
    start tags, and escaped text (``tests/mail/test_bodies.py`` checks that sanitising
    it again changes nothing).
    """
    text = split_text(parsed.text)
    if parsed.html:
        html = split_html(parsed.html)
        new_html, quoted_html = html.new, html.quoted
    else:
        new_html, quoted_html = text_to_html(text.new), text_to_html(text.quoted)
    new_text = text.new.strip()
    if not new_text and not parsed.attachments:
        # Only a subject: the subject is what the customer said.
        new_text = parsed.subject.strip()
        if not html_to_text(new_html).strip():
            new_html = text_to_html(new_text)
    if quoted_html.strip():
        new_html += f"<details><summary>{QUOTED_SUMMARY}</summary>{quoted_html}</details>"
    # A mail longer than any message may be: the start is shown, the whole source is kept.
    # (The cut HTML is made well-formed again by the sanitiser when it is stored.)
    limit = settings.MAX_MESSAGE_CHARS
    if len(new_text) > limit:
        new_text = new_text[: limit - 1] + "\u2026"
    if len(new_html) > limit * 4:
        new_html = sanitize_html(new_html[: limit * 4])
    return new_text, new_html


def message_files(parsed: ParsedMail) -> list[IncomingFile]:
    files = []
    for attachment in parsed.attachments:
        if not attachment.data or len(attachment.data) > settings.MAX_ATTACHMENT_BYTES:
            # The raw mail keeps it; the timeline gets what it can show.
            logger.info(
                "attachment %r of %d bytes not kept", attachment.filename, len(attachment.data)
            )
            continue
        files.append(
            IncomingFile(
                filename=attachment.filename,
                content=attachment.data,
                declared_type=attachment.content_type,
                content_id=attachment.content_id,
            )
        )
    return files[:MAX_ATTACHMENTS_PER_MESSAGE]
