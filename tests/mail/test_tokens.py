from __future__ import annotations

from email.utils import parseaddr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiski.mail.tokens import base_address, conversation_id_from, reply_address, reply_token

SUPPORT = "support@shop.example"


def test_a_reply_address_names_its_conversation() -> None:
    address = reply_address(SUPPORT, 3, 1234)
    assert address.startswith("support+c1234-") and address.endswith("@shop.example")
    assert conversation_id_from(address, SUPPORT, 3) == 1234
    # Mail systems that lowercase or uppercase the address don't break it.
    assert conversation_id_from(address.upper(), SUPPORT, 3) == 1234
    # A support address that already carries a +tag gets the token instead.
    assert reply_address("help+fi@shop.example", 3, 1) == f"help+{reply_token(3, 1)}@shop.example"


@pytest.mark.parametrize(
    "address",
    [
        "support@shop.example",  # no token
        "support+c1234-0000000000000000@shop.example",  # wrong mac
        "support+c1235-{mac}@shop.example",  # another conversation, the same mac
        "sales+c1234-{mac}@shop.example",  # another mailbox
        "support+c1234-{mac}@other.example",  # another domain
        "support+c1234-{mac}x@shop.example",  # trailing junk
        "support+{mac}@shop.example",
        "",
    ],
)
def test_anything_else_names_nothing(address: str) -> None:
    mac = reply_token(3, 1234).split("-", 1)[1]
    assert conversation_id_from(address.format(mac=mac), SUPPORT, 3) is None


def test_the_token_is_bound_to_the_store() -> None:
    assert conversation_id_from(reply_address(SUPPORT, 3, 1234), SUPPORT, 4) is None


def test_the_base_address_drops_name_case_and_tag() -> None:
    assert base_address("Tiski <Support+c1-ab@Shop.Example>") == "support@shop.example"
    assert base_address("tiski@localhost") == "tiski@localhost"
    assert base_address("not an address") == ""


def _by_parseaddr(address: str) -> str:
    local, _at, domain = parseaddr(address)[1].strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local and domain else ""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab.+@<> "(),;:[]\\\tä-_x')), max_size=24))
def test_the_quick_path_for_bare_addresses_agrees_with_parseaddr(address: str) -> None:
    # A bare address skips parseaddr; anything else goes through it.
    assert base_address(address) == _by_parseaddr(address)
