"""Every write to conversations, messages, labels and canned responses.

Split by concept; import from here.
"""

from tiski.conversations.actions.automatic import send_automatic_reply
from tiski.conversations.actions.canned import delete_canned_response, save_canned_response
from tiski.conversations.actions.housekeeping import prune_event_log
from tiski.conversations.actions.inbound import (
    InboundMessage,
    Received,
    receive_message,
    receive_messages,
)
from tiski.conversations.actions.merge import merge_conversations
from tiski.conversations.actions.messages import (
    add_note,
    mark_delivery,
    send_reply,
    start_conversation,
)
from tiski.conversations.actions.reading import mark_read
from tiski.conversations.actions.recipients import add_cc, set_cc
from tiski.conversations.actions.triage import (
    UNCHANGED,
    assign,
    change_priority,
    change_status,
    create_label,
    set_labels,
    wake_snoozed,
)

__all__ = [
    "UNCHANGED",
    "InboundMessage",
    "Received",
    "add_cc",
    "add_note",
    "assign",
    "change_priority",
    "change_status",
    "create_label",
    "delete_canned_response",
    "mark_delivery",
    "mark_read",
    "merge_conversations",
    "prune_event_log",
    "receive_message",
    "receive_messages",
    "save_canned_response",
    "send_automatic_reply",
    "send_reply",
    "set_cc",
    "set_labels",
    "start_conversation",
    "wake_snoozed",
]
