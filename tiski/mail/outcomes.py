"""What became of a mail: the result each way in hands back, and the raw mail's fields
that say so (saved with the rest of its batch)."""

from __future__ import annotations

from dataclasses import dataclass

from tiski.core import clock
from tiski.mail.models import RawMail, RawMailStatus
from tiski.mail.parse import ParsedMail


class MailRefused(Exception):
    """The mail is stored but cannot become a message; the text says why."""


@dataclass(frozen=True)
class Ingested:
    raw: RawMail
    # What the agent reads: the new text, without the quoted history.
    text: str = ""
    parsed: ParsedMail | None = None

    @property
    def status(self) -> str:
        return self.raw.status


def refused(raw: RawMail, error: str) -> Ingested:
    """A mail that cannot become a message: failed, with the reason, for an admin."""
    raw.status = RawMailStatus.FAILED
    raw.error = error[:2000]
    raw.conversation = raw.message = None
    raw.processed_at = clock.now()
    return Ingested(raw)


# Saved for every mail of a batch at its end, in one statement; never the source, which
# is written once (re-sending it cost more than the rest of the update).
FINISHED_FIELDS = (
    *("store", "message_id_header", "sender", "subject"),
    *("status", "error", "attempts", "processed_at", "conversation", "message"),
)


def finish(raw: RawMail, status: str, **fields: object) -> None:
    """Mark ``raw`` done with ``status`` (and its conversation, message or error)."""
    raw.status = status
    raw.error = str(fields.pop("error", ""))
    for name, value in fields.items():
        setattr(raw, name, value)
    raw.processed_at = clock.now()
