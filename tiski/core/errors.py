"""Errors actions raise when a request breaks a rule. Views and the API show the message."""

from __future__ import annotations


class ActionError(Exception):
    """A write that was refused; nothing was changed. ``message`` is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(ActionError):
    """The object does not exist, or the caller may not know that it does."""

    status_code = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found")
