"""Reply addresses: ``support+c<conversation>-<mac>@shop.example`` names its conversation.

The token survives what mail systems do to a local part: it is lowercase letters,
digits and one hyphen, so a server that lowercases addresses keeps it valid. The MAC
binds the conversation to the store, so a token cannot be edited into another
conversation's, and is checked in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from email.utils import parseaddr

from django.conf import settings

_TOKEN = re.compile(r"^c(\d{1,18})-([0-9a-f]{16})$")


def _mac(store_id: int, conversation_id: int) -> str:
    key = hashlib.sha256(f"tiski.mail.reply-token:{settings.SECRET_KEY}".encode()).digest()
    message = f"{store_id}:{conversation_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def reply_token(store_id: int, conversation_id: int) -> str:
    return f"c{conversation_id}-{_mac(store_id, conversation_id)}"


# A bare address, as the parser hands them over: nothing for parseaddr to take apart.
_BARE = re.compile(r"[^\s<>\"(),;:@\[\]\\]+@[^\s<>\"(),;:@\[\]\\]+")


def base_address(address: str) -> str:
    """``Name <Support+tag@Shop.example>`` as ``support@shop.example``; "" if no address."""
    # parseaddr is slow, and every recipient of every mail comes through here.
    bare = address.strip()
    found = bare if _BARE.fullmatch(bare) else parseaddr(address)[1]
    local, _at, domain = found.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local and domain else ""


def reply_address(support_address: str, store_id: int, conversation_id: int) -> str:
    """The support address with the conversation's token after a ``+``."""
    local, _at, domain = base_address(support_address).partition("@")
    return f"{local}+{reply_token(store_id, conversation_id)}@{domain}"


def conversation_id_from(address: str, support_address: str, store_id: int) -> int | None:
    """The conversation named by ``address``, if it is a valid reply address of the
    store's support address; None for any other address or a forged token."""
    base = base_address(address)
    if not base or base != base_address(support_address):
        return None
    local = parseaddr(address)[1].strip().lower().partition("@")[0]
    _base, plus, token = local.partition("+")
    if not plus:
        return None
    match = _TOKEN.match(token)
    if match is None:
        return None
    conversation_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _mac(store_id, conversation_id)):
        return None
    return conversation_id
